import { createHash, createHmac } from "node:crypto";

// The canonical request of AWS Signature Version 4, computed from the request as it arrived:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// It follows the non-S3 rules that `@smithy/signature-v4` (the AWS SDK), aws4fetch and curl
// implement: the path normalized and URI-encoded twice, the query sorted and RFC 3986-encoded, the
// headers named in SignedHeaders with trimmed values, and the SHA-256 of the body actually received.

/** One HTTP request exactly as it reached the server, which is what a signature covers. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query string as on the request line, still percent-encoded. */
  readonly url: string;
  /** Node's `req.rawHeaders`: name, value, name, value, ... in arrival order. */
  readonly rawHeaders: readonly string[];
  /** The body's bytes. */
  readonly body: Uint8Array;
}

/** The algorithm name in the Authorization header and the string to sign. */
export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";

/** Lower-case hex SHA-256. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** RFC 3986 encoding as AWS wants it: encodeURIComponent plus `!'()*`. */
function awsUriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The canonical URI: dot segments and empty segments removed, then each segment encoded again. */
export function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith("/") ? "/" : "";
  return `/${segments.map(awsUriEncode).join("/")}${trailing}`;
}

/**
 * The canonical query string: each name and value decoded (`+` read as a space, as URLSearchParams
 * and aws4fetch do), RFC 3986-encoded, sorted by name then value; nameless pairs are left out.
 */
export function canonicalQuery(rawQuery: string): string {
  const pairs = [...new URLSearchParams(rawQuery)]
    .filter(([name]) => name !== "")
    .map(([name, value]) => [awsUriEncode(name), awsUriEncode(value)]);
  pairs.sort(([aName = "", aValue = ""], [bName = "", bValue = ""]) =>
    aName === bName ? compare(aValue, bValue) : compare(aName, bName),
  );
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Header values by lower-case name: trimmed, inner runs of spaces collapsed, repeats joined by ",". */
export function canonicalHeaderValues(rawHeaders: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? "").toLowerCase();
    const value = (rawHeaders[i + 1] ?? "").trim().replace(/\s+/g, " ");
    const previous = values.get(name);
    values.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return values;
}

/** The canonical request for `signedHeaders` (lower-case names, in the order the signer listed them). */
export function canonicalRequest(request: ReceivedRequest, signedHeaders: readonly string[]): string {
  const [rawPath = "/", rawQuery = ""] = splitOnce(request.url, "?");
  const headers = canonicalHeaderValues(request.rawHeaders);
  const headerLines = signedHeaders.map((name) => `${name}:${headers.get(name) ?? ""}\n`).join("");
  return [
    request.method.toUpperCase(),
    canonicalPath(rawPath),
    canonicalQuery(rawQuery),
    headerLines,
    signedHeaders.join(";"),
    sha256Hex(request.body),
  ].join("\n");
}

/** The string to sign: algorithm, request date, credential scope, hash of the canonical request. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [SIGV4_ALGORITHM, amzDate, scope, sha256Hex(canonical)].join("\n");
}

/** The signing key: the secret HMAC-chained through date, region, service and `aws4_request`. */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  let key: Buffer | string = `AWS4${secretAccessKey}`;
  for (const part of [date, region, service, "aws4_request"]) {
    key = createHmac("sha256", key).update(part).digest();
  }
  return key as Buffer;
}

/** Hex HMAC-SHA256 of `data` under `key`: the signature itself. */
export function hmacHex(key: Buffer, data: string): string {
  return createHmac("sha256", key).update(data).digest("hex");
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
}
