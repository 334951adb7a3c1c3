/**
 * Lint of a signed list's SignatureTimeStamp (XAdES-T, EN 319 132-1 5.3): each token is validated by the
 * library's RFC 3161 block (tsp/validate.ts) against ds:SignatureValue canonicalized as the time-stamp says.
 * Unsigned properties are outside the list signature, so anyone can swap a time-stamp: lint recomputes the
 * imprint instead of trusting the element. Whether the TSA is trusted needs time-stamp anchors (the list's
 * pins are not TSA anchors); without them the token is checked for everything else and the finding says so.
 */
import type { CertificateInput } from '../pki/inputs.js';
import { NS } from '../trust/uris.js';
import { childElements } from '../trust/xml-read.js';
import { validateTimestampToken } from '../tsp/validate.js';
import { createContext, type CrlInput } from '../validation/options.js';
import { findQualifyingProperties, readQualifyingProperties } from '../xades/properties.js';
import { signatureTimestampInput } from '../xades/timestamps.js';
import type { Finding } from './findings.js';

/** What the time-stamps of a list are judged with. */
export interface ListTimestampLintOptions {
  /** Validation time (the TSA path and genTime are judged at it). */
  readonly time: Date;
  /** Certificates trusted as TSAs (or as CAs issuing TSA certificates); none: the TSA's trust is not judged. */
  readonly timestampAnchors?: readonly CertificateInput[];
  /** CRLs for the TSA path (the validation policy requires revocation data for it). */
  readonly crls?: readonly CrlInput[];
  /** Extra certificates for the TSA path. */
  readonly intermediates?: readonly CertificateInput[];
}

/** Findings on every xades:SignatureTimeStamp of the list's ds:Signature; none when the list is XAdES-B. */
export async function lintListTimestamps(doc: Document, o: ListTimestampLintOptions): Promise<Finding[]> {
  const sig = childElements(doc.documentElement, NS.ds, 'Signature')[0];
  if (!sig) return [];
  const qpEl = findQualifyingProperties(sig)[0];
  if (!qpEl) return [];
  const qp = readQualifyingProperties(qpEl);
  const stamps = qp.timeStamps.filter((t) => t.kind === 'SignatureTimeStamp');
  if (!stamps.length) return [{ severity: 'info', rule: 'signature.level', message: 'XAdES-B: the list signature has no SignatureTimeStamp' }];
  const anchors = o.timestampAnchors ?? [];
  const ctx = createContext({
    validationTime: o.time,
    timestampAnchors: anchors,
    ...(o.crls ? { crls: o.crls } : {}),
    ...(o.intermediates ? { intermediates: o.intermediates } : {}),
  });
  const out: Finding[] = [];
  for (const [i, ts] of stamps.entries()) {
    const where = `SignatureTimeStamp[${i + 1}]`;
    if (!ts.token) {
      out.push({ severity: 'error', rule: 'signature-timestamp.invalid', message: 'no EncapsulatedTimeStamp', where });
      continue;
    }
    const data = signatureTimestampInput(ts, sig);
    if (!data) {
      out.push({ severity: 'error', rule: 'signature-timestamp.invalid', message: `the time-stamped data cannot be computed (CanonicalizationMethod ${ts.canonicalizationMethod ?? 'default'})`, where });
      continue;
    }
    const r = await validateTimestampToken(ts.token, { imprint: { data }, ctx, idPrefix: 'tst' });
    const isTrust = (id: string) => id === 'tst.tsa-trust' || id.startsWith('tst.tsa.');
    const bad = r.checks.filter((c) => c.status !== 'PASSED' && !isTrust(c.id));
    if (bad.length) {
      out.push({ severity: 'error', rule: 'signature-timestamp.invalid', message: bad.map((c) => `${c.id}: ${c.detail}`).join('; '), where });
      continue;
    }
    const by = `genTime ${r.genTime?.toISOString()} by ${r.tsa?.subject.text}`;
    const untrusted = r.checks.filter((c) => c.status !== 'PASSED' && isTrust(c.id));
    if (!anchors.length) {
      out.push({ severity: 'info', rule: 'signature-timestamp.valid', message: `time-stamp over ds:SignatureValue verifies (${by}): token signature, imprint, TSA key usage and genTime`, where });
      out.push({ severity: 'warning', rule: 'signature-timestamp.tsa-not-checked', message: 'no time-stamp anchor given (--tsa-anchor): whether the TSA is trusted was not checked', where });
    } else if (untrusted.length) {
      out.push({ severity: 'error', rule: 'signature-timestamp.tsa-untrusted', message: untrusted.map((c) => `${c.id}: ${c.detail}`).join('; '), where });
    } else {
      out.push({ severity: 'info', rule: 'signature-timestamp.valid', message: `time-stamp over ds:SignatureValue verifies (${by}), TSA trusted`, where });
    }
  }
  return out;
}
