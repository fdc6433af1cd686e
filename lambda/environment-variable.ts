import * as z from "zod/mini";
import type { FieldProblem } from "./errors/broker-error.ts";

/**
 * The schema of one environment variable whose every problem states the accepted form: a missing
 * one "is required: <form>", any other "must be <form>", so an operator reads the fix, not zod's
 * code. Example: `variable("a whole number of seconds from 0 to 86400", isSeconds)`.
 */
export function variable(form: string, isValid: (value: string) => boolean) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `is required: ${form}` : `must be ${form}`) })
    .check(z.refine(isValid, `must be ${form}`));
}

/** Unify application ids (`APIDECK_APP_ID`, the stack's `appId`). */
export const APP_ID_PATTERN = /^[\w-]{1,128}$/;
/** A secret's name or ARN, as GetSecretValue takes it. */
export const SECRET_ID_PATTERN = /^[\w/+=.@:-]{1,2048}$/;
/** A JWT claim name (`CONSUMER_ID_CLAIM`, the stack's `consumerIdClaim`). */
export const CLAIM_NAME_PATTERN = /^[\w:./-]{1,128}$/;

/** A comma-separated list (`crm,hris`): items trimmed, blanks dropped; none for no text. */
export function commaSeparated(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A whole number from `min` to `max`, written in decimal digits only (no sign, point or unit). */
export const isWholeNumber = (min: number, max: number) => (value: string) =>
  /^\d{1,9}$/.test(value) && Number(value) >= min && Number(value) <= max;

/** The one format of a configuration problem, at cold start and at synth: `NAME must be ...`. */
export function formatProblem({ path, problem }: FieldProblem): string {
  return `${path} ${problem}`;
}
