/**
 * The load generator, in its own process so it never shares an event loop with a server it
 * measures. Driven over IPC by bench/lib/autocannon.ts: each message
 * `{ url, connections, seconds, headers }` runs autocannon once and is answered with one
 * summary (throughput and every kind of failure seen). It exits when the channel closes.
 */
import autocannon from "autocannon";

interface LoadRequest {
  url: string;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
}

if (!process.send) throw new Error("load.ts needs an IPC channel");

process.on("message", (request: LoadRequest) => {
  autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.seconds,
    headers: request.headers,
  }).then(
    (result) =>
      process.send!({
        rps: result.requests.total / result.duration,
        total: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        latencyP50: result.latency.p50,
        latencyP99: result.latency.p99,
      }),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.on("disconnect", () => process.exit(0));
process.send({ ready: true });
