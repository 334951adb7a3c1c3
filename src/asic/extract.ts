/**
 * Listing and extracting what an ASiC container holds, for a viewer that must show the document that was
 * actually signed: `openContainer` reads the entries (within the same limits as verify), and
 * `signedDataObjects` returns only the data objects a passing signature or time-stamp of a report covers.
 */
import { InvalidOptionError } from '../errors.js';
import { resolveLimits, type Limits } from '../limits.js';
import type { ContainerEntryRole, ContainerType } from './model.js';
import type { ValidationReport } from '../report/model.js';
import { toBytes } from '../util/bytes.js';
import { readAsic, unsafeNameReason } from './container.js';

/** One file of a container as `openContainer` lists it: its name, role and bytes. */
export interface ContainerFile {
  readonly name: string;
  readonly role: ContainerEntryRole;
  /** The entry's bytes (a copy: changing them changes nothing in the container). */
  readonly data: Uint8Array;
  /** Why the name is unsafe to use as a file path (traversal, absolute, ...); absent when it is safe. */
  readonly unsafeName?: string;
}

/** A container opened without validating it (`openContainer`): its type, mimetype and files. */
export interface OpenedContainer {
  readonly type: ContainerType;
  readonly mimetype: string | null;
  readonly files: readonly ContainerFile[];
}

/** Reads the entries of an ASiC container. Throws InputFormatError / LimitExceededError like verify(). */
export function openContainer(input: Uint8Array | ArrayBuffer, options: { readonly limits?: Partial<Limits> } = {}): OpenedContainer {
  const s = readAsic(toBytes(input), resolveLimits(options.limits));
  return {
    type: s.type,
    mimetype: s.mimetype,
    files: s.entries
      .filter((e) => !e.isDirectory)
      .map((e) => {
        const unsafe = unsafeNameReason(e.name);
        return { name: e.name, role: e.role, data: e.data.slice(), ...(unsafe ? { unsafeName: unsafe } : {}) };
      }),
  };
}

/**
 * The data objects of `input` that a TOTAL-PASSED signature (or a PASSED time-stamp) in `report` covers, when
 * the container as a whole passed; an empty list otherwise. `report` must be verify()'s report of these bytes:
 * the entries are matched by name and SHA-256.
 */
export async function signedDataObjects(input: Uint8Array | ArrayBuffer, report: ValidationReport, options: { readonly limits?: Partial<Limits> } = {}): Promise<ContainerFile[]> {
  const c = report.container;
  if (!c) throw new InvalidOptionError('the report is not a container report');
  if (c.indication !== 'TOTAL-PASSED') return [];
  const passed = new Set(report.signatures.filter((s) => s.indication === 'TOTAL-PASSED').map((s) => s.id));
  const names = new Set([...c.signatures.filter((s) => passed.has(s.signature)).flatMap((s) => s.covers), ...c.timestamps.filter((t) => t.status === 'PASSED').flatMap((t) => t.covers)]);
  const opened = openContainer(input, options);
  const out: ContainerFile[] = [];
  for (const f of opened.files) {
    if (f.role !== 'data' || !names.has(f.name) || f.unsafeName) continue;
    const entry = c.entries.find((e) => e.name === f.name);
    const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', f.data.slice()));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    if (!entry || entry.sha256 !== hex) throw new InvalidOptionError(`the report does not describe these bytes (${f.name} differs)`);
    out.push(f);
  }
  return out;
}
