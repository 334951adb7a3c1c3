/** ETSI TS 119 612 vocabulary used by the trust layer (namespaces and URIs). */

export const NS = {
  tsl: 'http://uri.etsi.org/02231/v2#',
  tslx: 'http://uri.etsi.org/02231/v2/additionaltypes#',
  sie: 'http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xades: 'http://uri.etsi.org/01903/v1.3.2#',
  mra: 'http://ec.europa.eu/tools/lotl/mra/schema/v2#',
} as const;

export const TSL_TAG = 'http://uri.etsi.org/19612/TSLTag';

const SVC_TYPE = 'http://uri.etsi.org/TrstSvc/Svctype/';
export const SERVICE_TYPE = {
  CA_QC: `${SVC_TYPE}CA/QC`,
  CA_PKC: `${SVC_TYPE}CA/PKC`,
  NATIONAL_ROOT_CA_QC: `${SVC_TYPE}NationalRootCA-QC`,
  TSA_QTST: `${SVC_TYPE}TSA/QTST`,
  TSA: `${SVC_TYPE}TSA`,
} as const;

const SVC_STATUS = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/';
const OLD_SVC_STATUS = 'http://uri.etsi.org/TrstSvc/eSigDir-1999-93-EC-TrustedList/Svcstatus/';
export const SERVICE_STATUS = {
  granted: `${SVC_STATUS}granted`,
  withdrawn: `${SVC_STATUS}withdrawn`,
  recognisedatnationallevel: `${SVC_STATUS}recognisedatnationallevel`,
  deprecatedatnationallevel: `${SVC_STATUS}deprecatedatnationallevel`,
} as const;

/** Statuses under which a service's certificates are trusted (eIDAS and pre-eIDAS, as libdigidocpp/DSS). */
const POSITIVE = new Set([
  'granted',
  'recognisedatnationallevel',
  'undersupervision',
  'supervisionincessation',
  'accredited',
  'setbynationallaw',
]);

/** True when an ETSI status URI (either prefix) means "in good standing". Unknown vocabularies are not. */
export function isPositiveEtsiStatus(uri: string): boolean {
  for (const prefix of [SVC_STATUS, OLD_SVC_STATUS]) {
    if (uri.startsWith(prefix)) return POSITIVE.has(uri.slice(prefix.length));
  }
  return false;
}

export function isEtsiStatus(uri: string): boolean {
  return uri.startsWith(SVC_STATUS) || uri.startsWith(OLD_SVC_STATUS);
}

/** Short form of a service type for reports: `CA/QC` for http://uri.etsi.org/TrstSvc/Svctype/CA/QC. */
export function shortType(uri: string): string {
  const i = uri.indexOf('/Svctype/');
  return i >= 0 ? uri.slice(i + '/Svctype/'.length) : uri;
}

/** Short form for reports: the last path segment of a URI. */
export function shortUri(uri: string): string {
  const trimmed = uri.replace(/[/#]+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i >= 0 ? trimmed.slice(i + 1) : trimmed;
}

export const TSL_TYPE_PREFIX = 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/';

/** EU/CC list-of-lists, the old `schemes` type, and the EU MRA AdES LOTL. */
export function isListOfListsType(type: string): boolean {
  return /listofthelists$/i.test(type) || type === `${TSL_TYPE_PREFIX}schemes` || type === 'http://ec.europa.eu/tools/lotl/mra/ades-lotl-tsl-type';
}

export const QUALIFIER_PREFIX = 'http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/';
export const MRA_STATUS = {
  enacted: 'http://ec.europa.eu/tools/lotl/mra/enacted',
  repealed: 'http://ec.europa.eu/tools/lotl/mra/repealed',
} as const;
