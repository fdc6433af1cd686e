import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { createDevJwtIssuer, DEV_AUDIENCE, DEV_ISSUER } from "../../infra/local/dev-jwt.ts";

describe("Local: development JWT issuer", () => {
  it("mints tokens for the development issuer and audience that it verifies", async () => {
    const jwt = await createDevJwtIssuer();

    const claims = await jwt.verify(await jwt.mint({ sub: "acme:ada" }));

    expect(claims).toMatchObject({
      sub: "acme:ada",
      iss: DEV_ISSUER,
      aud: DEV_AUDIENCE,
      name: "Local Developer",
    });
  });

  it("mints a token for another audience or issuer, which its verify refuses like the authorizer", async () => {
    const jwt = await createDevJwtIssuer();

    const otherAudience = await jwt.mint({ aud: "another-api" });
    const otherIssuer = await jwt.mint({ iss: "https://elsewhere.example/" });

    expect(decodeJwt(otherAudience).aud).toBe("another-api");
    await expect(jwt.verify(otherAudience)).rejects.toThrow(/"aud" claim/);
    await expect(jwt.verify(otherIssuer)).rejects.toThrow(/"iss" claim/);
  });

  it("refuses a token signed by another start's key", async () => {
    const [first, second] = await Promise.all([createDevJwtIssuer(), createDevJwtIssuer()]);

    await expect(second.verify(await first.mint())).rejects.toThrow(/signature/);
  });
});
