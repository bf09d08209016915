/**
 * Closing notes for missed targets: how far each one is off (computed from the run) and, from
 * the case, where the time goes and what would close the gap (from profiling the case; see the
 * case file for how). Nothing is printed for a target that was met.
 */
import type { Ratio } from "./types.js";

/** "by 12.3%": how far a ratio is from its target, relative to the target. */
function shortfall(ratio: Ratio): string {
  const target = ratio.target!;
  const off = ratio.atMost ? (ratio.value - target) / target : (target - ratio.value) / target;
  return `${(off * 100).toFixed(1)}%`;
}

/**
 * One note per missed ratio: `Missed: <label> <value> vs <target> (by N%). <explanation>`, then
 * `common` once when anything was missed.
 * @param explanations - by ratio label: where the time goes and what would close it
 * @param common - what every missed ratio of the case shares (printed once, last)
 */
export function missedTargetNotes(
  ratios: readonly Ratio[],
  explanations: Record<string, string>,
  common?: string,
): string[] {
  const notes = ratios
    .filter((r) => r.pass === false)
    .map((r) => {
      const why = explanations[r.label];
      return `Missed: ${r.label} ${r.value.toFixed(3)} vs ${r.atMost ? "≤" : "≥"} ${r.target} (by ${shortfall(r)}).${why ? ` ${why}` : ""}`;
    });
  return notes.length > 0 && common ? [...notes, common] : notes;
}
