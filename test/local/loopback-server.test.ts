import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startApideckSimulator } from "../../infra/local/apideck-simulator.ts";
import {
  isLoopbackHost,
  type LoopbackServer,
  startLoopbackServer,
} from "../../infra/local/loopback-server.ts";
import { startSecretsManagerEndpoint } from "../../infra/local/secrets-manager-endpoint.ts";
import { captureLogs } from "../support/log-capture.ts";

// DNS rebinding: a page on evil.example that re-points its name at 127.0.0.1 reaches a loopback
// server with `Host: evil.example`. Every local listener shares startLoopbackServer, which
// answers only loopback Host values.

describe("Local: loopback server", () => {
  describe("isLoopbackHost", () => {
    it.each([
      ["127.0.0.1:3000", 3000],
      ["localhost:3000", 3000],
      ["LOCALHOST:3000", 3000],
      ["[::1]:3000", 3000],
      ["localhost", 80],
      ["127.0.0.1", 80],
    ])("accepts %s on port %i", (host, port) => {
      expect(isLoopbackHost(host, port)).toBe(true);
    });

    it.each([
      ["evil.example:3000", 3000],
      ["localhost.evil.example:3000", 3000],
      ["127.0.0.1.nip.io:3000", 3000],
      ["127.0.0.2:3000", 3000],
      ["0.0.0.0:3000", 3000],
      ["localhost:3001", 3000],
      ["localhost", 3000],
      ["[::1]", 3000],
      ["", 3000],
      [undefined, 3000],
      ["localhost:3000 ", 3000],
      ["user@localhost:3000", 3000],
    ])("refuses %j on port %i", (host, port) => {
      expect(isLoopbackHost(host, port)).toBe(false);
    });
  });

  describe("every listener", () => {
    const servers: LoopbackServer[] = [];
    afterEach(async () => {
      await Promise.all(servers.splice(0).map((server) => server.close()));
    });

    const listeners: [string, () => Promise<LoopbackServer & { handled?: () => number }>][] = [
      [
        "a plain loopback server",
        async () => {
          let handled = 0;
          const server = await startLoopbackServer(async (_req, res) => {
            handled++;
            res.end("ok");
          });
          return { ...server, handled: () => handled };
        },
      ],
      ["the Apideck simulator", () => startApideckSimulator({ apiKey: "sk_test_x", appId: "app" })],
      ["the Secrets Manager endpoint", () => startSecretsManagerEndpoint({ secrets: { s: "v" } })],
    ];

    it.each(listeners)("%s answers a foreign Host with 403 JSON before any work", async (_name, start) => {
      const server = await start();
      servers.push(server);
      const logs = captureLogs();

      const foreign = await send(server.url, "rebind.evil.example");
      const port = new URL(server.url).port;
      const loopback = await send(server.url, `localhost:${port}`);

      expect(foreign.status).toBe(403);
      expect(foreign.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(foreign.body)).toHaveProperty("message");
      expect(loopback.status).not.toBe(403);
      expect(server.handled?.() ?? 1).toBe(1);
      expect(logs.lines().filter((line) => line.source === "loopback-server")).toHaveLength(1);
    });

    it("does not read the body of a refused request", async () => {
      let handled = 0;
      const server = await startLoopbackServer(async (_req, res) => {
        handled++;
        res.end();
      });
      servers.push(server);
      captureLogs();

      const refused = await send(server.url, "evil.example", "x".repeat(64 * 1024));

      expect(refused.status).toBe(403);
      expect(handled).toBe(0);
    });
  });
});

/** POSTs with a chosen Host header, which fetch does not let a caller set. */
function send(
  base: string,
  host: string,
  body = "{}",
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(base, { method: "POST", headers: { host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}
