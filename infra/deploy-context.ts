import { RetentionDays } from "aws-cdk-lib/aws-logs";
import * as z from "zod";
import { APP_ID_PATTERN, CLAIM_NAME_PATTERN } from "../lambda/environment-variable.ts";
import { InvalidDeployContextError } from "./configuration-error.ts";
import { unknownKeyProblems } from "./context-keys.ts";
import { type ContextPolicy, POLICY_CONTEXT_KEYS, readContextPolicy } from "./context-policy.ts";
import {
  blankToUndefined,
  booleanFrom,
  commaList,
  numberFrom,
  optional,
  trimmedString,
  upperCaseEnum,
} from "./context-values.ts";
import { OAUTH_SCOPE, OAUTH_SCOPE_FORM } from "./http-api-routes.ts";

/**
 * Everything a deployer sets, read from CDK context (`cdk.json` or `-c key=value`). `-c` always
 * passes strings, so numbers, booleans and comma-separated lists are accepted as strings too; an
 * empty value counts as unset. README "Deploy" describes each key with its default (a test keeps
 * that table and this list the same). `secretArn` must be the complete ARN, ending in the
 * 6-character suffix; with only the name, use `secretName`. `jwtIssuer` and `jwtAudience` go
 * together. `logRetentionDays` takes a CloudWatch Logs value (1, 3, 5, 7, 14, 30, 60, 90, ...).
 */
export const DEPLOY_CONTEXT_KEYS = [
  "appId",
  "secretName",
  "secretArn",
  "kmsKeyArn",
  "logsKmsKeyArn",
  "apideckBaseUrl",
  "jwtIssuer",
  "jwtAudience",
  "jwtScopes",
  "consumerIdClaim",
  "corsOrigins",
  "throttleRateLimit",
  "throttleBurstLimit",
  "logRetentionDays",
  "alarmEmail",
  "reservedConcurrency",
  "tracing",
  "logLevel",
  "systemLogLevel",
  "dashboard",
  "sessionDefaults",
  "redirectAllowlist",
  "lockedFields",
  "allowedUnifiedApis",
  "maxSessionLength",
  "consumerIdScope",
  "brokerKeys",
] as const;

/** The `appId` that `cdk.json` ships, so an offline `cdk synth` works before anyone configures it. */
export const APP_ID_PLACEHOLDER = "REPLACE_WITH_APIDECK_APP_ID";

/** An optional KMS key ARN (the secret's key, the logs' key). */
function kmsKeyArnSchema() {
  return optional(
    trimmedString(
      z.string().regex(/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, "must be a KMS key ARN"),
    ),
  );
}

const RETENTION_DAYS = Object.values(RetentionDays).filter(
  (days): days is number => typeof days === "number",
);

/**
 * The deploy context, validated. Example (`cdk.json`):
 * `{ "appId": "dSBdXd2H6Mqwfg0atXHXYcysLJE9qyn1VwBtXHX", "jwtIssuer": "https://example.eu.auth0.com/",
 *   "jwtAudience": "vault-api" }`
 */
