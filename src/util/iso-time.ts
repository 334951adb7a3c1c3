/**
 * `Date#toISOString` through a small cache keyed by the time value. V8 formats
 * an ISO string through a printf-style formatter (~7,000 instructions a call),
 * and a CAdES-B verify formats about a dozen times, most of them recurring
 * across calls: the validation time, the CRLs' thisUpdate (in each revocation
 * source and report entry), a CA's validity. The string is a function of the
 * time value alone, so the cache cannot change what is written; an invalid Date
 * throws RangeError from toISOString as before and is never stored.
 */
const formatted = new Map<number, string>();
/** Distinct time values kept; the oldest goes first. */
const CAPACITY = 512;

export function isoTime(d: Date): string {
  const t = d.getTime();
  let s = formatted.get(t);
  if (s === undefined) {
    s = d.toISOString();
    if (formatted.size >= CAPACITY) formatted.delete(formatted.keys().next().value!);
    formatted.set(t, s);
  }
  return s;
}
