import { brotliCompressSync, constants, deflateSync, gzipSync, zstdCompressSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ApideckSimulator, startApideckSimulator } from "../../infra/local/apideck-simulator.ts";
import { createApideckClient, type UpstreamTrace } from "../../lambda/apideck/client.ts";
import { MAX_RESPONSE_BYTES } from "../../lambda/apideck/response.ts";
import { type ApideckTransport, createNodeTransport } from "../../lambda/apideck/transport.ts";
import { UpstreamError, UpstreamInvalidResponseError } from "../../lambda/errors/upstream-errors.ts";
import { type BrokerHarness, startBrokerHarness } from "../support/broker-harness.ts";

// Finding 2 of issue 11: fetch decoded gzip, br, deflate (and zstd), so a 268-byte brotli body
// decoded to 104 MB; the node:https transport that replaced it decodes them too and was accepted as a session. Each bomb here is Apideck's session answer
// followed by 40 MB of JSON whitespace (valid JSON, so only a cap on decoded bytes refuses it),
// served by the simulator over a real socket with its content-encoding, with a true length, no
// length (chunked) or a lying one. A metered transport counts the decoded bytes the client pulls.

const SESSION = JSON.stringify({
  status_code: 200,
  status: "OK",
  data: { session_uri: "https://vault.apideck.com/session/eyJ.bomb.x", session_token: "eyJ.bomb.x" },
});
const DECODED_BYTES = 40 * 1024 * 1024;

const ENCODERS = {
  gzip: (raw: Buffer) => gzipSync(raw, { level: 9 }),
  br: (raw: Buffer) => brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }),
  deflate: (raw: Buffer) => deflateSync(raw, { level: 9 }),
  zstd: (raw: Buffer) => zstdCompressSync(raw),
} as const;
type Encoding = keyof typeof ENCODERS;
const ENCODINGS = Object.keys(ENCODERS) as Encoding[];

/** What the client pulled from the decoded body stream. */
interface DecodeMeter {
  decodedBytes: number;
  largestChunk: number;
}

/**
 * The production transport, its decoded body counted as the client reads it: each `data` event the
 * body emits (to the client's reader, which is what starts the flow) is counted on its way, so
 * every byte counted is a byte the client was handed, and the client reads the production stream
 * itself.
 */
function meteredTransport(meter: DecodeMeter): ApideckTransport {
  const transport = createNodeTransport();
  return async (url, request) => {
    const response = await transport(url, request);
    const body = response.body;
    if (body === null) return response;
    const emit = body.emit.bind(body);
    body.emit = (event: string | symbol, ...args: unknown[]) => {
      if (event === "data") {
        const chunk = args[0] as Uint8Array;
        meter.decodedBytes += chunk.byteLength;
        meter.largestChunk = Math.max(meter.largestChunk, chunk.byteLength);
      }
      return emit(event, ...args);
    };
    return response;
  };
}

