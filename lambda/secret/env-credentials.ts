import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * Replaces `@aws-sdk/credential-provider-node` in the Lambda bundle, and only there (an esbuild
 * alias in infra/bundling-options.ts): Lambda hands the function's role credentials over in the
 * environment, so the default chain's other links (SSO, INI files, web identity, container and
 * instance metadata) and the `@aws-sdk/nested-clients` they bring are code no instance runs.
 * Local mode and the tests run the source, with the SDK's standard chain. Same name and shape as
 * the package's export, which the Secrets Manager client's runtime config imports.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]): ReturnType<typeof fromEnv> =>
  fromEnv(init);
