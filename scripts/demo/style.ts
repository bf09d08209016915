/**
 * Terminal styling for the demo: ANSI colours on a TTY, plain text everywhere else (pipes, CI,
 * tests) and whenever NO_COLOR is set (https://no-color.org).
 */

const enabled = process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== "dumb";

const style =
  (open: number, close: number) =>
  (text: string): string =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export const bold = style(1, 22);
export const dim = style(2, 22);
export const red = style(31, 39);
export const green = style(32, 39);
const yellow = style(33, 39);
export const cyan = style(36, 39);

/** Colour for a status code: green 2xx, yellow 4xx, red otherwise. */
export function statusColour(status: number): (text: string) => string {
  if (status < 300) return green;
  if (status < 500) return yellow;
  return red;
}
