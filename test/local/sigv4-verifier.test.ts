import { AwsV4Signer } from "aws4fetch";
import { describe, expect, it } from "vitest";
import type { ReceivedRequest } from "../../infra/local/sigv4-canonical.ts";
import { type AwsCredentials, createSigV4Verifier } from "../../infra/local/sigv4-verifier.ts";

// Signatures made by aws4fetch (a widely used signer, independent of ours) must verify; every
// change a signature is meant to catch must not. The clock is fixed on both sides.

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const AMZ_NOW = "20260115T120000Z";
const CALLER: AwsCredentials = {
  accessKeyId: "LOCALTESTKEY00000001",
  secretAccessKey: "caller-secret-0123456789",
};
const TEMPORARY: AwsCredentials = {
  accessKeyId: "LOCALTEMPKEY00000002",
  secretAccessKey: "temp-secret-0123456789",
  sessionToken: "session-token-value",
};

const verify = createSigV4Verifier({
  service: "execute-api",
  region: "us-east-1",
  credentials: [CALLER, TEMPORARY],
  now: () => NOW,
});

interface SignInit {
  url?: string;
  headers?: Record<string, string>;
  body?: string;
  signer?: AwsCredentials;
  datetime?: string;
  region?: string;
  service?: string;
}

/** Signs with aws4fetch and returns the request as the server would receive it. */
async function signed(init: SignInit = {}): Promise<ReceivedRequest & { headers: Headers }> {
  const signer = init.signer ?? CALLER;
  const { url, headers, body } = await new AwsV4Signer({
    method: "POST",
    url: init.url ?? "http://127.0.0.1:3000/vault/sessions",
    headers: { "content-type": "application/json", "x-apideck-consumer-id": "tenant:1", ...init.headers },
    body: init.body ?? '{"redirect_uri":"https://example.com/done"}',
    accessKeyId: signer.accessKeyId,
    secretAccessKey: signer.secretAccessKey,
    ...(signer.sessionToken !== undefined && { sessionToken: signer.sessionToken }),
    service: init.service ?? "execute-api",
    region: init.region ?? "us-east-1",
    datetime: init.datetime ?? AMZ_NOW,
  }).sign();
  return {
    method: "POST",
    url: `${url.pathname}${url.search}`,
    rawHeaders: ["Host", url.host, ...[...headers].flat()],
    body: new TextEncoder().encode(String(body)),
    headers,
  };
}

/** The same request with a header replaced (or removed when `value` is undefined) after signing. */
const withHeader = (request: ReceivedRequest, name: string, value: string | undefined): ReceivedRequest => {
  const pairs: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if (request.rawHeaders[i]?.toLowerCase() !== name)
      pairs.push(request.rawHeaders[i] ?? "", request.rawHeaders[i + 1] ?? "");
  }
  return { ...request, rawHeaders: value === undefined ? pairs : [...pairs, name, value] };
};

const authorizationOf = (request: ReceivedRequest) =>
  request.rawHeaders[request.rawHeaders.findIndex((h) => h.toLowerCase() === "authorization") + 1] ?? "";

