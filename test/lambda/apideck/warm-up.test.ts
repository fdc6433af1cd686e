import { describe, expect, it, vi } from "vitest";
import { warmUpFetch } from "../../../lambda/apideck/warm-up.ts";

// INIT's fetch warm-up (handler.ts): it must touch no network and never fail INIT.
describe("Unit: warmUpFetch", () => {
  it("fetches only a data: URL that holds a valid Create Session answer", async () => {
    const realFetch = vi.fn(fetch);

    await warmUpFetch(realFetch);

    expect(realFetch).toHaveBeenCalledTimes(1);
    const [url] = realFetch.mock.calls[0] as [string];
    expect(url.startsWith("data:application/json,")).toBe(true);
    const answer = await (await fetch(url)).json();
    expect(answer).toMatchObject({
      status_code: 200,
      data: { session_uri: expect.stringMatching(/^https:\/\//) },
    });
  });

  it("resolves when fetch rejects", async () => {
    const failing = vi.fn().mockRejectedValue(new TypeError("fetch failed"));

    await expect(warmUpFetch(failing as unknown as typeof fetch)).resolves.toBeUndefined();
    expect(failing).toHaveBeenCalledTimes(1);
  });

  it("resolves when the answer cannot be read", async () => {
    const broken = vi.fn().mockResolvedValue(new Response("not json", { status: 200 }));

    await expect(warmUpFetch(broken as unknown as typeof fetch)).resolves.toBeUndefined();
  });
});
