import { loadCertificates } from '../pki/inputs.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { nameAttribute } from '../pki/name.js';
import { InvalidOptionError } from '../errors.js';
import { toBase64 } from '../util/bytes.js';
import { TEST_LIST_RULE, type TrustedList, type TrustService, type TrustServiceProvider } from '../trust/model.js';
import { QUALIFIER_PREFIX, SERVICE_STATUS, TSL_TYPE_PREFIX } from '../trust/uris.js';

const SERVICE_TYPE_PREFIX = 'http://uri.etsi.org/TrstSvc/Svctype/';
const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';

/** What a trusted list built from pinned certificates says about its scheme and services. */
export interface ListFromCertificatesOptions {
  /** ISO 3166-1 alpha-2 code of the scheme territory (upper case, e.g. `KZ`). */
  readonly territory: string;
  /** Service type: a short form (`CA/QC`, `TSA/QTST`) or the full ServiceTypeIdentifier URI. */
  readonly serviceType: string;
  /** Scheme operator name (default: `<territory> trusted list operator`). */
  readonly operatorName?: string;
  /** Provider name for every service (default: each certificate's organization, else its common name). */
  readonly providerName?: string;
  readonly sequenceNumber?: number;
  readonly issueDate: Date;
  readonly nextUpdate: Date;
  /** Service status since when (default: each certificate's notBefore). */
  readonly statusStartingTime?: Date;
  /**
   * AdditionalServiceInformation, short (`ForeSignatures`) or full URIs. Default for CA/QC:
   * ForeSignatures (certificates for electronic signatures), as the pilot lists; none otherwise.
   */
  readonly additionalServiceInformation?: readonly string[];
  /** Mark the list as a TEST list (scheme rule urn:ots-esig:schemerules:TEST). */
  readonly test?: boolean;
}

/** Service type URI of a short form (`CA/QC`) or a URI as given. */
export function serviceTypeUri(type: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(type) ? type : SERVICE_TYPE_PREFIX + type.replace(/^\/+/, '');
}

/**
 * A trusted list (the model of the JSON form) with one granted service per
 * certificate: what a relying party writes when it has pinned another
 * member's roots out of band and that member publishes no list it can read.
 * CA service types take CA certificates only (basicConstraints cA), so an
 * end-entity certificate is not turned into an anchor by mistake; a
 * certificate given twice is listed once.
 */
export function trustedListFromCertificates(certificates: readonly Uint8Array[], options: ListFromCertificatesOptions): TrustedList {
  const territory = options.territory;
  if (!/^[A-Z]{2}$/.test(territory)) throw new InvalidOptionError(`territory must be an ISO 3166-1 alpha-2 code in upper case (got "${territory}")`);
  const type = serviceTypeUri(options.serviceType);
  if (!(options.nextUpdate.getTime() > options.issueDate.getTime())) throw new InvalidOptionError('nextUpdate must be after issueDate');
  const isCaType = /\/Svctype\/(CA\/|NationalRootCA)/.test(type);
  const info = (options.additionalServiceInformation ?? (type === `${SERVICE_TYPE_PREFIX}CA/QC` ? ['ForeSignatures'] : [])).map((i) =>
    /^[a-z][a-z0-9+.-]*:/i.test(i) ? i : QUALIFIER_PREFIX + i,
  );
  const certs: ParsedCertificate[] = [];
  const seen = new Set<string>();
  for (const input of certificates) {
    for (const c of loadCertificates(input)) {
      const b64 = toBase64(c.der);
      if (seen.has(b64)) continue;
      seen.add(b64);
      if (isCaType && !c.basicConstraints?.cA) throw new InvalidOptionError(`${c.subject.text} is not a CA certificate (no basicConstraints cA): a ${options.serviceType} service lists CA certificates`);
      certs.push(c);
    }
  }
  if (!certs.length) throw new InvalidOptionError('no certificate given');
  const providers = new Map<string, TrustService[]>();
  for (const c of certs) {
    const provider = options.providerName ?? nameAttribute(c.subject, OID_O) ?? nameAttribute(c.subject, OID_CN) ?? c.subject.text;
    const service: TrustService = {
      type,
      name: nameAttribute(c.subject, OID_CN) ?? c.subject.text,
      identity: { certificates: [toBase64(c.der)], subjectNames: [], skis: [] },
      status: SERVICE_STATUS.granted,
      statusStartingTime: (options.statusStartingTime ?? c.notBefore).toISOString(),
      additionalServiceInformation: info,
      qualifiers: [],
      history: [],
    };
    providers.set(provider, [...(providers.get(provider) ?? []), service]);
  }
  const providerList: TrustServiceProvider[] = [...providers].map(([name, services]) => ({ name, tradeNames: [], services }));
  return {
    id: `${territory}:TL`,
    scheme: {
      version: 6,
      sequenceNumber: options.sequenceNumber ?? 1,
      type: `${TSL_TYPE_PREFIX}${territory}list`,
      operatorName: options.operatorName ?? `${territory} trusted list operator`,
      schemeName: `${territory}: trusted list built from pinned certificates`,
      territory,
      statusDeterminationApproach: `http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/${territory}appropriate`,
      schemeTypeCommunityRules: [...(options.test ? [TEST_LIST_RULE] : []), `http://uri.etsi.org/TrstSvc/TrustedList/schemerules/${territory}`],
      schemeInformationUris: [],
      policyOrLegalNotice: null,
      historicalInformationPeriod: null,
      issueDate: options.issueDate.toISOString(),
      nextUpdate: options.nextUpdate.toISOString(),
      distributionPoints: [],
      pointers: [],
    },
    providers: providerList,
    test: options.test === true,
  };
}