describe("Local: SigV4 verifier", () => {
  describe("accepts", () => {
    it("aws4fetch's signature of a POST with a JSON body", async () => {
      expect(verify(await signed())).toEqual({ ok: true, accessKeyId: CALLER.accessKeyId });
    });

    it("a query string, sorted and RFC 3986-encoded by the signer", async () => {
      const request = await signed({
        url: "http://127.0.0.1:3000/vault/sessions?b=2&a=1&a=0&sp=a%20b&odd=!*'()",
      });

      expect(verify(request).ok).toBe(true);
    });

    it("a path with characters that are encoded twice", async () => {
      expect(verify(await signed({ url: "http://127.0.0.1:3000/vault/a%20b/c%2Fd" })).ok).toBe(true);
    });

    it("an empty body", async () => {
      expect(verify(await signed({ body: "" })).ok).toBe(true);
    });

    it("headers added after signing, which the signature does not cover", async () => {
      const request = withHeader(await signed(), "user-agent", "curl/7.88.1");

      expect(verify(request).ok).toBe(true);
    });

    it("temporary credentials with their session token", async () => {
      expect(verify(await signed({ signer: TEMPORARY }))).toEqual({
        ok: true,
        accessKeyId: TEMPORARY.accessKeyId,
      });
    });

    it("a signature four minutes old or four minutes ahead", async () => {
      expect(verify(await signed({ datetime: "20260115T115600Z" })).ok).toBe(true);
      expect(verify(await signed({ datetime: "20260115T120400Z" })).ok).toBe(true);
    });
  });

  describe("refuses", () => {
    it("a request without Authorization as missing", async () => {
      const request = withHeader(await signed(), "authorization", undefined);

      expect(verify(request)).toEqual({
        ok: false,
        failure: "missing",
        message: "Missing Authentication Token",
      });
    });

    it("a presigned query string, which the local routes do not take", async () => {
      const { url } = await new AwsV4Signer({
        url: "http://127.0.0.1:3000/vault/sessions",
        method: "POST",
        accessKeyId: CALLER.accessKeyId,
        secretAccessKey: CALLER.secretAccessKey,
        service: "execute-api",
        region: "us-east-1",
        datetime: AMZ_NOW,
        signQuery: true,
      }).sign();

      const result = verify({
        method: "POST",
        url: `${url.pathname}${url.search}`,
        rawHeaders: ["Host", url.host],
        body: new Uint8Array(),
      });

      expect(result).toMatchObject({ ok: false, failure: "missing" });
    });

    it.each([
      ["a bearer token", "Bearer abc.def.ghi"],
      [
        "no Signature",
        "AWS4-HMAC-SHA256 Credential=LOCALTESTKEY00000001/20260115/us-east-1/execute-api/aws4_request, SignedHeaders=host",
      ],
      [
        "a short credential",
        `AWS4-HMAC-SHA256 Credential=LOCALTESTKEY00000001/20260115, SignedHeaders=host, Signature=${"0".repeat(64)}`,
      ],
    ])("an Authorization header with %s as incomplete", async (_name, header) => {
      const request = withHeader(await signed(), "authorization", header);

      expect(verify(request)).toMatchObject({ ok: false, failure: "incomplete" });
    });

    it("a request without x-amz-date as incomplete", async () => {
      const request = withHeader(await signed(), "x-amz-date", undefined);

      expect(verify(request)).toMatchObject({ ok: false, failure: "incomplete" });
    });

    it("a signature that does not cover Host", async () => {
      const request = await signed();
      const header = authorizationOf(request).replace("SignedHeaders=host;", "SignedHeaders=");
      expect(header).not.toContain("host");

      expect(verify(withHeader(request, "authorization", header))).toMatchObject({
        ok: false,
        failure: "incomplete",
        message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      });
    });

    it("a body changed after signing as a mismatch", async () => {
      const request = {
        ...(await signed()),
        body: new TextEncoder().encode('{"redirect_uri":"https://evil.example/"}'),
      };

      expect(verify(request)).toMatchObject({
        ok: false,
        failure: "mismatch",
        message: expect.stringMatching(/^The request signature we calculated does not match/),
        accessKeyId: CALLER.accessKeyId,
      });
    });

    it.each([
      ["a signed header", "x-apideck-consumer-id", "tenant:2"],
      ["the Host", "host", "evil.example:3000"],
    ])("%s changed after signing as a mismatch", async (_name, header, value) => {
      expect(verify(withHeader(await signed(), header, value))).toMatchObject({
        ok: false,
        failure: "mismatch",
      });
    });

    it("a path or query changed after signing as a mismatch", async () => {
      const request = await signed({ url: "http://127.0.0.1:3000/vault/sessions?a=1" });

      expect(verify({ ...request, url: "/vault/sessions?a=2" })).toMatchObject({ failure: "mismatch" });
      expect(verify({ ...request, url: "/sessions?a=1" })).toMatchObject({ failure: "mismatch" });
      expect(verify({ ...request, method: "PUT" })).toMatchObject({ failure: "mismatch" });
    });

    it("the right key id with a wrong secret as a mismatch", async () => {
      const request = await signed({ signer: { ...CALLER, secretAccessKey: "guessed-secret" } });

      expect(verify(request)).toMatchObject({ ok: false, failure: "mismatch" });
    });

    it("an unknown access key as unrecognized, naming the key id", async () => {
      const request = await signed({ signer: { accessKeyId: "LOCALOTHERKEY0000003", secretAccessKey: "x" } });

      expect(verify(request)).toEqual({
        ok: false,
        failure: "unrecognized",
        message: "The security token included in the request is invalid.",
        accessKeyId: "LOCALOTHERKEY0000003",
      });
    });

    it("a session token on long-term credentials, and a wrong or missing one on temporary ones", async () => {
      const extraToken = await signed({ signer: { ...CALLER, sessionToken: "made-up" } });
      const wrongToken = await signed({ signer: { ...TEMPORARY, sessionToken: "other-token" } });
      const noToken = await signed({
        signer: { accessKeyId: TEMPORARY.accessKeyId, secretAccessKey: TEMPORARY.secretAccessKey },
      });

      for (const request of [extraToken, wrongToken, noToken]) {
        expect(verify(request)).toMatchObject({ ok: false, failure: "unrecognized" });
      }
    });

    it("a signature over five minutes old, in AWS's words", async () => {
      expect(verify(await signed({ datetime: "20260115T115459Z" }))).toMatchObject({
        ok: false,
        failure: "expired",
        message:
          "Signature expired: 20260115T115459Z is now earlier than 20260115T115500Z (20260115T120000Z - 5 min.)",
      });
    });

    it("a signature over five minutes ahead", async () => {
      expect(verify(await signed({ datetime: "20260115T120501Z" }))).toMatchObject({
        failure: "expired",
        message:
          "Signature not yet current: 20260115T120501Z is still later than 20260115T120500Z (20260115T120000Z + 5 min.)",
      });
    });

    it.each([
      [
        "another region",
        { region: "eu-west-1" },
        "Credential should be scoped to a valid region, not 'eu-west-1'.",
      ],
      [
        "another service",
        { service: "lambda" },
        "Credential should be scoped to correct service: 'execute-api'.",
      ],
    ])("a credential scoped to %s", async (_name, init, message) => {
      expect(verify(await signed(init))).toEqual({ ok: false, failure: "scope", message });
    });

    it("a scope date that is not the day of x-amz-date", async () => {
      const request = withHeader(await signed(), "x-amz-date", "20260116T000000Z");

      expect(verify(request)).toMatchObject({
        failure: "scope",
        message: expect.stringContaining("'20260115' != '20260116'"),
      });
    });
  });

  it("never puts the signature or the secret in its message", async () => {
    const request = await signed({ signer: { ...CALLER, secretAccessKey: "guessed-secret" } });
    const signature = /Signature=([0-9a-f]{64})/.exec(authorizationOf(request))?.[1] ?? "missing";

    const result = JSON.stringify(verify(request));

    expect(result).not.toContain(signature);
    expect(result).not.toContain(CALLER.secretAccessKey);
    expect(result).not.toContain("guessed-secret");
  });
});
