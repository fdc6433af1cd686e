import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createKeyHasher, type KeyHasher } from "./key-hash.ts";

/** Options of `createPepperReader`. */
export interface PepperReaderOptions {
  readonly client: SecretsManagerClient;
  /** Name or ARN of the secret holding the pepper as a plain `SecretString`. */
  readonly secretId: string;
}

/**
 * Reads the pepper once per instance and keeps the hasher built from it: a pepper is never
 * rotated in place (every stored hash depends on it), so there is nothing to refresh. A read in
 * flight is shared; a failed read is not kept, so the next request tries again.
 */
export function createPepperReader({ client, secretId }: PepperReaderOptions): () => Promise<KeyHasher> {
  let hasher: Promise<KeyHasher> | undefined;
  return () => {
    hasher ??= client
      .send(new GetSecretValueCommand({ SecretId: secretId }))
      // createKeyHasher refuses a missing or short pepper (PepperTooShortError): deny nothing, fail loudly.
      .then(({ SecretString }) => createKeyHasher(SecretString ?? ""))
      .catch((error: unknown) => {
        hasher = undefined;
        throw error;
      });
    return hasher;
  };
}
