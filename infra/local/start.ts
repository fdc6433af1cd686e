import type { LocalStack } from "./local-stack.ts";
import { apideckKeyWarning, INVALID_PORT_MESSAGE, parsePort, portInUseMessage } from "./start-checks.ts";

// `npm start`: the real handler on http://127.0.0.1:${PORT:-3000}, with loopback stand-ins for
// whatever is not configured (see README "Local mode"). Mistakes a user can fix end in one line on
// stderr and exit code 1, never a stack trace.
const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};
const port = parsePort(process.env.PORT) ?? fail(INVALID_PORT_MESSAGE);
const warning = apideckKeyWarning(process.env);
if (warning) process.stderr.write(`${warning}\n`);
let stack: LocalStack;
try {
  // Loaded after the checks: the stand-ins and the handler take a while to import.
  const { startLocalStack } = await import("./local-stack.ts");
  stack = await startLocalStack({ port });
} catch (error) {
  const { code, name, message } = error as { code?: string; name?: string; message?: string };
  if (code === "EADDRINUSE") fail(portInUseMessage(port));
  if (name === "InvalidEnvironmentError") fail(message ?? name);
  throw error;
}

const apideck = stack.simulator
  ? `simulator at ${stack.simulator.url}`
  : `${process.env.APIDECK_BASE_URL} (APIDECK_BASE_URL)`;
const secrets = stack.secretsManager
  ? `local endpoint at ${stack.secretsManager.url}`
  : `${process.env.APIDECK_SECRET_ID} via the AWS SDK's standard configuration`;

process.stdout.write(`
vault-session-broker is running at ${stack.url}
  Apideck:         ${apideck}
  Secrets Manager: ${secrets}
  App id:          ${stack.appId}

IAM route (backends; locally every caller counts as IAM-signed):
  curl -s -X POST ${stack.url}/vault/sessions -H 'x-apideck-consumer-id: test-consumer' -H 'content-type: application/json' -d '{"redirect_uri":"https://example.com/done"}'

JWT route (apps; the consumer is the token's sub, here "local-consumer"; token valid 12 h):
  curl -s -X POST ${stack.url}/sessions -H 'authorization: Bearer ${stack.token}' -H 'content-type: application/json' -d '{}'

Ctrl-C stops it.
`);

const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
