import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { vi } from "vitest";

// Stand-ins for the secret reader's unit tests. The wire-level tests use the real SDK client
// against the loopback Secrets Manager endpoint (infra/local/secrets-manager-endpoint.ts).

/** The secret the unit tests read. */
export const SECRET_ID = "vault-session-broker/apideck-api-key";

/**
 * A client whose `send` answers with these, in order: a string is the SecretString, an Error is
 * thrown, a Promise is returned as is (to hold a read in flight).
 */
export function fakeSecretsClient(...answers: Array<string | Error | Promise<unknown>>) {
  const send = vi.fn();
  for (const answer of answers) {
    if (answer instanceof Error) send.mockRejectedValueOnce(answer);
    else if (answer instanceof Promise) send.mockReturnValueOnce(answer);
    else send.mockResolvedValueOnce({ SecretString: answer });
  }
  return { client: { send } as unknown as SecretsManagerClient, send };
}

/** An error shaped like the SDK's service exceptions: only `name` matters to the reader. */
export function awsError(name: string): Error {
  return Object.assign(new Error(`${name}: simulated`), { name });
}

/** A promise with its resolve/reject exposed, to hold a read in flight. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