export const DeployContextSchema = z
  .object({
    // Same rules as the function's APIDECK_APP_ID and CONSUMER_ID_CLAIM (lambda/config.ts), so a bad
    // value fails the synth rather than the first cold start.
    appId: z.preprocess(
      blankToUndefined,
      trimmedString(
        z
          .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
          .regex(APP_ID_PATTERN, "must be 1 to 128 letters, digits, _ or -"),
      ),
    ),
    secretName: optional(
      trimmedString(z.string().regex(/^[\w/+=.@-]{1,512}$/, "must be a Secrets Manager name")),
    ),
    secretArn: optional(
      trimmedString(
        z
          .string()
          .regex(
            /^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/,
            "must be a complete secret ARN ending in the 6-character suffix (or use secretName)",
          ),
      ),
    ),
    kmsKeyArn: kmsKeyArnSchema(),
    logsKmsKeyArn: kmsKeyArnSchema(),
    apideckBaseUrl: optional(z.url({ protocol: /^https$/, error: "must be an https URL" })).default(
      "https://unify.apideck.com",
    ),
    jwtIssuer: optional(z.url({ protocol: /^https$/, error: "must be an https URL" })),
    jwtAudience: optional(commaList(z.string().min(1))),
    jwtScopes: optional(commaList(z.string().regex(OAUTH_SCOPE, OAUTH_SCOPE_FORM))),
    consumerIdClaim: optional(
      trimmedString(z.string().regex(CLAIM_NAME_PATTERN, "must be a claim name")),
    ).default("sub"),
    corsOrigins: optional(
      commaList(
        z
          .string()
          .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, "must be origins like https://app.example.com"),
      ),
    ).default([]),
    throttleRateLimit: optional(
      numberFrom(z.number({ error: "must be a number" }).positive("must be positive")),
    ).default(50),
    throttleBurstLimit: optional(
      numberFrom(
        z.number({ error: "must be a number" }).int("must be a whole number").positive("must be positive"),
      ),
    ).default(100),
    logRetentionDays: optional(
      numberFrom(
        z
          .number({ error: "must be a number" })
          .refine((days) => RETENTION_DAYS.includes(days), `must be one of ${RETENTION_DAYS.join(", ")}`),
      ),
    ).default(RetentionDays.ONE_MONTH),
    alarmEmail: optional(trimmedString(z.email("must be an e-mail address"))),
    reservedConcurrency: optional(
      numberFrom(
        z.number({ error: "must be a number" }).int("must be a whole number").positive("must be positive"),
      ),
    ),
    tracing: optional(booleanFrom()).default(false),
    // The levels the function's logger writes; Lambda filters by them and hands the level over.
    logLevel: optional(upperCaseEnum(["DEBUG", "INFO", "WARN", "ERROR"])).default("INFO"),
    systemLogLevel: optional(upperCaseEnum(["DEBUG", "INFO", "WARN"])).default("WARN"),
    dashboard: optional(booleanFrom()).default(true),
    // Adds POST /sdk/vault/sessions with its key table, pepper and Lambda authorizer.
    brokerKeys: optional(booleanFrom()).default(false),
  })
  .superRefine((value, ctx) => {
    if (value.secretName && value.secretArn) {
      ctx.addIssue({ code: "custom", path: ["secretArn"], message: "set secretName or secretArn, not both" });
    }
    if (value.jwtIssuer && !value.jwtAudience?.length) {
      ctx.addIssue({ code: "custom", path: ["jwtAudience"], message: "is required when jwtIssuer is set" });
    }
    if (!value.jwtIssuer && value.jwtScopes?.length) {
      ctx.addIssue({ code: "custom", path: ["jwtScopes"], message: "needs jwtIssuer and jwtAudience" });
    }
    if (!value.jwtIssuer && value.jwtAudience?.length) {
      ctx.addIssue({ code: "custom", path: ["jwtIssuer"], message: "is required when jwtAudience is set" });
    }
  });

/** The parsed deploy context the stack is built from. */
export type DeployContext = z.infer<typeof DeployContextSchema> & ContextPolicy;

// A problem under the key the user typed; a bad list item is quoted after it (`corsOrigins: "*" must be ...`).
function describeIssue(issue: z.core.$ZodIssue): string {
  const [key = "(context)", ...rest] = issue.path.map(String);
  return rest.length > 0
    ? `${key}: ${JSON.stringify(issue.input)} ${issue.message}`
    : `${key}: ${issue.message}`;
}

/**
 * Validates the whole CDK context (`app.node.getAllContext()`) at once: every deploy key, the session
 * policy through the function's own parser, and every key that is neither ours nor the CDK's (a
 * misspelt key would otherwise be dropped without a word). Throws `InvalidDeployContextError` listing
 * every problem, each under the key the user typed, with the form it accepts.
 */
export function parseDeployContext(context: Readonly<Record<string, unknown>>): DeployContext {
  const get = (key: string) => (Object.hasOwn(context, key) ? context[key] : undefined);
  const raw = Object.fromEntries(
    DEPLOY_CONTEXT_KEYS.filter((key) => !(key in POLICY_CONTEXT_KEYS)).map((key) => [key, get(key)]),
  );
  const parsed = DeployContextSchema.safeParse(raw, { reportInput: true });
  const policy = readContextPolicy(get);
  const problems = [
    ...unknownKeyProblems(Object.keys(context), DEPLOY_CONTEXT_KEYS),
    ...(parsed.success ? [] : parsed.error.issues.map(describeIssue)),
    ...policy.problems,
  ];
  if (!parsed.success || policy.policy === undefined || problems.length > 0) {
    throw new InvalidDeployContextError(problems);
  }
  return { ...parsed.data, ...policy.policy };
}
