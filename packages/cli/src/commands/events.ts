import type { DeliveryQuery, OutboxDelivery, OutboxStore } from "@keyward/core/store";
import { CliError, UsageError } from "../errors.js";
import { renderTable } from "../output/table.js";
import { parsePositiveInt } from "../parse/values.js";
import { type CommandContext, type CommandSpec, printJson, stringOption } from "./types.js";

/** The statuses `--status` accepts; `failed` is a delivery that failed at least once and is retrying, or dead. */
const STATUSES = ["pending", "failed", "dead", "delivered", "skipped"] as const;

/**
 * The outbox of the store the CLI opened.
 * @throws CliError (exit 1) when the store keeps none (a composed store without one).
 */
export async function openOutbox(context: CommandContext): Promise<OutboxStore> {
  const { store } = await context.openStore();
  if (!store.outbox) throw new CliError(`the ${store.kind} store keeps no outbox of lifecycle events`);
  return store.outbox;
}

const time = (ms: number | null): string => (ms === null ? "-" : new Date(ms).toISOString());

/** One delivery as `events list --json` prints it: the event's payload is left out (ids only). */
function summary(d: OutboxDelivery) {
  return {
    eventId: d.event.id,
    type: d.event.type,
    keyId: typeof d.event.data.id === "string" ? d.event.data.id : null,
    endpoint: d.endpoint,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt : null,
    finishedAt: d.finishedAt,
    lastError: d.lastError,
  };
}

/** `keyward events list`: webhook deliveries of lifecycle events, newest event first. */
export const eventsList: CommandSpec = {
  name: "events list",
  summary: "list webhook deliveries of lifecycle events, newest first",
  positionals: { min: 0, max: 0 },
  options: {
    status: {
      type: "string",
      value: "<status>",
      description: "only pending, failed (retrying or dead), dead, delivered or skipped deliveries",
    },
    limit: { type: "string", value: "<n>", description: "deliveries shown, 1 to 1000 (default 50)" },
    before: { type: "string", value: "<event id>", description: "only events older than this one (paging)" },
  },
  examples: ["keyward events list --status failed", "keyward events list --status dead --json"],
  async run(context) {
    const { values, io } = context;
    const status = stringOption(values, "status");
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`--status must be one of ${STATUSES.join(", ")} (got ${JSON.stringify(status)})`);
    }
    const query: DeliveryQuery = {
      limit: parsePositiveInt(stringOption(values, "limit"), "--limit", 50, 1000),
      ...(status !== undefined && { status: status as (typeof STATUSES)[number] }),
      ...(stringOption(values, "before") !== undefined && { beforeEventId: stringOption(values, "before")! }),
    };
    const deliveries = (await (await openOutbox(context)).list(query)).map(summary);
    if (context.json) {
      printJson(io, { items: deliveries });
      return 0;
    }
    if (deliveries.length === 0) {
      io.stdout.write(status === undefined ? "no deliveries\n" : `no ${status} deliveries\n`);
      return 0;
    }
    const rows = deliveries.map((d) => [
      d.eventId,
      d.type,
      d.endpoint,
      d.status,
      String(d.attempts),
      d.status === "pending" ? `next ${time(d.nextAttemptAt)}` : time(d.finishedAt),
      d.lastError ?? "",
    ]);
    io.stdout.write(
      renderTable(["EVENT", "TYPE", "ENDPOINT", "STATUS", "ATTEMPTS", "WHEN", "LAST ERROR"], rows),
    );
    const last = deliveries.at(-1)!;
    if (deliveries.length === query.limit) io.stderr.write(`more deliveries: add --before ${last.eventId}\n`);
    return 0;
  },
};

/** `keyward events retry <id>`: dead (or waiting) deliveries of one event are sent again now. */
export const eventsRetry: CommandSpec = {
  name: "events retry",
  summary: "deliver an event again now: its dead and pending deliveries restart with 0 attempts",
  args: "<event id>",
  positionals: { min: 1, max: 1 },
  options: {},
  details:
    "A running application's delivery worker picks the event up on its next poll; delivered deliveries\n" +
    "are not sent again.",
  examples: ["keyward events retry evt_01JD2X…"],
  async run(context) {
    const id = context.positionals[0]!;
    const count = await (await openOutbox(context)).retry(id, context.now());
    if (count === 0) throw new CliError(`no dead or pending delivery of event ${JSON.stringify(id)}`);
    if (context.json) printJson(context.io, { eventId: id, retried: count });
    else context.io.stdout.write(`${count} deliver${count === 1 ? "y" : "ies"} of ${id} pending again\n`);
    return 0;
  },
};
