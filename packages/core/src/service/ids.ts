/**
 * Key ids and list cursors.
 *
 * A key id is `key_` followed by 20 base62 characters: 8 for the creation time in ms and 12
 * random ones. The alphabet `0-9A-Za-z` is in ASCII order, so ids sort by creation time as plain
 * strings, and ids made in the same millisecond by one process stay strictly increasing (the
 * random part is incremented instead of redrawn). That lets stores order by id and paginate by
 * keyset (`id < cursor`) without a second column.
 */
import { KeywardError } from "../errors/index.js";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TIME_LENGTH = 8;
const RANDOM_LENGTH = 12;
const KEY_ID = /^key_[0-9A-Za-z]{20}$/;

/** Makes key ids that sort by creation time, strictly increasing within this generator. */
export function createIdGenerator(): (now: number) => string {
  let lastTime = -1;
  const random = new Uint8Array(RANDOM_LENGTH); // digits 0..61

  return (now) => {
    const time = Math.max(Math.floor(now), lastTime, 0);
    if (time === lastTime) {
      increment(random);
    } else {
      lastTime = time;
      fillRandom(random);
    }
    let id = "key_" + encodeTime(time);
    for (const digit of random) id += ALPHABET[digit];
    return id;
  };
}

function encodeTime(time: number): string {
  let out = "";
  let rest = time;
  for (let i = 0; i < TIME_LENGTH; i++) {
    out = ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/** Uniform base62 digits by rejection sampling (values >= 248 are redrawn). */
function fillRandom(digits: Uint8Array): void {
  const bytes = new Uint8Array(32);
  let filled = 0;
  while (filled < digits.length) {
    crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte < 248 && filled < digits.length) digits[filled++] = byte % 62;
    }
  }
  // Leave headroom so that increments within one millisecond never overflow the random part.
  digits[0] = digits[0]! % 31;
}

function increment(digits: Uint8Array): void {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i]! < 61) {
      digits[i]!++;
      return;
    }
    digits[i] = 0;
  }
}

/** True for a string shaped like a key id. */
function isKeyId(value: string): boolean {
  return KEY_ID.test(value);
}

/** The opaque cursor that resumes a listing after `lastId`. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, "utf8").toString("base64url");
}

/** The id a cursor points after; throws `invalid_request` for anything keyward did not issue. */
export function decodeCursor(cursor: string): string {
  const id = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  if (!isKeyId(id))
    throw new KeywardError("invalid_request", 'keyward: "cursor" is not a cursor from a previous page');
  return id;
}