describe("Integration: response bombs", () => {
  const bombs = {} as Record<Encoding, Buffer>;
  let simulator: ApideckSimulator;
  let meter: DecodeMeter;

  beforeAll(async () => {
    const raw = Buffer.alloc(DECODED_BYTES, " ");
    raw.write(SESSION);
    for (const encoding of ENCODINGS) bombs[encoding] = ENCODERS[encoding](raw);
    simulator = await startApideckSimulator({ apiKey: "sk_test_bombs", appId: "app" });
  });

  afterAll(async () => {
    await simulator.close();
  });

  afterEach(() => {
    simulator.reset();
  });

  /** One createSession call through the metered transport; resolves to the session or the error. */
  async function callApideck(): Promise<{ outcome: unknown; trace: UpstreamTrace }> {
    meter = { decodedBytes: 0, largestChunk: 0 };
    const client = createApideckClient({
      baseUrl: simulator.url,
      attemptTimeoutMs: 5_000,
      transport: meteredTransport(meter),
    });
    const trace: UpstreamTrace = { attempts: 0 };
    const outcome = await client
      .createSession(
        { apiKey: "sk_test_bombs", appId: "app", consumerId: "tenant:1", session: {} },
        { signal: new AbortController().signal, deadlineAt: Date.now() + 10_000 },
        trace,
      )
      .catch((error: unknown) => error);
    return { outcome, trace };
  }

  function expectBoundedRead(): void {
    expect(meter.decodedBytes).toBeGreaterThan(MAX_RESPONSE_BYTES);
    expect(meter.decodedBytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES + meter.largestChunk);
  }

  it.each(ENCODINGS)("encodes each bomb to a body far smaller than the cap (%s)", (encoding) => {
    expect(bombs[encoding].byteLength).toBeLessThan(MAX_RESPONSE_BYTES);
  });

  it.each(ENCODINGS)(
    "refuses a %s bomb with a true content-length after reading the cap plus one chunk",
    async (encoding) => {
      const body = bombs[encoding];
      simulator.inject({
        kind: "raw",
        status: 200,
        headers: {
          "content-type": "application/json",
          "content-encoding": encoding,
          "content-length": String(body.byteLength),
        },
        body,
      });

      const { outcome, trace } = await callApideck();

      expect(outcome).toBeInstanceOf(UpstreamInvalidResponseError);
      expect((outcome as Error).message).toContain(`larger than ${MAX_RESPONSE_BYTES} bytes`);
      expect(trace.attempts).toBe(1);
      expectBoundedRead();
    },
  );

  it.each(ENCODINGS)("refuses a chunked %s bomb (no content-length at all)", async (encoding) => {
    simulator.inject({
      kind: "raw",
      status: 200,
      headers: { "content-type": "application/json", "content-encoding": encoding },
      body: bombs[encoding],
    });

    const { outcome } = await callApideck();

    expect(outcome).toBeInstanceOf(UpstreamInvalidResponseError);
    expectBoundedRead();
  });

  it("refuses a bomb whose content-length claims fewer bytes than it sends", async () => {
    const body = Buffer.concat([bombs.gzip, bombs.gzip]);
    simulator.inject({
      kind: "raw",
      status: 200,
      headers: { "content-encoding": "gzip", "content-length": String(bombs.gzip.byteLength) },
      body,
    });

    const { outcome } = await callApideck();

    expect(outcome).toBeInstanceOf(UpstreamInvalidResponseError);
    expectBoundedRead();
  });

  it("reads no further than an uncompressed body's understated content-length", async () => {
    const body = Buffer.alloc(MAX_RESPONSE_BYTES * 4, " ");
    body.write(SESSION);
    simulator.inject({ kind: "raw", status: 200, headers: { "content-length": "64" }, body });

    const { outcome } = await callApideck();

    // The transport reads exactly the declared 64 bytes: the start of a JSON object, never a session.
    expect(outcome).toBeInstanceOf(UpstreamInvalidResponseError);
    expect((outcome as Error).message).toContain("not JSON");
    expect(meter.decodedBytes).toBe(64);
  });

  it("refuses a small session whose content-length claims more than arrives, on every attempt", async () => {
    const body = ENCODERS.br(Buffer.from(SESSION));
    const lie = {
      kind: "raw",
      status: 200,
      headers: { "content-encoding": "br", "content-length": String(10 * 1024 * 1024) },
      body,
    } as const;
    simulator.inject(lie, lie, lie);

    const { outcome, trace } = await callApideck();

    expect(outcome).toBeInstanceOf(UpstreamError);
    expect(trace.attempts).toBe(3);
  });

  it("drops a bomb in a 422 error body instead of passing any of it on", async () => {
    simulator.inject({
      kind: "raw",
      status: 422,
      headers: { "content-type": "application/json", "content-encoding": "br" },
      body: bombs.br,
    });

    const { outcome } = await callApideck();

    expect(outcome).toMatchObject({ name: "UpstreamHttpError", status: 422, body: undefined });
    expectBoundedRead();
  });

  describe("through the handler", () => {
    let harness: BrokerHarness;

    afterEach(async () => {
      await harness.close();
      expect(harness.leakedSecrets()).toEqual([]);
    });

    it.each(ENCODINGS)("answers 502, never a session, to a %s bomb", async (encoding) => {
      harness = await startBrokerHarness();
      harness.simulator.inject({
        kind: "raw",
        status: 200,
        headers: {
          "content-type": "application/json",
          "content-encoding": encoding,
          "content-length": String(bombs[encoding].byteLength),
        },
        body: bombs[encoding],
      });

      const result = await harness.postVaultSessions({ headers: { "x-apideck-consumer-id": "tenant:1" } });

      expect(result.statusCode).toBe(502);
      expect(result.body.type_name).toBe("UpstreamInvalidResponseError");
    });
  });
});
