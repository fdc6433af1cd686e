import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/** The Lambda context the local gateway passes: a fresh request id and the function's remaining time. */
export function lambdaContext(getRemainingTimeInMillis: () => number, region: string): Context {
  const functionName = "vault-session-broker-local";
  return {
    awsRequestId: randomUUID(),
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    memoryLimitInMB: "256",
    getRemainingTimeInMillis,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
