/** A progress bar on a terminal; a no-op everywhere else (pipes, files, CI logs). */
interface Progress {
  update(done: number, fraction: number): void;
  finish(): void;
}

const WIDTH = 30;
const INTERVAL_MS = 100;

/**
 * Draws `importing [#####.....]  42%  4,200 lines` on one stderr line, redrawn at most ten
 * times a second, and erases it when done. Does nothing unless `stream.isTTY`.
 */
export function createProgress(stream: { write(chunk: string): unknown; isTTY?: boolean }): Progress {
  if (!stream.isTTY) return { update() {}, finish() {} };
  let last = 0;
  let drawn = false;
  return {
    update(done, fraction) {
      const now = Date.now();
      if (now - last < INTERVAL_MS) return;
      last = now;
      drawn = true;
      const filled = Math.round(Math.min(1, Math.max(0, fraction)) * WIDTH);
      const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
      stream.write(
        `\rimporting [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${percent}  ${done.toLocaleString("en-US")} lines`,
      );
    },
    finish() {
      if (drawn) stream.write("\r\x1b[K");
    },
  };
}
