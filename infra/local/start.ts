import type { LocalStackWithDemo } from "./demo/demo-stack.ts";
import { apideckKeyWarning, invalidPortMessage, parsePort, portInUseMessage } from "./start-checks.ts";

// `npm start`: the real handler on http://127.0.0.1:${PORT:-3000}, with loopback stand-ins for
// whatever is not configured (see README "Local mode"). Mistakes a user can fix end in one line on
// stderr and exit code 1, never a stack trace.
const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};
const port = parsePort(process.env.PORT) ?? fail(invalidPortMessage("PORT"));
const demoPort =
  parsePort(process.env.DEMO_PORT, port === 0 || port === 65_535 ? 0 : port + 1) ??
  fail(invalidPortMessage("DEMO_PORT"));
const warning = apideckKeyWarning(process.env);
if (warning) process.stderr.write(`${warning}\n`);
let started: LocalStackWithDemo;
try {
  // Loaded after the checks: the stand-ins and the handler take a while to import.
  const { startLocalStackWithDemo } = await import("./demo/demo-stack.ts");
  started = await startLocalStackWithDemo({ port, demoPort });
} catch (error) {
  const {
    code,
    port: busy,
    name,
    message,
  } = error as { code?: string; port?: number; name?: string; message?: string };
  if (code === "EADDRINUSE") {
    const taken = busy ?? port;
    fail(portInUseMessage(taken, taken === demoPort && taken !== port ? "DEMO_PORT" : "PORT"));
  }
  if (name === "InvalidEnvironmentError") fail(message ?? name);
  throw error;
}
const { stack, demo } = started;
const { accessKeyId, secretAccessKey } = stack.credentials;

const apideck = stack.simulator
  ? `simulator at ${stack.simulator.url}`
  : `${process.env.APIDECK_BASE_URL} (APIDECK_BASE_URL)`;
const secrets = stack.secretsManager
  ? `local endpoint at ${stack.secretsManager.url}`
  : `${process.env.APIDECK_SECRET_ID} via the AWS SDK's standard configuration`;
const cors = stack.corsOrigins.length
  ? stack.corsOrigins.join(", ")
  : "none (set CORS_ORIGINS=http://localhost:5173 to let a browser app call it)";

// Before the banner: it is longer than a pipe's atomic write, so a reader can act on its first
// line (and signal us) while the rest is still being written.
const stop = async () => {
  await Promise.all([stack.close(), demo.close()]);
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);

process.stdout.write(`
vault-session-broker is running at ${stack.url}
  Demo app:        ${demo.url}  (open it: a browser app on its own origin, signed in as "local-consumer")
  Apideck:         ${apideck}
  Secrets Manager: ${secrets}
  App id:          ${stack.appId}
  CORS origins:    ${cors}

IAM route (backends): SigV4-signed for execute-api in ${stack.region}, as deployed; unsigned requests get 403.
  Development credentials (LOCAL_ACCESS_KEY_ID / LOCAL_SECRET_ACCESS_KEY to choose your own):
    access key id:     ${accessKeyId}
    secret access key: ${secretAccessKey}
  curl -s -X POST ${stack.url}/vault/sessions --aws-sigv4 "aws:amz:${stack.region}:execute-api" --user "${accessKeyId}:${secretAccessKey}" -H 'x-apideck-consumer-id: test-consumer' -H 'content-type: application/json' -d '{"redirect_uri":"https://example.com/done"}'

JWT route (apps; the consumer is the token's sub, here "local-consumer"; token valid 12 h):
  curl -s -X POST ${stack.url}/sessions -H 'authorization: Bearer ${stack.token}' -H 'content-type: application/json' -d '{}'
${brokerKeyLines(stack)}
Ctrl-C stops it.
`);

/** The broker-key part of the banner: the key created for this run, shown here only. */
function brokerKeyLines(running: typeof stack): string {
  const { key, environment } = running.brokerKeys;
  const scope = key.record.consumer_scope.join(",");
  const env = Object.entries(environment)
    .filter(([name]) => name.startsWith("AWS_"))
    .map(([name, value]) => `${name}=${value}`)
    .join(" ");
  return `
Broker-key route (backends outside AWS, and every Apideck SDK unchanged but for serverURL):
  Broker key "${key.record.name}", consumer scope ${scope} (LOCAL_BROKER_KEY_SCOPE to choose; valid until Ctrl-C):
    ${key.text}
  new Apideck({ apiKey: "${key.text}", appId: "${running.appId}", consumerId: "test-consumer", serverURL: "${running.url}/sdk" })
  curl -s -X POST ${running.url}/sdk/vault/sessions -H 'authorization: Bearer ${key.text}' -H 'x-apideck-consumer-id: test-consumer' -H 'content-type: application/json' -d '{}'
  More keys against this run's key table:
    ${env} npm run keys -- create --table ${environment.BROKER_KEYS_TABLE_NAME} --pepper-secret-id ${environment.BROKER_KEYS_PEPPER_SECRET_ID} --name my-backend --scope 'tenant-a:*'
`;
}
