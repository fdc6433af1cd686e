import { SIGV4_ALGORITHM } from "./sigv4-canonical.ts";

/** The parts of a SigV4 `Authorization` header. */
export interface ParsedAuthorization {
  keyId: string;
  date: string;
  scopeRegion: string;
  scopeService: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

/** Splits `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`; a string names what is wrong. */
export function parseAuthorization(header: string): ParsedAuthorization | string {
  const [algorithm = "", ...rest] = header.split(" ");
  const parts = new Map<string, string>();
  for (const part of rest.join(" ").split(",")) {
    const at = part.indexOf("=");
    if (at > 0) parts.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const missing = ["Credential", "Signature", "SignedHeaders"].filter((name) => !parts.get(name));
  if (algorithm !== SIGV4_ALGORITHM || missing.length > 0) {
    const named = algorithm === SIGV4_ALGORITHM ? missing : ["Credential", "Signature", "SignedHeaders"];
    return named.map((name) => `Authorization header requires '${name}' parameter.`).join(" ");
  }
  const credential = (parts.get("Credential") ?? "").split("/");
  const [keyId = "", date = "", scopeRegion = "", scopeService = "", terminator = ""] = credential;
  if (credential.length !== 5 || keyId === "" || !/^\d{8}$/.test(date)) {
    return "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.";
  }
  const signature = parts.get("Signature") ?? "";
  const signedHeaders = (parts.get("SignedHeaders") ?? "").split(";");
  return { keyId, date, scopeRegion, scopeService, terminator, signedHeaders, signature };
}

/** AWS's wording when the request date is too far from now, or undefined when it is close enough. */
export function checkSkew(amzDate: string, nowMs: number, maxSkewMs: number): string | undefined {
  const signedAt = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const minutes = Math.round(maxSkewMs / 60_000);
  const format = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, "");
  if (Number.isNaN(signedAt))
    return "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";
  if (signedAt < nowMs - maxSkewMs) {
    return `Signature expired: ${amzDate} is now earlier than ${format(nowMs - maxSkewMs)} (${format(nowMs)} - ${minutes} min.)`;
  }
  if (signedAt > nowMs + maxSkewMs) {
    return `Signature not yet current: ${amzDate} is still later than ${format(nowMs + maxSkewMs)} (${format(nowMs)} + ${minutes} min.)`;
  }
  return undefined;
}
