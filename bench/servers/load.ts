/**
 * The load generator, run in its own process so it never shares an event loop with a server:
 * `load.ts <url> <connections> <seconds> <headers JSON>` runs autocannon once and prints one
 * JSON line with the throughput and every kind of failure it saw.
 */
import autocannon from "autocannon";

const [url, connections, seconds, headers] = process.argv.slice(2);
if (!url || !connections || !seconds)
  throw new Error("usage: load.ts <url> <connections> <seconds> [headers]");

const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  headers: headers ? (JSON.parse(headers) as Record<string, string>) : {},
});

const summary = {
  /** Completed requests per second over the whole run. */
  rps: result.requests.total / result.duration,
  total: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  latencyP50: result.latency.p50,
  latencyP99: result.latency.p99,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
