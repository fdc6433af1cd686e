/**
 * The layout's rules (README "Architecture"), checked by `npm run lint`. Type-only imports count
 * too: a type import is still a dependency a reader has to follow.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "An import cycle makes the request's path impossible to read in one direction.",
      from: {},
      to: { circular: true },
    },
    {
      name: "lambda-ships-alone",
      severity: "error",
      comment: "lambda/ is what ships in the bundle: it never imports the CDK app, local mode or tests.",
      from: { path: "^lambda/" },
      to: { path: "^(infra|test)/" },
    },
    {
      name: "middlewares-know-no-domain",
      severity: "error",
      comment:
        "Middlewares get what they need through options and the shared request context, never from a domain folder.",
      from: { path: "^lambda/middlewares/" },
      to: {
        path: "^lambda/(callers|session|apideck|secret|broker-keys)/|^lambda/(broker|config|compose-handler|create-handler|handler)\\.ts$",
      },
    },
    {
      name: "session-rules-stand-alone",
      severity: "error",
      comment: "Session rules are pure: they know nothing of Apideck's client or the secret store.",
      from: { path: "^lambda/session/" },
      to: {
        path: "^lambda/(apideck|secret|callers|middlewares)/|^lambda/(broker|compose-handler|create-handler|handler)\\.ts$",
      },
    },
    {
      name: "only-wiring-crosses-everything",
      severity: "error",
      comment:
        "Only the wiring files (handler, compose-handler, create-handler, broker, config) import across the domain folders; apideck/ and secret/ never import each other or callers/.",
      from: { path: "^lambda/(apideck|secret)/" },
      to: { path: "^lambda/(callers|middlewares|secret|apideck)/", pathNot: "^lambda/$1/" },
    },
    {
      name: "errors-are-leaves",
      severity: "error",
      comment: "Errors and their mapping depend on nothing but each other.",
      from: { path: "^lambda/errors/" },
      to: { path: "^lambda/", pathNot: "^lambda/errors/" },
    },
    {
      name: "no-orphans-in-lambda",
      severity: "error",
      comment: "A file in lambda/ that nothing imports is dead code shipped to nobody.",
      from: { orphan: true, path: "^lambda/", pathNot: "^lambda/(handler|authorizer)\\.ts$" },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(cdk\\.out|node_modules|\\.bench-out|\\.ci-out)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".mjs", ".js"] },
  },
};
