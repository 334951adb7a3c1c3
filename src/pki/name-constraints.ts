import * as pkijs from 'pkijs';
import type { ParsedCertificate } from './certificate.js';
import { decodeExtension, generalNameText, readGeneralName, subjectAltNames, type GeneralNameValue } from './general-name.js';
import { isEmptyName, isWithinSubtree } from './name.js';
import { OID } from './oids.js';

/** PKCS #9 emailAddress attribute (legacy e-mail in subject DNs, RFC 5280 4.2.1.6). */
const EMAIL_ADDRESS = '1.2.840.113549.1.9.1';

/** The subtrees one CA certificate's nameConstraints extension imposes (RFC 5280 4.2.1.10). */
export interface NameConstraintSet {
  /** Undefined when the extension has no permittedSubtrees. */
  readonly permitted?: readonly GeneralNameValue[];
  readonly excluded: readonly GeneralNameValue[];
  /** Subject of the imposing certificate, for messages. */
  readonly imposedBy: string;
}

/**
 * The nameConstraints of `cert`, or undefined when it has none. Throws a plain
 * Error when the extension is present but cannot be read (the caller fails the path).
 */
export function readNameConstraints(cert: ParsedCertificate): NameConstraintSet | undefined {
  const ext = cert.extension(OID.nameConstraints);
  if (!ext) return undefined;
  const pv = decodeExtension(ext.value, pkijs.NameConstraints as unknown as { fromBER(raw: BufferSource): pkijs.NameConstraints });
  if (!pv) throw new Error('nameConstraints extension is malformed');
  const bases = (subtrees: pkijs.GeneralSubtree[] | undefined) =>
    (subtrees ?? []).map((s) => readGeneralName(s.base) ?? ({ kind: 'other', tag: s.base.type } as const));
  if (!pv.permittedSubtrees?.length && !pv.excludedSubtrees?.length) throw new Error('nameConstraints extension is empty');
  const set = {
    permitted: pv.permittedSubtrees?.length ? bases(pv.permittedSubtrees) : undefined,
    excluded: bases(pv.excludedSubtrees),
    imposedBy: cert.subject.text,
  };
  for (const base of [...(set.permitted ?? []), ...set.excluded]) {
    const bad = invalidConstraint(base);
    if (bad) throw new Error(`nameConstraints has an invalid subtree: ${bad}`);
  }
  return set;
}

/** The names of `cert` that name constraints apply to: subject DN, subjectAltName entries, emailAddress attributes. */
export function constrainedNames(cert: ParsedCertificate): GeneralNameValue[] {
  const out: GeneralNameValue[] = [];
  if (!isEmptyName(cert.subject)) out.push({ kind: 'directory', value: cert.subject });
  for (const rdn of cert.subject.rdns) for (const a of rdn) if (a.type === EMAIL_ADDRESS) out.push({ kind: 'rfc822', value: a.value });
  const san = cert.extension(OID.subjectAltName);
  if (san) out.push(...(subjectAltNames(san.value) ?? [{ kind: 'other', tag: -1 } as const]));
  return out;
}

/** Whether `name` lies in the subtree `base`; undefined when the forms cannot be compared (unsupported form). */
export function nameInSubtree(name: GeneralNameValue, base: GeneralNameValue): boolean | undefined {
  if (name.kind !== base.kind) return false;
  switch (base.kind) {
    case 'dns':
      return dnsInSubtree((name as typeof base).value, base.value);
    case 'rfc822':
      return emailInSubtree((name as typeof base).value, base.value);
    case 'uri':
      return uriInSubtree((name as typeof base).value, base.value);
    case 'ip':
      return ipInSubtree((name as typeof base).value, base.value);
    case 'directory':
      return isWithinSubtree((name as typeof base).value, base.value);
    case 'other':
      return (name as typeof base).tag === base.tag ? undefined : false;
  }
}

/**
 * Checks the names of a certificate against every constraint set in force.
 * Returns a reason when a name is outside a permitted subtree, inside an
 * excluded one, or of a form we cannot compare against a constraint on it.
 */
export function checkNameConstraints(names: readonly GeneralNameValue[], sets: readonly NameConstraintSet[]): string | undefined {
  // Bounded work on hostile certificates (OpenSSL uses the same bound): names x subtrees comparisons.
  const work = names.length * sets.reduce((n, s) => n + s.excluded.length + (s.permitted?.length ?? 0), 0);
  if (work > MAX_NAME_CHECKS) return `${names.length} names against ${work / Math.max(1, names.length)} subtrees exceeds the ${MAX_NAME_CHECKS} comparisons allowed`;
  for (const set of sets) {
    for (const name of names) {
      const bad = set.permitted?.some((p) => p.kind === name.kind) || set.excluded.some((p) => p.kind === name.kind) ? invalidName(name) : undefined;
      if (bad) return `${generalNameText(name)} is malformed and cannot be checked against name constraints (${bad}; imposed by ${set.imposedBy})`;
    }
    for (const name of names) {
      for (const ex of set.excluded) {
        const direct = nameInSubtree(name, ex);
        const r = direct === undefined ? undefined : direct || (name.kind === 'dns' && ex.kind === 'dns' && wildcardCouldMatch(name.value, ex.value));
        if (r === undefined) return `${generalNameText(name)}: cannot evaluate excluded subtree of this form (imposed by ${set.imposedBy})`;
        if (r) return `${generalNameText(name)} is in excluded subtree ${generalNameText(ex)} (imposed by ${set.imposedBy})`;
      }
      if (!set.permitted) continue;
      const sameForm = set.permitted.filter((p) => p.kind === name.kind && (p.kind !== 'other' || (name.kind === 'other' && p.tag === name.tag)));
      if (sameForm.length === 0) continue; // no permitted subtree of this form: unconstrained
      let inside = false;
      for (const p of sameForm) {
        const r = nameInSubtree(name, p);
        if (r === undefined) return `${generalNameText(name)}: cannot evaluate permitted subtree of this form (imposed by ${set.imposedBy})`;
        if (r) inside = true;
      }
      if (!inside) return `${generalNameText(name)} is not in any permitted subtree (imposed by ${set.imposedBy})`;
    }
  }
  return undefined;
}

