import { timingSafeEqual } from "node:crypto";
import {
  canonicalHeaderValues,
  canonicalRequest,
  hmacHex,
  type ReceivedRequest,
  signingKey,
  stringToSign,
} from "./sigv4-canonical.ts";
import { checkSkew, parseAuthorization } from "./sigv4-header.ts";

/** AWS credentials: a long-term key pair, or temporary ones with their session token. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * Why a request was refused, in AWS's categories: no signature at all, a malformed one, an unknown
 * key or session token, a date outside the allowed skew, a credential scope for another service,
 * region or day, or a signature that does not match.
 */
export type SigV4Failure = "missing" | "incomplete" | "unrecognized" | "expired" | "scope" | "mismatch";

/**
 * The error type AWS services answer a refused signature with: no signature, a malformed one, an
 * unknown key or token (`UnrecognizedClientException`), a bad scope, date or signature
 * (`InvalidSignatureException`). Each service wraps it in its own protocol's error body.
 */
export function sigV4ErrorType(failure: SigV4Failure): string {
  return SIGV4_ERROR_TYPES[failure];
}

const SIGV4_ERROR_TYPES: Record<SigV4Failure, string> = {
  missing: "MissingAuthenticationTokenException",
  incomplete: "IncompleteSignatureException",
  unrecognized: "UnrecognizedClientException",
  expired: "InvalidSignatureException",
  scope: "InvalidSignatureException",
  mismatch: "InvalidSignatureException",
};

/** A verified signer, or why not, with AWS's wording of the problem (no signature or secret in it). */
export type SigV4Result =
  | { readonly ok: true; readonly accessKeyId: string }
  | {
      readonly ok: false;
      readonly failure: SigV4Failure;
      readonly message: string;
      readonly accessKeyId?: string;
    };

/** Options of {@link createSigV4Verifier}. */
export interface SigV4VerifierOptions {
  /** The signing name the credential scope must carry, e.g. `execute-api` or `secretsmanager`. */
  readonly service: string;
  readonly region: string;
  /** The only credentials whose signatures are accepted. */
  readonly credentials: readonly AwsCredentials[];
  /** @default Date.now */
  readonly now?: () => number;
  /** Largest accepted difference between the request's date and now. @default 5 minutes, as AWS */
  readonly maxSkewMs?: number;
}

/** Verifies one request's SigV4 `Authorization` header. */
export type SigV4Verifier = (request: ReceivedRequest) => SigV4Result;

const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const INVALID_TOKEN = "The security token included in the request is invalid.";
const AMZ_DATE = /^(\d{8})T\d{6}Z$/;

/**
 * Verifies SigV4 signatures the way AWS does before a request reaches a service: the header's
 * parts, the date (x-amz-date) within the skew, the credential scope, the access key and session
 * token, then the signature over the canonical request (constant-time comparison). Query-string
 * (presigned) signatures are not accepted: the local routes are called with headers only.
 */
export function createSigV4Verifier(options: SigV4VerifierOptions): SigV4Verifier {
  const { service, region } = options;
  const now = options.now ?? Date.now;
  const maxSkewMs = options.maxSkewMs ?? 5 * 60_000;
  const byKeyId = new Map(options.credentials.map((credentials) => [credentials.accessKeyId, credentials]));
  const fail = (failure: SigV4Failure, message: string, accessKeyId?: string): SigV4Result => ({
    ok: false,
    failure,
    message,
    ...(accessKeyId !== undefined && { accessKeyId }),
  });

  return (request) => {
    const headers = canonicalHeaderValues(request.rawHeaders);
    const authorization = headers.get("authorization");
    if (authorization === undefined || authorization === "")
      return fail("missing", "Missing Authentication Token");
    const parsed = parseAuthorization(authorization);
    if (typeof parsed === "string") return fail("incomplete", parsed);
    const { keyId, date, scopeRegion, scopeService, terminator, signedHeaders, signature } = parsed;

    const amzDate = headers.get("x-amz-date") ?? "";
    const dateMatch = AMZ_DATE.exec(amzDate);
    if (dateMatch === null) {
      return fail(
        "incomplete",
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      );
    }
    if (terminator !== "aws4_request") {
      return fail(
        "scope",
        `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`,
      );
    }
    if (scopeService !== service)
      return fail("scope", `Credential should be scoped to correct service: '${service}'.`);
    if (scopeRegion !== region) {
      return fail("scope", `Credential should be scoped to a valid region, not '${scopeRegion}'.`);
    }
    if (date !== dateMatch[1]) {
      return fail(
        "scope",
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${dateMatch[1]}', from '${amzDate}'.`,
      );
    }
    const skew = checkSkew(amzDate, now(), maxSkewMs);
    if (skew !== undefined) return fail("expired", skew);
    if (!signedHeaders.includes("host")) {
      return fail("incomplete", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }

    const credentials = byKeyId.get(keyId);
    if (credentials === undefined) return fail("unrecognized", INVALID_TOKEN, keyId);
    const token = headers.get("x-amz-security-token");
    // Long-term keys take no token; temporary ones need theirs.
    if ((token ?? "") !== (credentials.sessionToken ?? "")) return fail("unrecognized", INVALID_TOKEN, keyId);

    const scope = `${date}/${region}/${service}/aws4_request`;
    const expected = hmacHex(
      signingKey(credentials.secretAccessKey, date, region, service),
      stringToSign(amzDate, scope, canonicalRequest(request, signedHeaders)),
    );
    if (!sameHex(expected, signature)) return fail("mismatch", MISMATCH, keyId);
    return { ok: true, accessKeyId: keyId };
  };
}

/** Constant-time comparison of two hex signatures. */
function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
