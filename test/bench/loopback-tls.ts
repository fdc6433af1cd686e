import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A self-signed certificate for the IPv6 loopback, and the file children trust it from. */
export interface LoopbackCertificate {
  readonly key: string;
  readonly cert: string;
  /** For `NODE_EXTRA_CA_CERTS`: children trust it as a root, nothing else changes. */
  readonly certFile: string;
}

/**
 * Makes a one-day self-signed certificate for `::1` (and 127.0.0.1) with the openssl CLI, so the
 * Lambda model's proxies can speak HTTPS as Secrets Manager and Apideck do: the TLS handshake's
 * CPU and node:https (or undici's TLS) loading belong in a cold start. Returns why not when
 * openssl is missing or fails; the model then speaks plain HTTP and says so.
 */
export function createLoopbackCertificate(dir: string): LoopbackCertificate | { reason: string } {
  const keyFile = join(dir, "loopback-key.pem");
  const certFile = join(dir, "loopback-cert.pem");
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=vault-session-broker bench loopback",
        "-addext",
        "subjectAltName=IP:::1,IP:127.0.0.1",
        "-keyout",
        keyFile,
        "-out",
        certFile,
      ],
      { stdio: "pipe" },
    );
  } catch (error) {
    return { reason: `no TLS: openssl could not make a loopback certificate (${(error as Error).message})` };
  }
  return { key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8"), certFile };
}