function stripDot(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/** DNS: `example.com` covers it and every subdomain; `.example.com` only subdomains; empty covers all. */
export function dnsInSubtree(name: string, base: string): boolean {
  const n = stripDot(name.toLowerCase());
  const b = stripDot(base.toLowerCase());
  if (b === '') return true;
  if (b.startsWith('.')) return n.endsWith(b) && n.length > b.length;
  return n === b || n.endsWith('.' + b);
}

/** rfc822: `user@host` one mailbox, `host` every mailbox at that host, `.domain` every host below it. */
export function emailInSubtree(name: string, base: string): boolean {
  const at = name.lastIndexOf('@');
  if (at < 0) return false;
  const local = name.slice(0, at);
  const host = name.slice(at + 1).toLowerCase();
  if (base.includes('@')) {
    const bat = base.lastIndexOf('@');
    return local === base.slice(0, bat) && host === base.slice(bat + 1).toLowerCase();
  }
  const b = base.toLowerCase();
  if (b === '') return true;
  if (b.startsWith('.')) return host.endsWith(b) && host.length > b.length;
  return host === b;
}

/** URI: compared by host (`host` exact, `.domain` below it); a URI without a host is outside every subtree. */
export function uriInSubtree(name: string, base: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(name);
  if (!m || !m[1]) return false;
  const host = stripDot(m[1].toLowerCase());
  const b = stripDot(base.toLowerCase());
  if (b.startsWith('.')) return host.endsWith(b) && host.length > b.length;
  return host === b;
}

/** iPAddress: base is address||mask (8 bytes IPv4, 32 bytes IPv6); names of the other family never match. */
export function ipInSubtree(name: Uint8Array, base: Uint8Array): boolean {
  if (base.length !== 8 && base.length !== 32) return false;
  const len = base.length / 2;
  if (name.length !== len) return false;
  for (let i = 0; i < len; i++) {
    const mask = base[len + i]!;
    if ((name[i]! & mask) !== (base[i]! & mask)) return false;
  }
  return true;
}

/** Comparisons of names against subtrees allowed for one certificate (as OpenSSL's NAME_CHECK_MAX). */
export const MAX_NAME_CHECKS = 1 << 20;

const LDH_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

function isHostname(s: string): boolean {
  const h = stripDot(s);
  return h.length > 0 && h.length <= 253 && h.split('.').every((l) => LDH_LABEL.test(l));
}

/** Why a constraint's base is not a valid subtree of its form (RFC 5280 4.2.1.10), or undefined. */
export function invalidConstraint(base: GeneralNameValue): string | undefined {
  switch (base.kind) {
    case 'dns':
      return base.value === '' || isHostname(base.value) ? undefined : `dNSName ${JSON.stringify(base.value)}`;
    case 'rfc822': {
      const v = base.value;
      const at = v.lastIndexOf('@');
      const host = at >= 0 ? v.slice(at + 1) : v.startsWith('.') ? v.slice(1) : v;
      if (at === 0 || (at > 0 && v.slice(0, at).includes('@'))) return `rfc822Name ${JSON.stringify(v)}`;
      return v === '' || isHostname(host) ? undefined : `rfc822Name ${JSON.stringify(v)}`;
    }
    case 'ip': {
      if (base.value.length !== 8 && base.value.length !== 32) return `iPAddress of ${base.value.length} octets`;
      const mask = base.value.slice(base.value.length / 2);
      let bits = '';
      for (const b of mask) bits += b.toString(2).padStart(8, '0');
      return /^1*0*$/.test(bits) ? undefined : 'iPAddress mask is not a prefix';
    }
    default:
      return undefined;
  }
}

/** Why a certificate name is malformed for its form, or undefined (checked only where a constraint of that form applies). */
export function invalidName(name: GeneralNameValue): string | undefined {
  switch (name.kind) {
    case 'dns': {
      const v = name.value.startsWith('*.') ? name.value.slice(2) : name.value;
      return isHostname(v) ? undefined : 'not a valid DNS name';
    }
    case 'rfc822': {
      const at = name.value.lastIndexOf('@');
      if (at <= 0) return 'not a mailbox';
      const local = name.value.slice(0, at);
      return !local.includes('@') && isHostname(name.value.slice(at + 1)) ? undefined : 'not a valid mailbox';
    }
    case 'ip':
      return name.value.length === 4 || name.value.length === 16 ? undefined : 'iPAddress of a wrong length';
    default:
      return undefined;
  }
}

/** A wildcard name (`*.example.com`) could stand for `base` (RFC 9525): excluded subtrees must then exclude it. */
function wildcardCouldMatch(name: string, base: string): boolean {
  if (!name.startsWith('*.')) return false;
  const suffix = stripDot(name.slice(2).toLowerCase());
  const b = stripDot(base.toLowerCase()).replace(/^\./, '');
  const dot = b.indexOf('.');
  return dot > 0 && b.slice(dot + 1) === suffix;
}
