/**
 * Validation data embedded in a CMS signature (CAdES-LT, EN 319 122-1 5.5):
 * SignedData.certificates / crls (RevocationInfoChoices, with OCSP responses as
 * OtherRevocationInfoFormat id-ri-ocsp-response, RFC 5940) and the unsigned
 * attributes id-aa-ets-certValues / id-aa-ets-revocationValues. Embedded data
 * is only *material*: each item is still verified before it counts.
 */
import type { CadesSignature, CadesSignerInfo } from '../cades/model.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { certificateCache, crlCache } from '../pki/cache.js';
import { ParsedCrl } from '../pki/crl.js';
import { ParsedOcspResponse } from './ocsp.js';
import { CONTEXT, type DerElement } from '../util/der.js';

export const CMS_VALUE_OIDS = {
  certValues: '1.2.840.113549.1.9.16.2.23',
  revocationValues: '1.2.840.113549.1.9.16.2.24',
  riOcspResponse: '1.3.6.1.5.5.7.16.2',
} as const;

export interface EmbeddedValidationData {
  readonly certificates: readonly ParsedCertificate[];
  readonly crls: readonly ParsedCrl[];
  readonly ocsps: readonly ParsedOcspResponse[];
  /** Items that could not be read, for warnings. */
  readonly problems: readonly string[];
  /** Where revocation data was found, e.g. `SignedData.crls`, `revocationValues`. */
  readonly locations: readonly string[];
}

/** The elements inside `el`, none for a primitive one (these values are material, read leniently and verified later). */
const inside = (el: DerElement): readonly DerElement[] => (el.constructed ? el.children('validation data') : []);

export function readEmbeddedValidationData(sig: CadesSignature, si: CadesSignerInfo): EmbeddedValidationData {
  const certificates: ParsedCertificate[] = [];
  const crls: ParsedCrl[] = [...sig.crls];
  const ocsps: ParsedOcspResponse[] = [];
  const problems: string[] = [];
  const locations = new Set<string>();
  if (sig.crls.length) locations.add('SignedData.crls');

  for (const c of sig.otherRevocationInfo) {
    if (c.format === CMS_VALUE_OIDS.riOcspResponse) {
      try {
        ocsps.push(ParsedOcspResponse.cached(c.info.encoding));
        locations.add('SignedData.crls');
      } catch (e) {
        problems.push(`unreadable OCSP response in SignedData.crls: ${(e as Error).message}`);
      }
    }
  }

  for (const a of si.unsignedAttributes.get(CMS_VALUE_OIDS.certValues) ?? []) {
    for (const v of a.values) {
      for (const c of inside(v)) {
        try {
          certificates.push(certificateCache.get(c.encoding));
        } catch (e) {
          problems.push(`unreadable certificate in certValues: ${(e as Error).message}`);
        }
      }
    }
  }

  for (const a of si.unsignedAttributes.get(CMS_VALUE_OIDS.revocationValues) ?? []) {
    for (const v of a.values) {
      // RevocationValues ::= SEQUENCE { crlVals [0] SEQUENCE OF CertificateList, ocspVals [1] SEQUENCE OF BasicOCSPResponse, … }
      for (const tagged of inside(v)) {
        if (tagged.tagClass !== CONTEXT) continue;
        const list = inside(tagged)[0];
        for (const item of list ? inside(list) : []) {
          try {
            if (tagged.tagNumber === 0) crls.push(crlCache.get(item.encoding));
            else if (tagged.tagNumber === 1) ocsps.push(ParsedOcspResponse.cached(item.encoding));
            else continue;
            locations.add('revocationValues');
          } catch (e) {
            problems.push(`unreadable item in revocationValues: ${(e as Error).message}`);
          }
        }
      }
    }
  }
  return { certificates, crls, ocsps, problems, locations: [...locations] };
}
