import type { AlgorithmRegistry } from '../crypto/registry.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { verifyXmlSignature } from '../xades/xmldsig.js';
import { NS } from './uris.js';
import { childElements } from './xml-read.js';

/** Outcome of checking a trusted list's enveloped signature against pinned certificates. */
export type ListSignatureStatus =
  /** Verified with one of the pinned certificates over the whole list. */
  | 'VALID'
  /** Signed, but the signature or a digest does not verify with any pinned certificate, or it does not cover the list. */
  | 'INVALID'
  | 'NOT_SIGNED'
  /** Nobody said which certificate may sign this list (no pin, no verified list-of-lists pointer). */
  | 'NO_PINNED_CERTIFICATE'
  /** A JSON list: there is no signature to check (see `integrity`). */
  | 'NOT_APPLICABLE';

/** The result of checking a trusted list's XML signature against the certificates allowed to sign it. */
export interface ListSignatureOutcome {
  readonly status: ListSignatureStatus;
  /** Subject of the pinned certificate that verified it. */
  readonly signer: string | null;
  readonly detail: string;
}

/**
 * TS 119 612 5.7: one enveloped signature whose reference covers the whole list
 * (`URI=""` or the root's Id, with the enveloped-signature transform). Each
 * pinned certificate is tried as the key; ds:KeyInfo is never trusted.
 */
export async function verifyListSignature(
  doc: Document,
  pinned: readonly ParsedCertificate[],
  registry?: AlgorithmRegistry,
): Promise<ListSignatureOutcome> {
  const root = doc.documentElement;
  const sigs = childElements(root, NS.ds, 'Signature');
  if (sigs.length === 0) return { status: 'NOT_SIGNED', signer: null, detail: 'the list has no ds:Signature' };
  if (sigs.length > 1) return { status: 'INVALID', signer: null, detail: `the list has ${sigs.length} ds:Signature elements; exactly one is allowed` };
  if (pinned.length === 0) return { status: 'NO_PINNED_CERTIFICATE', signer: null, detail: 'no certificate is pinned for this list' };
  const failures: string[] = [];
  for (const cert of pinned) {
    const r = await verifyXmlSignature(doc, sigs[0]!, { key: cert, ...(registry ? { registry } : {}) });
    if (!r.signatureValid) {
      failures.push(`${cert.subject.text}: ${r.signatureError ?? r.problems[0] ?? 'signature value does not verify'}`);
      continue;
    }
    if (!r.referencesValid) {
      const bad = r.references.find((x) => !x.digestOk);
      // The key is right (SignatureValue verified) but the content changed: that is tampering, not a wrong pin.
      return { status: 'INVALID', signer: cert.subject.text, detail: `reference "${bad?.uri ?? ""}" digest does not match: ${bad?.error ?? 'content was modified after signing'}` };
    }
    const whole = r.references.some((x) => x.covered.isDocumentElement && x.covered.excludesSignature && (x.covered.kind === 'document' || x.covered.kind === 'element'));
    if (!whole) return { status: 'INVALID', signer: cert.subject.text, detail: 'no signed reference covers the whole list with the enveloped-signature transform' };
    return { status: 'VALID', signer: cert.subject.text, detail: `signature verifies with pinned certificate ${cert.subject.text}` };
  }
  return { status: 'INVALID', signer: null, detail: `signature does not verify with any pinned certificate (${failures.join('; ')})` };
}
