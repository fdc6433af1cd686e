/**
 * Replaces `@smithy/core/event-streams` in the Lambda bundle, and only there (an esbuild alias in
 * infra/bundling-options.ts). The SDK's HTTP protocol loads event-stream support on demand, for
 * operations that stream events. GetSecretValue (and the authorizer's DynamoDB GetItem and
 * UpdateItem) never do, so the codecs and the CRC32 they bring, 19 KB of the minified bundle, are
 * code no instance runs. Should a future operation need them, it fails here, naming the cause.
 */
function unavailable(): never {
  throw new Error("event streams are not bundled: no AWS call this function makes uses them");
}

export const EventStreamSerde = unavailable;
export const eventStreamSerdeProvider = unavailable;
