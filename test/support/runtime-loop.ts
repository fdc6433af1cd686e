// A Lambda runtime client for one Node.js function, run as its own process the way Lambda runs
// `aws-lambda-ric` 4.0.2 (the client of the nodejs24.x runtime), with its wire format: it checks
// the environment Lambda sets, imports `_HANDLER`'s module from LAMBDA_TASK_ROOT, reports a failed
// import to /runtime/init/error (body {errorType, errorMessage, trace}, the type also in the
// Lambda-Runtime-Function-Error-Type header) and exits 1, then loops on /runtime/invocation/next,
// posting the result as JSON to /response or the error, same body, to /error (the client's native
// addon sends no error-type header there). It stands in for aws-lambda-ric, which is not a
// dependency (its native addon is compiled at install); aws-lambda-ric 4.0.2 itself gives the same
// answers (README "Direct invocation": AWS_LAMBDA_RIC=<its index.mjs> runs the suite with it).

import { request } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// aws-lambda-ric refuses to start without these (ContextBuilder.validateEnvironment).
const REQUIRED = [
  "AWS_LAMBDA_RUNTIME_API",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
];
const missing = REQUIRED.filter((name) => !process.env[name]);
if (missing.length > 0) throw new Error(`Missing required environment variables: ${missing.join(", ")}`);

const api = process.env.AWS_LAMBDA_RUNTIME_API ?? "";
const [moduleName = "index", handlerName = "handler"] = (process.env._HANDLER ?? "index.handler").split(".");
const BASE = "/2018-06-01/runtime";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const [hostname, port] = api.split(":");
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port: Number(port), path, method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Errors.toRapidResponse: an Error's name, message and stack lines; anything else by its type. */
function toRapidResponse(error: unknown) {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? "").split("\n") };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function postError(path: string, error: unknown, typeHeader: boolean): Promise<Reply> {
  const body = toRapidResponse(error);
  return call("POST", path, JSON.stringify(body), {
    "content-type": "application/json",
    ...(typeHeader && { "lambda-runtime-function-error-type": body.errorType }),
  });
}

let handler: (event: unknown, context: object) => Promise<unknown>;
try {
  const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  const module = (await import(pathToFileURL(join(root, `${moduleName}.mjs`)).href)) as Record<
    string,
    unknown
  >;
  handler = module[handlerName] as typeof handler;
  if (typeof handler !== "function")
    throw new Error(`${moduleName}.${handlerName} is undefined or not exported`);
} catch (error) {
  await postError(`${BASE}/init/error`, error, true);
  process.exit(1);
}

for (;;) {
  const next = await call("GET", `${BASE}/invocation/next`);
  const header = (name: string) => String(next.headers[name] ?? "");
  const requestId = header("lambda-runtime-aws-request-id");
  const deadline = Number(header("lambda-runtime-deadline-ms"));
  const context = {
    awsRequestId: requestId,
    invokedFunctionArn: header("lambda-runtime-invoked-function-arn"),
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    // Read per call, from the header Lambda sets on each invocation.
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  const path = `${BASE}/invocation/${encodeURIComponent(requestId)}`;
  try {
    const result = await handler(JSON.parse(next.body), context);
    await call("POST", `${path}/response`, JSON.stringify(result === undefined ? null : result), {
      "content-type": "application/json",
    });
  } catch (error) {
    await postError(`${path}/error`, error, false);
  }
}
