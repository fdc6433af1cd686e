import * as z from "zod/mini";
import { isHttpUrl } from "./http-url.ts";

/**
 * Apideck's `CreateSessionResponse` (vault.yml). Validated so that contract drift becomes a typed
 * `UpstreamInvalidResponseError`, not a broken redirect. Unknown keys (such as `_raw`) are dropped.
 * Example: `{ "status_code": 200, "status": "OK", "data": { "session_uri": "https://vault.apideck.com/session/eyJ...", "session_token": "eyJ..." } }`
 */
export const CreateSessionResponseSchema = z.object({
  status_code: z.number(),
  status: z.string(),
  data: z.object({
    session_uri: z.string().check(z.refine(isHttpUrl, "must be an absolute http(s) URL")),
    session_token: z.string().check(z.minLength(1), z.maxLength(16_384)),
  }),
});

/** A validated `CreateSessionResponse`. */
export type CreateSessionResponse = z.infer<typeof CreateSessionResponseSchema>;

/**
 * The fields we use from Apideck's error bodies (`BadRequestResponse`, `UnprocessableResponse`, ...).
 * Example: `{ "status_code": 422, "error": "Unprocessable Entity", "type_name": "InvalidStateError", "message": "Invalid State", "detail": "..." }`
 */
export const ApideckErrorBodySchema = z.object({
  type_name: z.optional(z.string().check(z.maxLength(200))),
  message: z.optional(z.string().check(z.maxLength(2000))),
  detail: z.optional(z.unknown()),
});
