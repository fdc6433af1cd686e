import { describe, expect, it } from "vitest";
import { EventStreamSerde, eventStreamSerdeProvider } from "../../../lambda/secret/no-event-streams.ts";

// The Lambda bundle's stand-in for `@smithy/core/event-streams` (an esbuild alias): a call that
// ever needed event streams must fail naming the cause, not misbehave.
describe("no-event-streams (Lambda bundle)", () => {
  it.each([
    ["EventStreamSerde", EventStreamSerde],
    ["eventStreamSerdeProvider", eventStreamSerdeProvider],
  ])("%s throws, naming what is missing", (_name, use) => {
    expect(() => use()).toThrow("event streams are not bundled");
  });
});
