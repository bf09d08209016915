import type { CaseResult, Ratio } from "./types.js";

const fmt = (value: number, unit: string) => {
  if (unit === "ops/s" || unit === "req/s")
    return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1);
  if (unit === "bytes") return Math.round(value).toLocaleString("en-US");
  return value < 10 ? value.toFixed(3) : value.toFixed(1);
};

const verdict = (r: Ratio) => (r.pass === null ? "" : r.pass ? "✅" : "❌");
const targetText = (r: Ratio) => (r.target === null ? "—" : `${r.atMost ? "≤" : "≥"} ${r.target}`);

/** Markdown: one table of measured medians per case, then one table of ratios against targets. */
export function markdownReport(results: readonly CaseResult[], meta: Record<string, string>): string {
  const lines: string[] = [];
  lines.push(
    `Run: ${Object.entries(meta)
      .map(([k, v]) => `${k} ${v}`)
      .join(" · ")}`,
    "",
  );
  lines.push(
    "### Ratios against targets",
    "",
    "| case | ratio | measured | target | |",
    "| --- | --- | ---: | --- | --- |",
  );
  for (const c of results) {
    for (const r of c.ratios)
      lines.push(`| ${c.title} | ${r.label} | ${r.value.toFixed(3)} | ${targetText(r)} | ${verdict(r)} |`);
  }
  lines.push("", "### Measurements (median of rounds, min–max)", "");
  for (const c of results) {
    lines.push(
      `#### ${c.title}`,
      "",
      `| variant | median (${c.unit}) | min | max |`,
      "| --- | ---: | ---: | ---: |",
    );
    for (const v of c.variants) {
      lines.push(`| ${v.label} | ${fmt(v.median, c.unit)} | ${fmt(v.min, c.unit)} | ${fmt(v.max, c.unit)} |`);
    }
    for (const note of c.notes) lines.push("", `> ${note}`);
    lines.push("");
  }
  return lines.join("\n");
}

const escapeXml = (text: string) => text.replace(/[<>&"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * A horizontal bar chart of every ratio that has a target, drawn on a log scale around 1.0,
 * with the target marked on each bar. Plain SVG, no dependencies.
 */
export function ratioChart(results: readonly CaseResult[]): string {
  const rows = results.flatMap((c) => c.ratios.filter((r) => r.target !== null).map((r) => ({ c, r })));
  const width = 900;
  const labelWidth = 430;
  const rowHeight = 26;
  const height = 40 + rows.length * rowHeight + 30;
  const plot = width - labelWidth - 70;
  const maxLog = Math.log10(4);
  const x = (v: number) =>
    labelWidth +
    ((Math.max(-maxLog, Math.min(maxLog, Math.log10(Math.max(v, 1e-6)))) + maxLog) / (2 * maxLog)) * plot;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="title" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title id="title">Measured ratio of keyward to the hand-written floor and to its peers, per benchmark, against each target</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="22" font-size="14" font-weight="bold">keyward vs floor and peers: measured ratio (log scale; tick = target)</text>`,
    `<line x1="${x(1)}" y1="32" x2="${x(1)}" y2="${height - 24}" stroke="#888" stroke-dasharray="3,3"/>`,
    `<text x="${x(1) - 6}" y="${height - 8}">1×</text>`,
  ];
  rows.forEach(({ c, r }, i) => {
    const y = 40 + i * rowHeight;
    const good = r.pass ? "#2e7d32" : "#c62828";
    const left = Math.min(x(1), x(r.value));
    const barWidth = Math.max(1, Math.abs(x(r.value) - x(1)));
    parts.push(
      `<text x="10" y="${y + 15}">${escapeXml(`${c.title}: ${r.label}`).slice(0, 200)}</text>`,
      `<rect x="${left}" y="${y + 4}" width="${barWidth}" height="16" fill="${good}" opacity="0.8"/>`,
      `<line x1="${x(r.target!)}" y1="${y + 1}" x2="${x(r.target!)}" y2="${y + 23}" stroke="#000" stroke-width="2"/>`,
      `<text x="${width - 64}" y="${y + 15}">${r.value.toFixed(2)}×</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}
