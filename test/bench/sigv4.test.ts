import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { signRequest, type UnsignedRequest } from "./fixtures/sigv4.ts";

// The limit handler signs GetSecretValue with node:crypto alone; it is only a fair limit if AWS
// would accept that signature, i.e. if it is the one the SDK's signer computes for the same request.
describe("signRequest (limit handler)", () => {
  const body = JSON.stringify({ SecretId: "vault-session-broker/apideck-api-key" });
  const request: UnsignedRequest = {
    method: "POST",
    host: "secretsmanager.eu-west-1.amazonaws.com",
    path: "/",
    headers: {
      "content-length": String(Buffer.byteLength(body)),
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "secretsmanager.GetSecretValue",
    },
    body,
  };
  const date = new Date("2026-11-22T13:00:00.123Z");

  /** What @smithy/signature-v4 (the AWS SDK's signer) sends for the same request. */
  async function smithyHeaders(credentials: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  }): Promise<Record<string, string>> {
    const signer = new SignatureV4({
      credentials,
      region: "eu-west-1",
      service: "secretsmanager",
      sha256: Sha256,
    });
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: "https:",
        hostname: "secretsmanager.eu-west-1.amazonaws.com",
        path: request.path,
        query: {},
        headers: { ...request.headers, host: request.host },
        body,
      },
      { signingDate: date },
    );
    return signed.headers as Record<string, string>;
  }

  it("produces the same headers and signature as @smithy/signature-v4 with session credentials", async () => {
    const credentials = {
      accessKeyId: "ASIAZ3EXAMPLE7KQ2VJX",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      sessionToken: "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN",
    };

    const ours = signRequest(request, { region: "eu-west-1", service: "secretsmanager", credentials, date });

    expect(ours).toEqual(await smithyHeaders(credentials));
    expect(ours.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAZ3EXAMPLE7KQ2VJX\/20261122\/eu-west-1\/secretsmanager\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
  });

  it("produces the same signature without a session token, and a different one for another body", async () => {
    const credentials = {
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    };
    const scope = { region: "eu-west-1", service: "secretsmanager", credentials, date };

    const ours = signRequest(request, scope);
    const other = signRequest({ ...request, body: `${body} ` }, scope);

    expect(ours).toEqual(await smithyHeaders(credentials));
    expect(ours["x-amz-security-token"]).toBeUndefined();
    expect(other.authorization).not.toBe(ours.authorization);
  });
});
