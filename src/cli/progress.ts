/**
 * Progress on stderr for a batch. On a terminal: a bar redrawn in place. Not on
 * a terminal (CI logs): a plain line every `intervalMs`, with the rate and an
 * estimate of the time left, so a long job shows it is alive without flooding
 * the log; and a last line when done if any line was printed.
 */
export function progressLog(stream: NodeJS.WritableStream, intervalMs: number, now: () => number = Date.now): (done: number, total: number) => void {
  const start = now();
  let last = start;
  let printed = false;
  return (done, total) => {
    const t = now();
    const finished = done === total;
    if (!(t - last >= intervalMs) && !(finished && printed)) return;
    last = t;
    printed = true;
    const elapsed = (t - start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = finished ? 'done' : rate > 0 ? `ETA ${duration((total - done) / rate)}` : 'ETA unknown';
    const pct = total ? Math.floor((done / total) * 100) : 100;
    stream.write(`ots-esig: ${done}/${total} files (${pct}%), ${rate.toFixed(1)} files/s, ${duration(elapsed)} elapsed, ${eta}\n`);
  };
}

/** Seconds as "1h02m03s" / "2m05s" / "7s". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h) return `${h}h${String(m).padStart(2, '0')}m${String(r).padStart(2, '0')}s`;
  if (m) return `${m}m${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

/** `--progress SECONDS`: the interval of the plain progress lines (default 10; 0 = after every file; "off" = none). */
export function parseProgressInterval(value: string | undefined): number | null {
  if (value === undefined) return 10_000;
  if (value === 'off') return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || value.trim() === '') return NaN;
  return n * 1000;
}
