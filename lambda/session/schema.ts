import * as z from "zod/mini";
import { MAX_SESSION_LENGTH_SECONDS, parseSessionLength } from "./length.ts";
import { displayTextProblem } from "./text-rules.ts";
import { LENIENT_URL_RULES, urlProblem } from "./url-rules.ts";

// Field by field from Apideck's vault.yml v10.34.0 (`components/schemas/Session`). The spec gives
// types and enums but no bounds; the bounds here are ours, documented in the README.

/** A rule function as a zod check: the problem it returns becomes the field's `detail`. */
const rule = (problemOf: (value: string) => string | undefined) =>
  z.superRefine<string>((value, ctx) => {
    const problem = problemOf(value);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem, input: value });
  });

/** A name Apideck displays: 1 to `max` characters, none of them control, bidi or markup (text-rules.ts). */
const displayName = (max: number) =>
  z.string().check(z.minLength(1), z.maxLength(max), rule(displayTextProblem));
// The URL rules no operator setting can relax; the policy applies the rest (policy.ts), with the
// same rule set (url-rules.ts), to every URL field.
const httpUrl = z.string().check(rule((value) => urlProblem(value, LENIENT_URL_RULES)));
const color = z
  .string()
  .check(z.maxLength(64), z.regex(/^(#[\da-fA-F]{3,8}|[a-zA-Z]+|(rgb|hsl)a?\([\d\s.,%]+\))$/));

/** `UnifiedApiId` enum, in the spec's order. */
export const UNIFIED_API_IDS = [
  "accounting",
  "ats",
  "calendar",
  "crm",
  "csp",
  "customer-support",
  "ecommerce",
  "email",
  "email-marketing",
  "expense-management",
  "file-storage",
  "form",
  "hris",
  "lead",
  "payroll",
  "pos",
  "procurement",
  "project-management",
  "script",
  "sms",
  "spreadsheet",
  "subscription-analytics",
  "team-messaging",
  "issue-tracking",
  "time-registration",
  "transactional-email",
  "vault",
  "data-warehouse",
] as const;

/** `settings.allow_actions` items enum. */
export const ALLOW_ACTIONS = ["delete", "disconnect", "reauthorize", "disable"] as const;

/**
 * `ConsumerMetadata`: shown in Vault's sidebar. The spec leaves it open; unknown keys are rejected
 * here because Apideck ignores them and a misspelt key is a bug the caller should hear about.
 * Example: `{ "account_name": "SpaceX", "user_name": "Elon Musk", "email": "elon@musk.com" }`
 */
export const ConsumerMetadataSchema = z.strictObject({
  account_name: z.optional(displayName(255)),
  user_name: z.optional(displayName(255)),
  email: z.optional(z.email().check(z.maxLength(254))),
  image: z.optional(httpUrl),
});

const sessionLength = z.string().check(
  z.refine((value) => parseSessionLength(value) !== undefined, "must be a duration like 30m, 1h or 7d"),
  z.refine((value) => (parseSessionLength(value) ?? 0) <= MAX_SESSION_LENGTH_SECONDS, "must be at most 7d"),
);

/** `Session.settings`: `additionalProperties: false` in the spec. Example: `{ "unified_apis": ["crm"], "session_length": "30m" }` */
export const SessionSettingsSchema = z.strictObject({
  unified_apis: z.optional(z.array(z.enum(UNIFIED_API_IDS)).check(z.maxLength(UNIFIED_API_IDS.length))),
  hide_resource_settings: z.optional(z.boolean()),
  sandbox_mode: z.optional(z.boolean()),
  isolation_mode: z.optional(z.boolean()),
  session_length: z.optional(sessionLength),
  show_logs: z.optional(z.boolean()),
  show_suggestions: z.optional(z.boolean()),
  show_sidebar: z.optional(z.boolean()),
  auto_redirect: z.optional(z.boolean()),
  hide_guides: z.optional(z.boolean()),
  allow_actions: z.optional(z.array(z.enum(ALLOW_ACTIONS)).check(z.maxLength(ALLOW_ACTIONS.length))),
});

/** `Session.theme`: open in the spec, closed here (see ConsumerMetadataSchema). Example: `{ "primary_color": "#286efa", "vault_name": "Intercom" }` */
export const SessionThemeSchema = z.strictObject({
  favicon: z.optional(httpUrl),
  logo: z.optional(httpUrl),
  primary_color: z.optional(color),
  sidepanel_background_color: z.optional(color),
  sidepanel_text_color: z.optional(color),
  vault_name: z.optional(displayName(255)),
  privacy_url: z.optional(httpUrl),
  terms_url: z.optional(httpUrl),
});

/**
 * Apideck's `Session`, the body of `POST /vault/sessions` (`additionalProperties: false`).
 * `custom_consumer_settings` is free-form in the spec (`additionalProperties: true`); the body
 * size limit bounds it. Example: `{ "redirect_uri": "https://mysaas.com/dashboard", "settings": { "unified_apis": ["crm"] } }`
 */
export const SessionSchema = z.strictObject({
  consumer_metadata: z.optional(ConsumerMetadataSchema),
  redirect_uri: z.optional(httpUrl),
  settings: z.optional(SessionSettingsSchema),
  theme: z.optional(SessionThemeSchema),
  custom_consumer_settings: z.optional(z.record(z.string().check(z.maxLength(256)), z.unknown())),
});

/** A validated `Session`. */
export type Session = z.infer<typeof SessionSchema>;
