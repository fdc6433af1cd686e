import { startLocalStack } from "./local-stack.ts";

// `npm start`: the real handler on http://127.0.0.1:${PORT:-3000}, with loopback stand-ins for
// whatever is not configured (see README "Local mode").
const port = Number(process.env.PORT ?? 3000);
const stack = await startLocalStack({ port });
const { accessKeyId, secretAccessKey } = stack.credentials;

const apideck = stack.simulator
  ? `simulator at ${stack.simulator.url}`
  : `${process.env.APIDECK_BASE_URL} (real)`;
const secrets = stack.secretsManager
  ? `local endpoint at ${stack.secretsManager.url}`
  : `${process.env.APIDECK_SECRET_ID} via the AWS SDK's standard configuration`;
const cors = stack.corsOrigins.length
  ? stack.corsOrigins.join(", ")
  : "none (set CORS_ORIGINS=http://localhost:5173 to let a browser app call it)";

process.stdout.write(`
vault-session-broker is running at ${stack.url}
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

Ctrl-C stops it.
`);

const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
