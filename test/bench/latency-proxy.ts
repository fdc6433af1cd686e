import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createServer as createTlsServer } from "node:tls";

/** The network a stub sits behind, in the Lambda model. */
export interface Latency {
  /** Added before each answer reaches the client: the round trip and the service's own time. */
  readonly responseMs: number;
  /** Added once per new connection before anything flows: TCP and TLS handshakes. */
  readonly connectMs: number;
}

/** A key and certificate: the proxy then speaks HTTPS to the client and plain HTTP to the stub. */
export interface ProxyTls {
  readonly key: string;
  readonly cert: string;
}

/** A running proxy; `url` (on [::1], the stub's port) replaces the stub's URL in the child's environment. */
export interface LatencyProxy {
  readonly url: string;
  /** Changes what the proxy adds from the next connection or answer on. */
  setLatency(latency: Latency): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy (TLS-terminating when given a certificate) in front of a loopback stub that delays,
 * rather than rewrites: each new
 * connection waits `connectMs` before its first byte goes through, and the first chunk of each
 * answer (the first bytes from the stub after the client spoke) waits `responseMs`; later chunks
 * keep their order behind it. HTTP/1.1 with one request at a time per connection, which is how
 * every variant talks to its stubs, so a request's answer is exactly that.
 */
export async function startLatencyProxy(
  targetUrl: string,
  initial: Latency,
  tls?: ProxyTls,
): Promise<LatencyProxy> {
  let latency = initial;
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const onConnection = (client: Socket) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());

    // Both directions go through a promise chain, so a delay never reorders bytes.
    let toUpstream: Promise<unknown> = sleep(latency.connectMs);
    let toClient: Promise<unknown> = Promise.resolve();
    let awaitingAnswer = false;
    client.on("data", (chunk: Buffer) => {
      awaitingAnswer = true;
      toUpstream = toUpstream.then(() => upstream.write(chunk));
    });
    upstream.on("data", (chunk: Buffer) => {
      const delay = awaitingAnswer ? latency.responseMs : 0;
      awaitingAnswer = false;
      toClient = toClient.then(async () => {
        if (delay > 0) await sleep(delay);
        if (!client.destroyed) client.write(chunk);
      });
    });
    client.on("end", () => void toUpstream.then(() => upstream.end()));
    upstream.on("end", () => void toClient.then(() => client.end()));
  };
  // With TLS, the handshake happens before "secureConnection": the connect delay comes on top.
  const server = tls
    ? createTlsServer({ key: tls.key, cert: tls.cert }, onConnection)
    : createServer(onConnection);
  // The stubs answer only a loopback Host with their own port (no DNS rebinding), and the Host is
  // part of the SigV4 signature, so the proxy cannot rewrite it: it listens on the IPv6 loopback
  // with the stub's own port instead, and `[::1]:<port>` is a Host the stub accepts.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(target.port), "::1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://[::1]:${port}`,
    setLatency(next) {
      latency = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
