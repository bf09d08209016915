import { formatDuration, parseDuration } from "@keyward/core";
import type { OutboxStats } from "@keyward/core/store";
import { openOutbox } from "./events.js";
import { type CommandSpec, printJson, stringOption } from "./types.js";

/** The exit code of `keyward status` when the check ran and found a problem (1 = it could not run). */
export const EXIT_UNHEALTHY = 3;

/** How long the oldest due delivery may wait before `status` calls the outbox stuck. */
const DEFAULT_MAX_AGE = "5m";

/** What `keyward status --json` prints. Times are epoch ms, ages ms. */
export interface StatusReport {
  ok: boolean;
  /** One line per problem; empty when ok. */
  problems: string[];
  store: string;
  outbox: OutboxStats & { oldestDueAge: number | null };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const age = (ms: number) => formatDuration(Math.max(0, Math.round(ms / 1000)) * 1000);

/**
 * The store-wide health an operator can see from outside the applications: the outbox. Unhealthy
 * when a delivery is dead (the receiver refused it through every retry) or the oldest due
 * delivery has waited longer than `maxAge` ms (no delivery worker runs, or it cannot keep up).
 */
export function assess(store: string, stats: OutboxStats, now: number, maxAge: number): StatusReport {
  const oldestDueAge = stats.oldestDueAt === null ? null : Math.max(0, now - stats.oldestDueAt);
  const problems: string[] = [];
  if (stats.dead > 0) {
    problems.push(
      `${plural(stats.dead, "delivery is", "deliveries are")} dead (keyward events list --status dead, then keyward events retry <id>)`,
    );
  }
  if (oldestDueAge !== null && oldestDueAge > maxAge) {
    problems.push(
      `the oldest due delivery has waited ${age(oldestDueAge)} (over ${age(maxAge)}): is a delivery worker running?`,
    );
  }
  return { ok: problems.length === 0, problems, store, outbox: { ...stats, oldestDueAge } };
}

function render(report: StatusReport, now: number): string {
  const { outbox } = report;
  const lines = [
    `store      ${report.store}`,
    `outbox     pending ${outbox.pending} · retrying ${outbox.retrying} · dead ${outbox.dead}` +
      (outbox.oldestDueAge === null ? "" : ` · oldest due ${age(outbox.oldestDueAge)} ago`),
  ];
  for (const endpoint of outbox.endpoints) {
    const last =
      endpoint.lastError === null
        ? "no failure"
        : `last error ${JSON.stringify(endpoint.lastError)}${endpoint.lastErrorAt === null ? "" : ` ${age(now - endpoint.lastErrorAt)} ago`}`;
    lines.push(`endpoint   ${endpoint.endpoint}  ${last}`);
  }
  lines.push(report.ok ? "status     ok" : `status     unhealthy`);
  for (const problem of report.problems) lines.push(`  - ${problem}`);
  return `${lines.join("\n")}\n`;
}

/** `keyward status`: outbox health as text or JSON; exit 3 when unhealthy, so it can be a probe. */
export const statusCommand: CommandSpec = {
  name: "status",
  summary:
    "show the outbox of lifecycle events (pending, retrying, dead, oldest wait); exit 3 when unhealthy",
  positionals: { min: 0, max: 0 },
  options: {
    "max-age": {
      type: "string",
      value: "<duration>",
      description: `unhealthy when the oldest due delivery has waited longer (default ${DEFAULT_MAX_AGE})`,
    },
  },
  details:
    "Exit codes: 0 healthy, 3 unhealthy (a dead delivery, or the oldest due delivery waited over --max-age),\n" +
    "1 when the store cannot be reached. Usage write-behind and the invalidation subscription live in each\n" +
    "application process: read them from keyward.health() there.",
  examples: ["keyward status", "keyward status --json --max-age 10m"],
  async run(context) {
    const maxAge = parseDuration(
      (stringOption(context.values, "max-age") ?? DEFAULT_MAX_AGE) as `${number}m`,
      "--max-age",
    );
    const outbox = await openOutbox(context);
    const { store } = await context.openStore();
    const now = context.now();
    const report = assess(store.kind, await outbox.stats(now), now, maxAge);
    if (context.json) printJson(context.io, report);
    else context.io.stdout.write(render(report, now));
    return report.ok ? 0 : EXIT_UNHEALTHY;
  },
};
