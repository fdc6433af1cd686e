import { parseArgs } from "node:util";
import { createCommand } from "./create-command.ts";
import { KeySpecError } from "./issue-key.ts";
import { KeyExistsError, KeyNotFoundError } from "./key-table.ts";
import { type KeysClients, openKeysContext, UsageError } from "./keys-context.ts";
import { listCommand } from "./list-command.ts";
import type { Output } from "./output.ts";
import { revokeCommand } from "./revoke-command.ts";
import { rotateCommand } from "./rotate-command.ts";

/** `npm run keys -- help`. */
export const USAGE = `Usage: npm run keys -- <command> [options]

Commands:
  create --name <name> --scope <globs> [--apis crm,hris] [--max-session-length 30m]
         [--expires-in 90d | --expires-at 2027-01-31T00:00:00Z]
                          issue a key; its text is printed once, on stdout
  list [--json]           every key: id, name, status, scope, limits, dates (never a secret or hash)
  revoke <key-id>         revoke a key (it stops working within the authorizer cache TTL)
  rotate <key-id> [--grace 1h | --grace 0] [--expires-in ...]
                          issue a replacement with the same name, scope and limits; the old key
                          ends after the grace period (0: revoked at once)

Where (every command):
  --table <name>             BROKER_KEYS_TABLE_NAME; the stack output BrokerKeysTableName
  --pepper-secret-id <id>    BROKER_KEYS_PEPPER_SECRET_ID; the stack output BrokerKeyPepperSecretArn
  --region <region>          AWS_REGION or your profile's
  --endpoint <url>           a DynamoDB endpoint (local mode), or AWS_ENDPOINT_URL_DYNAMODB
  --secrets-endpoint <url>   a Secrets Manager endpoint (local mode), or AWS_ENDPOINT_URL_SECRETS_MANAGER
Credentials: the AWS SDK's default chain (profile, SSO, environment); the tool writes to the table.
Scopes are globs: * matches any run of characters, everything else is literal.`;

const OPTIONS = {
  table: { type: "string" },
  "pepper-secret-id": { type: "string" },
  region: { type: "string" },
  endpoint: { type: "string" },
  "secrets-endpoint": { type: "string" },
  name: { type: "string" },
  scope: { type: "string" },
  apis: { type: "string" },
  "max-session-length": { type: "string" },
  "expires-in": { type: "string" },
  "expires-at": { type: "string" },
  grace: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * Runs the operator tool and returns its exit code: 0 done, 1 refused or failed, 2 usage. Errors
 * are one line on stderr (an AWS error by its name and message), never a stack trace; nothing the
 * tool prints except `create` and `rotate`'s single stdout line contains a key.
 */
export async function runKeysCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  output: Output,
  clients: KeysClients = {},
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    output.err(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === "help") {
    output.err(`${USAGE}\n`);
    return command === undefined && !values.help ? 2 : 0;
  }
  let context: ReturnType<typeof openKeysContext> | undefined;
  try {
    if (!["create", "list", "revoke", "rotate"].includes(command))
      throw new UsageError(`unknown command ${command}`);
    if (rest.length > (command === "revoke" || command === "rotate" ? 1 : 0))
      throw new UsageError(`unexpected argument ${rest.at(-1)}`);
    context = openKeysContext(
      {
        table: values.table,
        pepperSecretId: values["pepper-secret-id"],
        endpoint: values.endpoint,
        secretsEndpoint: values["secrets-endpoint"],
        region: values.region,
      },
      env,
      clients,
    );
    const expiry = { expiresIn: values["expires-in"], expiresAt: values["expires-at"] };
    if (command === "create") {
      const limits = { apis: values.apis, maxSessionLength: values["max-session-length"] };
      await createCommand(context, { name: values.name, scope: values.scope, ...limits, ...expiry }, output);
    } else if (command === "list") await listCommand(context, { json: values.json ?? false }, output);
    else if (command === "revoke") await revokeCommand(context, rest[0], output);
    else await rotateCommand(context, rest[0], { grace: values.grace, ...expiry }, output);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    const known =
      error instanceof KeySpecError || error instanceof KeyNotFoundError || error instanceof KeyExistsError;
    const { name, message } = error as Error;
    output.err(known ? `${message}\n` : `${name}: ${message}\n`);
    return 1;
  } finally {
    context?.close();
  }
}
