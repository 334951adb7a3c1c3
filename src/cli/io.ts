import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';

export function readFile(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function parseTime(s: string, flag = '--at'): Date {
  // Require an explicit ISO-8601 date (and zone when a time is given) so "now-ish" strings are not guessed at.
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(s)) {
    throw new UsageError(`${flag} expects an ISO-8601 date or date-time with zone, e.g. 2026-06-01T00:00:00Z (got "${s}")`);
  }
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new UsageError(`${flag}: invalid date "${s}"`);
  return d;
}

/** File name endings taken as signatures when a folder is given. */
export const SIGNATURE_EXTENSIONS = ['.p7s', '.p7m', '.p7', '.pkcs7', '.cms', '.der', '.pem', '.b64', '.xml', '.xades'];

/** The signature files named on the command line: files as given, folders walked recursively (sorted, hidden entries skipped). */
export function expandSignatureFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && SIGNATURE_EXTENSIONS.some((e) => name.toLowerCase().endsWith(e))) out.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new UsageError(`cannot read signature file ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (st.isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}
