/**
 * Top frames by self time in a V8 CPU profile (`node --cpu-prof`), for the closing notes of
 * performance work: `tsx bench/cpu-top.ts <file.cpuprofile> [count] [function,function…]`.
 * Prints each frame's share of the busy (non-idle) samples and where it is defined; then, for
 * each named function, its inclusive share (samples with it anywhere on the stack), and the
 * self time of all code under packages/ (keyward's own dist).
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const [file, countArg, namesArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: tsx bench/cpu-top.ts <file.cpuprofile> [count] [function,function…]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[] };
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const label = ({ functionName, url, lineNumber }: ProfileNode["callFrame"]): string =>
  `${functionName || "(anonymous)"}${url ? ` ${basename(url)}:${lineNumber + 1}` : ""}`;

const selfHits = new Map<string, number>();
let idle = 0;
let own = 0;
const names = namesArg ? namesArg.split(",") : [];
const inclusive = new Map(names.map((name) => [name, 0]));
for (const id of profile.samples) {
  const frame = byId.get(id)!.callFrame;
  if (frame.functionName === "(idle)") {
    idle++;
    continue;
  }
  const name = label(frame);
  selfHits.set(name, (selfHits.get(name) ?? 0) + 1);
  if (frame.url.includes("/packages/")) own++;
  if (names.length === 0) continue;
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const fn = byId.get(at)!.callFrame.functionName;
    if (inclusive.has(fn) && !seen.has(fn)) {
      seen.add(fn);
      inclusive.set(fn, inclusive.get(fn)! + 1);
    }
  }
}
const busy = profile.samples.length - idle;
const pct = (hits: number) => `${((100 * hits) / busy).toFixed(1).padStart(5)}%`;
console.log(`${profile.samples.length} samples, ${busy} busy; self time, share of busy:`);
const rows = [...selfHits].sort((a, b) => b[1] - a[1]);
for (const [name, hits] of rows.slice(0, Number(countArg ?? 20))) console.log(`${pct(hits)}  ${name}`);
console.log(`${pct(own)}  (self time in packages/*, keyward's own code)`);
for (const [name, hits] of inclusive) console.log(`${pct(hits)}  ${name} (inclusive)`);
