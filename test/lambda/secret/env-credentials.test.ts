import { describe, expect, it, vi } from "vitest";
import { defaultProvider } from "../../../lambda/secret/env-credentials.ts";

// The Lambda bundle's stand-in for the SDK's default credential chain (an esbuild alias): it must
// read exactly what Lambda puts in the environment, and fail as the SDK's providers fail.
describe("defaultProvider (Lambda bundle credentials)", () => {
  it("returns the role's credentials from the environment, session token included", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "ASIAZ3EXAMPLE7KQ2VJX");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    vi.stubEnv("AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEXAMPLE");

    const credentials = await defaultProvider()();

    expect(credentials).toMatchObject({
      accessKeyId: "ASIAZ3EXAMPLE7KQ2VJX",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE",
    });
  });

  it("rejects with CredentialsProviderError when the environment holds no credentials", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "");

    await expect(defaultProvider()()).rejects.toMatchObject({ name: "CredentialsProviderError" });
  });
});
