/** isoTime (src/util/iso-time.ts) is Date#toISOString through a cache by time value: the same strings, the same throw. */
import { describe, expect, it } from 'vitest';
import { isoTime } from '../src/util/iso-time.js';

describe('isoTime', () => {
  it('writes what toISOString writes, for times met again, new times and times evicted from the cache', () => {
    const times = [0, -1, 1, Date.UTC(2026, 5, 1), Date.UTC(1949, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), Date.UTC(-1, 0, 1), 8.64e15, -8.64e15];
    for (let i = 0; i < 2000; i++) times.push(Date.UTC(2000, 0, 1) + i * 86_399_999);
    for (let round = 0; round < 3; round++) for (const t of times) expect(isoTime(new Date(t))).toBe(new Date(t).toISOString());
  });

  it('follows the Date, not the object: a Date changed in place gets its new time', () => {
    const d = new Date(Date.UTC(2026, 0, 1));
    expect(isoTime(d)).toBe('2026-01-01T00:00:00.000Z');
    d.setTime(Date.UTC(2027, 0, 1));
    expect(isoTime(d)).toBe('2027-01-01T00:00:00.000Z');
  });

  it('an invalid Date throws RangeError as toISOString does, every time', () => {
    for (let i = 0; i < 2; i++) expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
