/** Each rule for display names, by the words an error's `detail` uses for it. */
export const DISPLAY_TEXT_RULES = {
  control: "must not contain control characters",
  bidi: "must not contain bidirectional override or isolate characters (U+202A to U+202E, U+2066 to U+2069)",
  markup: "must not contain markup characters (< or >)",
} as const;

const CONTROL = /\p{Cc}/u;
// Overrides and isolates reorder what follows them: "exe.txt" can display as "txt.exe", and a
// name can make the text after it in Vault's UI read backwards.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;
const MARKUP = /[<>]/;

/**
 * Every rule a display name (`account_name`, `user_name`, `vault_name`) breaks, joined in one
 * sentence, or undefined. Apideck shows these names to the operator's customers and staff.
 */
export function displayTextProblem(value: string): string | undefined {
  const broken: string[] = [];
  if (CONTROL.test(value)) broken.push(DISPLAY_TEXT_RULES.control);
  if (BIDI_CONTROL.test(value)) broken.push(DISPLAY_TEXT_RULES.bidi);
  if (MARKUP.test(value)) broken.push(DISPLAY_TEXT_RULES.markup);
  return broken.length > 0 ? broken.join("; ") : undefined;
}
