// A strict reader of the CloudWatch Logs JSON filter patterns the construct writes
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html): `{ }`
// around terms joined by `&&`, each `$.key = "text"` (`*` matches any run), `$.key <op> number` or
// `$.key IS TRUE|FALSE`. Anything else throws, so a pattern this reader does not understand fails
// the test instead of matching by accident. Numbers match numbers only, as in CloudWatch.

type Line = Record<string, unknown>;

const TERM =
  /^\(?\s*\$\.([\w.]+)\s*(?:(=|!=)\s*"((?:[^"\\]|\\.)*)"|(=|!=|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)|IS\s+(TRUE|FALSE))\s*\)?$/;

/** Whether CloudWatch would match `line` (one parsed JSON log event) with `pattern`. */
export function matchesFilterPattern(pattern: string, line: Line): boolean {
  const body = /^\{\s*(.*?)\s*\}$/s.exec(pattern.trim())?.[1];
  if (body === undefined) throw new Error(`not a JSON filter pattern: ${pattern}`);
  return body.split("&&").every((term) => matchesTerm(term.trim(), line, pattern));
}

function matchesTerm(term: string, line: Line, pattern: string): boolean {
  const match = TERM.exec(term);
  if (!match) throw new Error(`unsupported term "${term}" in ${pattern}`);
  const [, path, textOp, text, numberOp, number, bool] = match;
  const value = (path as string).split(".").reduce<unknown>((v, key) => (v as Line | undefined)?.[key], line);
  if (bool !== undefined) return value === (bool === "TRUE");
  if (text !== undefined) {
    if (typeof value !== "string") return textOp === "!=" && value !== undefined;
    const glob = new RegExp(`^${text.split("*").map(escapeRegExp).join(".*")}$`, "s");
    return glob.test(value) === (textOp === "=");
  }
  if (typeof value !== "number") return false;
  const n = Number(number);
  switch (numberOp) {
    case "=":
      return value === n;
    case "!=":
      return value !== n;
    case ">=":
      return value >= n;
    case "<=":
      return value <= n;
    case ">":
      return value > n;
    default:
      return value < n;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
