import * as z from "zod";
import { commaSeparated } from "../lambda/environment-variable.ts";

// CDK context arrives as `-c key=value` strings or as JSON values from cdk.json; these read both.

/** An empty value (`-c key=`) or JSON null counts as unset. */
export const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

/** An optional key: blank counts as unset. */
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** Trims strings before `schema` sees them. */
export const trimmedString = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" ? v.trim() : v), schema);

/** A number, given as a JSON number or as text (`-c throttleRateLimit=20`). */
export const numberFrom = (schema: z.ZodNumber) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v), schema);

/** A list, given as a JSON array or as comma-separated text; items are trimmed, empty ones dropped. */
export const commaList = (item: z.ZodString) =>
  z.preprocess((v) => (typeof v === "string" ? commaSeparated(v) : v), z.array(item));

/** A boolean, given as JSON `true`/`false` or as text (`true`, `false`, `1`, `0`, `yes`, `no`, ...). */
export const booleanFrom = () => z.union([z.boolean(), z.stringbool()], { error: "must be true or false" });

/** One of `values`, in any case (`-c logLevel=warn`). */
export const upperCaseEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
    z.enum(values, { error: `must be one of ${values.join(", ")}` }),
  );
