/** Structure-blind mutations of any input: bit flips, interesting bytes, truncation, splices. */
import type { Rng } from './prng.js';

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x84, 0xff, 0x30, 0x31, 0xa0, 0x3c, 0x3e, 0x22];

export function flipBits(input: Uint8Array, rng: Rng): Uint8Array {
  const out = input.slice();
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) out[rng.int(out.length)]! ^= 1 << rng.int(8);
  return out;
}

export function setBytes(input: Uint8Array, rng: Rng): Uint8Array {
  const out = input.slice();
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) out[rng.int(out.length)] = rng.pick(INTERESTING);
  return out;
}

export function truncate(input: Uint8Array, rng: Rng): Uint8Array {
  // Mostly near the end (a torn download), sometimes anywhere.
  const cut = rng.chance(0.5) ? input.length - 1 - rng.int(Math.min(64, input.length - 1)) : rng.int(input.length);
  return input.slice(0, Math.max(1, cut));
}

/** Deletes or repeats a short run of bytes (shifts everything after it). */
export function shiftRun(input: Uint8Array, rng: Rng): Uint8Array {
  const at = rng.int(input.length);
  const len = 1 + rng.int(16);
  if (rng.chance(0.5)) return Uint8Array.from([...input.subarray(0, at), ...input.subarray(Math.min(input.length, at + len))]);
  const run = input.subarray(at, Math.min(input.length, at + len));
  return Uint8Array.from([...input.subarray(0, at), ...run, ...input.subarray(at)]);
}
