import type { DistinguishedName } from '../pki/name.js';
import { lookupTable } from '../util/table.js';

/**
 * An order-independent comparison key for a distinguished name, so an
 * X509SubjectName written in a trusted list ("CN=..., O=..., C=KZ") matches
 * the certificate's Name. Attribute types by short name or OID; values
 * case-folded and whitespace-collapsed as in RFC 5280 7.1.
 */
const TYPE_BY_SHORT: Record<string, string> = lookupTable({
  cn: '2.5.4.3',
  c: '2.5.4.6',
  l: '2.5.4.7',
  st: '2.5.4.8',
  s: '2.5.4.8',
  o: '2.5.4.10',
  ou: '2.5.4.11',
  serialnumber: '2.5.4.5',
  organizationidentifier: '2.5.4.97',
  sn: '2.5.4.4',
  surname: '2.5.4.4',
  gn: '2.5.4.42',
  givenname: '2.5.4.42',
  e: '1.2.840.113549.1.9.1',
  emailaddress: '1.2.840.113549.1.9.1',
  dc: '0.9.2342.19200300.100.1.25',
  uid: '0.9.2342.19200300.100.1.1',
});

function norm(v: string): string {
  return v.trim().replace(/\s+/g, ' ').toLowerCase();
}

function keyOf(pairs: [string, string][]): string {
  return pairs
    .map(([t, v]) => `${t}=${norm(v)}`)
    .sort()
    .join('\u0000');
}

export function nameKeyFromCertificate(dn: DistinguishedName): string {
  return keyOf(dn.rdns.flat().map((a) => [a.type, a.value] as [string, string]));
}

/** Splits an RFC 4514-style string on unescaped `,` / `+`; returns undefined when unreadable. */
export function nameKeyFromString(s: string): string | undefined {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length) {
      cur += s[++i];
    } else if (ch === ',' || ch === '+') {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  const pairs: [string, string][] = [];
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq <= 0) return undefined;
    const rawType = p.slice(0, eq).trim();
    const type = /^\d+(\.\d+)+$/.test(rawType) ? rawType : TYPE_BY_SHORT[rawType.toLowerCase()];
    if (!type) return undefined;
    pairs.push([type, p.slice(eq + 1)]);
  }
  return keyOf(pairs);
}
