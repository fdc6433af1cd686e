import { Readable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { CreateSessionResponseSchema } from "../../../lambda/apideck/response.ts";
import { cannedResponse, WARM_UP_BODY, warmUpAnswerPath } from "../../../lambda/apideck/warm-up.ts";

// INIT's warm-up (handler.ts): it must touch no network and never fail INIT.
describe("Unit: warmUpAnswerPath", () => {
  it("reads a canned answer that holds a valid Create Session response", async () => {
    const body = vi.fn(async function* () {
      yield Buffer.from("{}");
    });
    const response = { ...cannedResponse("{}"), body: Readable.from(body()) };

    await warmUpAnswerPath(response);

    expect(body).toHaveBeenCalledTimes(1);
  });

  it("serves, by default, a valid Create Session answer from memory", async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of cannedResponse(WARM_UP_BODY).body ?? []) chunks.push(chunk);

    const parsed = CreateSessionResponseSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString()));
    expect(parsed.success).toBe(true);
    expect(parsed.data?.data.session_uri).toMatch(/^https:\/\//);
  });

  it("resolves when the body fails", async () => {
    const failing = {
      ...cannedResponse(""),
      body: Readable.from(
        (async function* () {
          yield* [];
          throw new Error("socket hang up");
        })(),
      ),
    };

    await expect(warmUpAnswerPath(failing)).resolves.toBeUndefined();
  });

  it("resolves when the answer cannot be read", async () => {
    await expect(warmUpAnswerPath(cannedResponse("not json"))).resolves.toBeUndefined();
  });
});
