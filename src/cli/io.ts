import { lstatSync, readFileSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';

/** Why a file system call failed, in words (the errno code kept in brackets for searching). */
export function describeFsError(e: unknown, path?: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  let words: string | undefined;
  switch (code) {
    case 'ENOENT':
      // A link whose target is gone reads as "no such file" though the link itself is there.
      words = path !== undefined && isSymbolicLink(path) ? 'a symbolic link whose target does not exist' : 'no such file or folder';
      break;
    case 'EACCES':
    case 'EPERM':
      words = 'permission denied';
      break;
    case 'EISDIR':
      words = 'is a folder, not a file';
      break;
    case 'ENOTDIR':
      words = 'a part of the path is not a folder';
      break;
    case 'ELOOP':
      words = 'a symbolic link loop';
      break;
    case 'ENAMETOOLONG':
      words = 'the name is too long';
      break;
    case 'EMFILE':
    case 'ENFILE':
      words = 'too many open files';
      break;
    case 'EIO':
      words = 'an input/output error of the device';
      break;
    case 'EFBIG':
    case 'ERR_FS_FILE_TOO_LARGE':
      words = 'the file is too large';
      break;
  }
  return words ? `${words} [${code}]` : ((e as Error).message ?? String(e));
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function readFile(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${describeFsError(e, path)}`);
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

/**
 * One entry found on the command line: a signature file to verify, an entry
 * that could not be read (a per-file error, not the batch's), or a file the
 * folder walk passed over, with the reason (reported, never verified).
 */
export interface SignatureEntry {
  readonly file: string;
  readonly error?: { readonly code: 'ERR_READ'; readonly message: string };
  readonly skipped?: string;
  /** Why it was skipped, as a kind (with its parameter): lets a report say `skipped` in another language. */
  readonly skipKind?: SkipKind;
}

/** The reasons a folder walk passes over an entry. */
export type SkipKind = { readonly kind: 'hidden' | 'not-regular' | 'not-signature-name' } | { readonly kind: 'folder-again'; readonly folder: string };

export interface ExpandOptions {
  /**
   * What a path named on the command line that cannot be read becomes: a usage
   * error (default; one file given) or a per-file error entry (a batch goes on).
   */
  readonly unreadableArgument?: 'throw' | 'entry';
}

/**
 * The signature files named on the command line: files as given, folders
 * walked recursively (sorted). An entry that cannot be read — a dangling
 * symbolic link, a link loop (ELOOP), an unreadable folder — is returned with
 * its error so the batch reports it and goes on. Files the walk does not take
 * (hidden entries, names without a signature extension, special files) are
 * returned as skipped with the reason. Folders are identified by their real
 * path: a link back to a folder being walked is a loop (reported, never
 * followed), one reached again by another link is walked once.
 */
export function expandSignatureEntries(paths: readonly string[], options: ExpandOptions = {}): SignatureEntry[] {
  const out: SignatureEntry[] = [];
  const visited = new Set<string>();
  const unreadable = (file: string, e: unknown) =>
    out.push({ file, error: { code: 'ERR_READ', message: `cannot read signature file ${file}: ${describeFsError(e, file)}` } });
  const walk = (dir: string, ancestors: ReadonlySet<string>) => {
    let real: string;
    let names: string[];
    try {
      real = realpathSync(dir);
      if (ancestors.has(real)) {
        out.push({ file: dir, error: { code: 'ERR_READ', message: `not followed: ${dir} is a symbolic link loop back to ${real}` } });
        return;
      }
      if (visited.has(real)) {
        out.push({ file: dir, skipped: `the folder ${real} again (through another link): its files are listed once`, skipKind: { kind: 'folder-again', folder: real } });
        return;
      }
      visited.add(real);
      names = readdirSync(dir).sort();
    } catch (e) {
      unreadable(dir, e);
      return;
    }
    const inside = new Set(ancestors).add(real);
    for (const name of names) {
      const p = join(dir, name);
      if (name.startsWith('.')) {
        out.push({ file: p, skipped: 'hidden (its name starts with ".")', skipKind: { kind: 'hidden' } });
        continue;
      }
      let st: Stats;
      try {
        st = statSync(p);
      } catch (e) {
        // A dangling link or a link loop (ELOOP): reported, whatever its name, since what it points to is unknown.
        unreadable(p, e);
        continue;
      }
      if (st.isDirectory()) walk(p, inside);
      else if (!st.isFile()) out.push({ file: p, skipped: 'not a regular file (a device, socket or pipe)', skipKind: { kind: 'not-regular' } });
      else if (SIGNATURE_EXTENSIONS.some((x) => name.toLowerCase().endsWith(x))) out.push({ file: p });
      else out.push({ file: p, skipped: `not a signature file name (taken in folders: ${SIGNATURE_EXTENSIONS.join(' ')})`, skipKind: { kind: 'not-signature-name' } });
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      const message = `cannot read signature file ${p}: ${describeFsError(e, p)}`;
      if (options.unreadableArgument !== 'entry') throw new UsageError(message);
      out.push({ file: p, error: { code: 'ERR_READ', message } });
      continue;
    }
    if (st.isDirectory()) walk(p, new Set());
    else out.push({ file: p });
  }
  return out;
}

/** The readable signature files of expandSignatureEntries (entries that could not be read or were skipped are left out). */
export function expandSignatureFiles(paths: readonly string[]): string[] {
  return expandSignatureEntries(paths).flatMap((e) => (e.error || e.skipped ? [] : [e.file]));
}
