/**
 * The list of lists' word on a national list's signer (TS 119 612 5.3.13: each OtherTSLPointer carries the
 * certificates that may sign the list it points to, in ServiceDigitalIdentities). Lint checks that the list
 * in hand is signed by one of them, whatever the operator pinned: a list re-signed with a new key that the
 * list of lists does not announce yet verifies with a pin but fails every relying party that follows the LOTL.
 */
import { certificateCache } from '../pki/cache.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { verifyListSignature } from '../trust/list-signature.js';
import type { LoadedTrustList } from '../trust/loaded.js';
import type { TrustedList, TslPointer } from '../trust/model.js';
import { NS } from '../trust/uris.js';
import { base64Text, childElements } from '../trust/xml-read.js';
import { fromBase64 } from '../util/bytes.js';
import type { Finding } from './findings.js';

/** Pointers of usable lists of lists to `list`: same territory, same type when the pointer names one, an XML list (as trust/load.ts matches them). */
function pointersTo(lotls: readonly LoadedTrustList[], list: TrustedList): { lotl: LoadedTrustList; pointer: TslPointer }[] {
  return lotls.flatMap((lotl) =>
    lotl.list.scheme.pointers
      .filter((p) => p.territory === list.scheme.territory && (!p.type || p.type === list.scheme.type) && (!p.mimeType || /xml/i.test(p.mimeType)))
      .map((pointer) => ({ lotl, pointer })),
  );
}

function certs(b64s: readonly string[]): ParsedCertificate[] {
  return b64s.flatMap((b) => {
    try {
      return [certificateCache.get(fromBase64(b))];
    } catch {
      return [];
    }
  });
}

/** The certificate in the list's ds:KeyInfo, only to name the signer in a finding (never trusted). */
function keyInfoSubject(doc: Document): string | undefined {
  const sig = childElements(doc.documentElement, NS.ds, 'Signature')[0];
  const c = sig?.getElementsByTagNameNS(NS.ds, 'X509Certificate')[0];
  if (!c) return undefined;
  try {
    return certificateCache.get(fromBase64(base64Text(c))).subject.text;
  } catch {
    return undefined;
  }
}

/**
 * Findings on whether `doc` (the XML of `list`) is signed by a certificate that each pointer of the given
 * lists of lists announces for it. Only usable (verified) lists of lists count; a list of lists that points
 * elsewhere gives a warning.
 */
export async function lintAnnouncedSigner(doc: Document, list: TrustedList, lotls: readonly LoadedTrustList[]): Promise<Finding[]> {
  const usable = lotls.filter((l) => l.usable);
  if (!usable.length) return [];
  const matches = pointersTo(usable, list);
  const what = `${list.scheme.territory ?? '(no territory)'} ${list.scheme.type}`;
  if (!matches.length) return [{ severity: 'warning', rule: 'lotl.no-pointer', message: `no list of lists given points to ${what}` }];
  const out: Finding[] = [];
  for (const { lotl, pointer } of matches) {
    const where = `${lotl.list.id} #${lotl.list.scheme.sequenceNumber} pointer ${pointer.location}`;
    const announced = certs(pointer.signingCertificates);
    if (!announced.length) {
      out.push({ severity: 'error', rule: 'lotl.no-announced-signer', message: 'the pointer announces no signer certificate (ServiceDigitalIdentities)', where });
      continue;
    }
    const r = await verifyListSignature(doc, announced);
    if (r.status === 'VALID') {
      out.push({ severity: 'info', rule: 'lotl.signer-announced', message: `signed by ${r.signer}, a signer the list of lists announces`, where });
    } else {
      const actual = keyInfoSubject(doc);
      out.push({
        severity: 'error',
        rule: 'lotl.signer-mismatch',
        message: `the list's signature does not verify with any certificate the pointer announces (${announced.map((c) => c.subject.text).join('; ')})${actual ? `; its ds:KeyInfo names ${actual}` : ''}: ${r.detail}`,
        where,
      });
    }
  }
  return out;
}
