import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { brotliCompressSync, deflateSync, gzipSync, zstdCompressSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { readResponseText } from "../../../lambda/apideck/response.ts";
import { createNodeTransport, type TransportResponse } from "../../../lambda/apideck/transport.ts";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server | undefined;

/** A real HTTP server on 127.0.0.1, port 0; every request's remote port is recorded. */
async function serve(handler: Handler, host = "127.0.0.1"): Promise<{ url: string; ports: number[] }> {
  const ports: number[] = [];
  server = createServer((req, res) => {
    ports.push(req.socket.remotePort ?? 0);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => handler(req, res, Buffer.concat(chunks).toString()));
  });
  await new Promise<void>((resolve) => server?.listen(0, host, resolve));
  const authority = host.includes(":") ? `[${host}]` : host;
  return { url: `http://${authority}:${(server.address() as AddressInfo).port}`, ports };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

const request = (signal = new AbortController().signal) => ({
  method: "POST",
  headers: { "content-type": "application/json", "x-apideck-app-id": "app" },
  body: '{"a":1}',
  signal,
});

/** The body as the client reads it (capped, from the stream's events). */
async function text(response: TransportResponse): Promise<string | undefined> {
  return readResponseText(response);
}

describe("Unit: node transport", () => {
  it("sends the method, headers and body, and returns status, headers and body", async () => {
    let seen: { method?: string; headers?: IncomingMessage["headers"]; body?: string } = {};
    const { url } = await serve((req, res, body) => {
      seen = { method: req.method, headers: req.headers, body };
      res.writeHead(201, { "retry-after": "3", "content-type": "application/json" }).end('{"ok":true}');
    });

    const response = await createNodeTransport()(`${url}/vault/sessions`, request());

    expect(seen).toMatchObject({
      method: "POST",
      body: '{"a":1}',
      headers: {
        "content-type": "application/json",
        "content-length": "7",
        "x-apideck-app-id": "app",
        "accept-encoding": "gzip, deflate, br, zstd",
        connection: "keep-alive",
      },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("Retry-After")).toBe("3");
    expect(response.headers.get("x-missing")).toBeNull();
    expect(await text(response)).toBe('{"ok":true}');
  });

  it("reuses one keep-alive connection for consecutive requests", async () => {
    const { url, ports } = await serve((_req, res) => res.end("{}"));
    const transport = createNodeTransport();

    await text(await transport(url, request()));
    await text(await transport(url, request()));

    expect(ports).toHaveLength(2);
    expect(ports[1]).toBe(ports[0]);
  });

  it("reaches an IPv6 literal host, given in brackets as URLs write it", async () => {
    const { url } = await serve((_req, res) => res.end('{"v6":true}'), "::1");

    expect(await text(await createNodeTransport()(`${url}/vault/sessions?x=1`, request()))).toBe(
      '{"v6":true}',
    );
  });

  it("opens a new connection when the pooled one sat idle past the timeout by the wall clock", async () => {
    // Guards: a Lambda instance frozen between invocations runs no timers; after the thaw the
    // request could take a socket the server closed meanwhile (a reset, then a retry).
    const { url, ports } = await serve((_req, res) => res.end("{}"));
    let clock = 1_000_000;
    const transport = createNodeTransport({ idleSocketTimeoutMs: 60_000, now: () => clock });

    await text(await transport(url, request()));
    clock += 59_999;
    await text(await transport(url, request()));
    clock += 60_000;
    await text(await transport(url, request()));

    expect(ports).toHaveLength(3);
    expect(ports[1]).toBe(ports[0]);
    expect(ports[2]).not.toBe(ports[1]);
  });

  it("destroys only stale sockets at the front of the pool, so a clock that stepped back leaves none where the agent picks", async () => {
    // Guards: the agent skips destroyed sockets at the front of its pool but takes the last one;
    // a destroyed socket at the end (freed later, stamped earlier) would fail the request.
    let answerSecond: () => void = () => {};
    const portOf: Record<string, number | undefined> = {};
    const { url } = await serve((req, res) => {
      const order = String(req.headers["x-order"] ?? "3");
      portOf[order] = req.socket.remotePort;
      if (order === "2") answerSecond = () => res.end("{}");
      else res.end("{}");
    });
    let clock = 1_000_000;
    const transport = createNodeTransport({ idleSocketTimeoutMs: 60_000, now: () => clock });
    const withOrder = (order: string) => ({
      ...request(),
      headers: { ...request().headers, "x-order": order },
    });

    const second = transport(url, withOrder("2"));
    await text(await transport(url, withOrder("1"))); // its socket is freed first, stamped 1,000,000
    clock -= 100_000; // the wall clock steps back
    answerSecond();
    await text(await second); // freed last, stamped 900,000: "older" by the clock
    clock = 1_000_000 + 59_999;
    const third = await transport(url, request());

    expect(third.status).toBe(200);
    expect(await text(third)).toBe("{}");
    // The agent took the socket freed last (the second request's), which is alive.
    expect(portOf["3"]).toBe(portOf["2"]);
  });

  it.each([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["br", brotliCompressSync],
    ["zstd", zstdCompressSync],
  ] as const)("decodes a %s body", async (encoding, encode) => {
    const { url } = await serve((_req, res) =>
      res.writeHead(200, { "content-encoding": encoding }).end(encode(Buffer.from('{"decoded":true}'))),
    );

    expect(await text(await createNodeTransport()(url, request()))).toBe('{"decoded":true}');
  });

  it("decodes stacked codings, the last applied first", async () => {
    const { url } = await serve((_req, res) =>
      res
        .writeHead(200, { "content-encoding": "gzip, br" })
        .end(brotliCompressSync(gzipSync(Buffer.from("twice")))),
    );

    expect(await text(await createNodeTransport()(url, request()))).toBe("twice");
  });

  it("does not follow a redirect", async () => {
    const { url, ports } = await serve((_req, res) =>
      res.writeHead(302, { location: "http://127.0.0.1:9/elsewhere" }).end(),
    );

    const response = await createNodeTransport()(url, request());

    expect(response.status).toBe(302);
    expect(ports).toHaveLength(1);
  });

  it("rejects with the signal's reason when it aborts before the answer", async () => {
    const { url } = await serve(() => {}); // never answers
    const controller = new AbortController();
    const pending = createNodeTransport()(url, request(controller.signal));

    controller.abort(new DOMException("attempt timed out", "TimeoutError"));

    await expect(pending).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("rejects at once when the signal has already aborted", async () => {
    const { url, ports } = await serve((_req, res) => res.end());

    const pending = createNodeTransport()(url, request(AbortSignal.abort()));

    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(ports).toHaveLength(0);
  });

  it("fails the body's read with the signal's reason when it aborts mid-body", async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200);
      res.write("partial");
    });
    const controller = new AbortController();
    const response = await createNodeTransport()(url, request(controller.signal));
    const reading = text(response);

    controller.abort(new DOMException("deadline", "AbortError"));

    await expect(reading).rejects.toMatchObject({ name: "AbortError" });
  });

  it("fails the body's read, not hangs, when the server drops the connection mid-body", async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial", () => res.socket?.destroy());
    });

    const response = await createNodeTransport()(url, request());

    await expect(text(response)).rejects.toBeInstanceOf(Error);
  });

  it("fails the body's read at once, not hangs, when the body was already destroyed", async () => {
    const { url } = await serve((_req, res) => res.end("{}"));
    const response = await createNodeTransport()(url, request());
    (response.body as Readable).destroy(new Error("gone before the read"));
    await new Promise((resolve) => setImmediate(resolve)); // its close event comes and goes

    const outcome = await Promise.race([
      text(response).then(
        () => "read",
        (error: Error) => `rejected: ${error.message}`,
      ),
      new Promise((resolve) => setTimeout(resolve, 2_000, "hung")),
    ]);

    expect(outcome).toBe("rejected: gone before the read");
  });

  it("rejects with the system error code when nothing listens", async () => {
    const { url } = await serve(() => {});
    server?.close();
    await new Promise((resolve) => setImmediate(resolve));

    await expect(createNodeTransport()(url, request())).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});
