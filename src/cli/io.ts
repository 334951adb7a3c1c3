import { lstatSync, readFileSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
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
export const SIGNATURE_EXTENSIONS = ['.p7s', '.p7m', '.p7', '.pkcs7', '.cms', '.der', '.pem', '.b64', '.xml', '.xades', '.asice', '.sce', '.asics', '.scs', '.bdoc'];

/** One signature file found on the command line, or an entry that could not be read (a per-file error, not the batch's). */
export interface SignatureEntry {
  readonly file: string;
  readonly error?: { readonly code: 'ERR_READ'; readonly message: string };
}

/**
 * The signature files named on the command line: files as given, folders
 * walked recursively (sorted, hidden entries skipped). An entry that cannot be
 * read — a dangling symbolic link, a link loop (ELOOP), an unreadable folder —
 * is returned with its error so the batch reports it and goes on. Folders are
 * identified by their real path: a link back to a folder being walked is a
 * loop (reported, never followed), one reached again by another link is walked once.
 */
export function expandSignatureEntries(paths: readonly string[]): SignatureEntry[] {
  const out: SignatureEntry[] = [];
  const visited = new Set<string>();
  const unreadable = (file: string, e: unknown, why = '') =>
    out.push({ file, error: { code: 'ERR_READ', message: `cannot read signature file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}${why}` } });
  const walk = (dir: string, ancestors: ReadonlySet<string>) => {
    let real: string;
    let names: string[];
    try {
      real = realpathSync(dir);
      if (ancestors.has(real)) {
        out.push({ file: dir, error: { code: 'ERR_READ', message: `not followed: ${dir} is a symbolic link loop back to ${real}` } });
        return;
      }
      if (visited.has(real)) return; // the same folder through another link: its files are listed once
      visited.add(real);
      names = readdirSync(dir).sort();
    } catch (e) {
      unreadable(dir, e);
      return;
    }
    const inside = new Set(ancestors).add(real);
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      let st: Stats;
      try {
        st = statSync(p);
      } catch (e) {
        // A dangling link or a link loop (ELOOP): reported, whatever its name, since what it points to is unknown.
        let link = false;
        try {
          link = lstatSync(p).isSymbolicLink();
        } catch {
          // vanished meanwhile: reported below like any unreadable entry
        }
        unreadable(p, e, link ? ' (symbolic link)' : '');
        continue;
      }
      if (st.isDirectory()) walk(p, inside);
      else if (st.isFile() && SIGNATURE_EXTENSIONS.some((x) => name.toLowerCase().endsWith(x))) out.push({ file: p });
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new UsageError(`cannot read signature file ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (st.isDirectory()) walk(p, new Set());
    else out.push({ file: p });
  }
  return out;
}

/** The readable signature files of expandSignatureEntries (entries that could not be read are left out). */
export function expandSignatureFiles(paths: readonly string[]): string[] {
  return expandSignatureEntries(paths).flatMap((e) => (e.error ? [] : [e.file]));
}
