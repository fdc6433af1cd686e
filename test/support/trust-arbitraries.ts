import fc from "fast-check";

// Generators for the trust-boundary cases of issue 11: URL look-alikes for every URL field, names
// that smuggle control, bidi or markup characters, consumer ids with commas (and the joined form
// of a repeated header), ids built to stall a backtracking matcher, and oversized invocations.

/** IPv4 addresses an attacker would aim at: metadata, loopback, private ranges, or any. */
const targetIpv4 = fc.oneof(
  fc.constantFrom<[number, number, number, number]>(
    [169, 254, 169, 254],
    [127, 0, 0, 1],
    [10, 0, 0, 1],
    [192, 168, 1, 1],
  ),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)),
);

/** One IPv4 address in any notation the WHATWG URL parser accepts: dotted, hex, octal, one number, shorthand. */
export const ipv4Spelling: fc.Arbitrary<string> = fc
  .tuple(targetIpv4, fc.constantFrom("dotted", "hex", "octal", "number", "short", "mixed"))
  .map(([[a, b, c, d], notation]) => {
    const hex = (n: number) => `0x${n.toString(16)}`;
    const octal = (n: number) => `0${n.toString(8)}`;
    switch (notation) {
      case "dotted":
        return `${a}.${b}.${c}.${d}`;
      case "hex":
        return [a, b, c, d].map(hex).join(".");
      case "octal":
        return [a, b, c, d].map(octal).join(".");
      case "number":
        return String(((a << 24) | (b << 16) | (c << 8) | d) >>> 0);
      case "short":
        return `${a}.${(b << 16) | (c << 8) | d}`;
      default:
        return `${hex(a)}.${octal(b)}.${c}.${d}`;
    }
  });

/** URLs that break one of the URL rules (url-rules.ts) whatever the operator allows, bar loopback. */
export const urlTrick: fc.Arbitrary<string> = fc.oneof(
  ipv4Spelling.map((host) => `https://${host}/logo.png`),
  ipv4Spelling.map((host) => `http://${host}/latest/meta-data/`),
  fc.constantFrom(
    "https://[fe80::1]/",
    "https://[::ffff:169.254.169.254]/",
    "https://[fd00:ec2::254]/",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://metadata/",
    "https://printer.local/a.png",
    "https://xn--pple-43d.com/logo.png",
    "https://cdn.xn--80ak6aa92e.com/",
    "https://%61pple.com/",
    "https://apple%2ecom.evil.example/",
    "https://аpple.com/",
    "https://ａpple.com/",
    "https://apple.com@evil.example/",
    "https://@apple.com/",
    "http://cdn.example.com/logo.png",
    "javascript:alert(1)",
    "https://apple.com./",
  ),
);

/** Characters no display name may hold: controls, bidi overrides and isolates, markup. */
const FORBIDDEN_NAME_CHARACTERS = [
  "\u0000",
  "\u0007",
  "\u001b",
  "\n",
  "\u007f",
  "\u0085",
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "<",
  ">",
];

/** A display name with one forbidden character at any position. */
export const badDisplayName: fc.Arbitrary<string> = fc
  .tuple(
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
    fc.constantFrom(...FORBIDDEN_NAME_CHARACTERS),
    fc.nat(),
  )
  .map(([name, bad, at]) => {
    const cut = at % (name.length + 1);
    return `${name.slice(0, cut)}${bad}${name.slice(cut)}`;
  });

/** A consumer id with a comma: two tenants in one value, or the joined form of a repeated header. */
export const commaConsumerId: fc.Arbitrary<string> = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][\w:.@-]{0,20}$/),
    fc.stringMatching(/^[a-z0-9][\w:.@-]{0,20}$/),
    fc.constantFrom(",", ", "),
  )
  .map(([a, b, comma]) => `${a}${comma}${b}`);

/** Ids shaped to stall a backtracking matcher: long runs of one character, then a miss. */
export const backtrackingBait: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom("a", "ab", "a-", "a:", "0"),
    fc.integer({ min: 20, max: 255 }),
    fc.constantFrom("!", "b", ":x", ""),
  )
  .map(([unit, length, end]) =>
    `${unit.repeat(Math.ceil(length / unit.length)).slice(0, length)}${end}`.slice(0, 256),
  );

/** A direct-invocation payload whose JSON is over the 16 KB bound, by a little or by a lot. */
export const oversizedInvocation: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.integer({ min: 16_300, max: 200_000 }), fc.constantFrom("x", "é", "😀"))
  .map(([length, unit]) => ({
    consumer_id: "tenant:1",
    session: { custom_consumer_settings: { blob: unit.repeat(Math.ceil(length / unit.length)) } },
  }));

/** Every URL field of a `Session`, by path. */
export const URL_FIELD_PATHS = [
  "redirect_uri",
  "consumer_metadata.image",
  "theme.favicon",
  "theme.logo",
  "theme.privacy_url",
  "theme.terms_url",
] as const;

/** Every display-name field of a `Session`, by path. */
export const NAME_FIELD_PATHS = [
  "consumer_metadata.account_name",
  "consumer_metadata.user_name",
  "theme.vault_name",
] as const;

/** The oracle for what reached Apideck: a URL every rule accepts, judged without the code under test. */
export function isCleanHttpsUrl(value: string): boolean {
  const match = /^https:\/\/([a-z0-9.-]+)(?::\d{1,5})?(?:[/?#]|$)/i.exec(value);
  const host = match?.[1]?.toLowerCase();
  if (host === undefined || !host.includes(".") || host.endsWith(".")) return false;
  if (/^[\d.]+$/.test(host) || /^0x/.test(host) || host.split(".").some((label) => label.startsWith("xn--")))
    return false;
  return !/(?:^|\.)(?:localhost|local|internal|localdomain|home\.arpa)$/.test(host);
}

/** The oracle for names that reached Apideck: none of the forbidden characters. */
export function isCleanDisplayName(value: string): boolean {
  return !FORBIDDEN_NAME_CHARACTERS.some((char) => value.includes(char)) && !/\p{Cc}/u.test(value);
}
