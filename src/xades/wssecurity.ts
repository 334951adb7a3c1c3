/**
 * OASIS WS-Security 1.0/1.1 as far as a relying party needs it to validate the XML signature of a SOAP
 * message: the signer's certificate named by ds:KeyInfo/wsse:SecurityTokenReference (an X.509 v3
 * wsse:BinarySecurityToken by wsu:Id), and the one SOAP shape whose by-Id references are accepted as
 * signed content (see `wsSecurityCoverage`). Nothing here is trusted: a token is a certificate candidate
 * exactly like a ds:X509Certificate, its key must verify the SignatureValue, trust comes from XCV.
 */
import { LimitExceededError } from '../errors.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { certificateCache } from '../pki/cache.js';
import { fromBase64, toHex } from '../util/bytes.js';
import { XML_WORK, type WorkBudget } from '../util/work-budget.js';
import { children, childElements, is, strictText, WSU_NS, xpathOf } from './dom.js';

export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
const TOKEN_PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#';
/** X509v3 (token profile 1.0/1.1); `#X509` is the name pre-standard toolkits (IBM, early Kalkan samples) wrote for the same token. */
const X509_VALUE_TYPES = new Set([`${TOKEN_PROFILE}X509v3`, `${TOKEN_PROFILE}X509`]);
const SKI_VALUE_TYPE = `${TOKEN_PROFILE}X509SubjectKeyIdentifier`;
const BASE64_ENCODING = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

/** A certificate reached through ds:KeyInfo/wsse:SecurityTokenReference. */
export interface TokenCertificate {
  readonly certificate: ParsedCertificate;
  /** The wsse:BinarySecurityToken it came from (for "is the token signed"). */
  readonly token: Element;
  readonly description: string;
}

export interface TokenResolution {
  readonly certificates: TokenCertificate[];
  /** Why a reference gave no certificate (missing Id, wrong token type, unreadable DER): warnings. */
  readonly problems: string[];
  /** Ids carried by more than one element: the reference is ambiguous (FORMAT_FAILURE, like ds:Reference Ids). */
  readonly ambiguous: string[];
}

/** The wsse:SecurityTokenReference children of ds:KeyInfo (cheap: nothing decoded). */
export function securityTokenReferences(keyInfo: Element | undefined): Element[] {
  return keyInfo ? children(keyInfo, WSSE_NS, 'SecurityTokenReference') : [];
}

/**
 * Resolves ds:KeyInfo/wsse:SecurityTokenReference: `wsse:Reference URI="#id"` to the one element carrying
 * that Id, which must be an X.509 wsse:BinarySecurityToken (Base64Binary); `wsse:KeyIdentifier` of the
 * X509SubjectKeyIdentifier type to the BinarySecurityToken certificates of the document with that key
 * identifier. Each DER parse is charged to `budget`.
 */
export function securityTokenCertificates(
  keyInfo: Element | undefined,
  doc: Document,
  ids: ReadonlyMap<string, readonly Element[]>,
  budget: WorkBudget,
): TokenResolution {
  const out: TokenResolution = { certificates: [], problems: [], ambiguous: [] };
  for (const str of securityTokenReferences(keyInfo)) {
    for (const ref of children(str, WSSE_NS, 'Reference')) {
      const uri = ref.getAttribute('URI') ?? '';
      if (!uri.startsWith('#')) {
        out.problems.push(`wsse:SecurityTokenReference to "${uri}": only a same-document reference by Id is resolved`);
        continue;
      }
      const id = uri.slice(1);
      const found = ids.get(id) ?? [];
      if (found.length > 1) {
        out.ambiguous.push(id);
        continue;
      }
      const token = found[0];
      if (!token) {
        out.problems.push(`wsse:SecurityTokenReference: no element with Id "${id}"`);
        continue;
      }
      const c = tokenCertificate(token, `wsse:BinarySecurityToken ${xpathOf(token)} (Id "${id}")`, out.problems, budget);
      if (c) out.certificates.push(c);
    }
    for (const ki of children(str, WSSE_NS, 'KeyIdentifier')) {
      if (ki.getAttribute('ValueType') !== SKI_VALUE_TYPE) {
        out.problems.push(`wsse:KeyIdentifier of ValueType "${ki.getAttribute('ValueType') ?? ''}" is not resolved (only X509SubjectKeyIdentifier)`);
        continue;
      }
      let ski: string;
      try {
        ski = toHex(fromBase64(strictText(ki)));
      } catch (e) {
        out.problems.push(`malformed wsse:KeyIdentifier: ${(e as Error).message}`);
        continue;
      }
      const matches: TokenCertificate[] = [];
      for (const token of Array.from(doc.getElementsByTagNameNS(WSSE_NS, 'BinarySecurityToken'))) {
        const c = tokenCertificate(token, `wsse:BinarySecurityToken ${xpathOf(token)} (by subject key identifier)`, [], budget);
        const k = c?.certificate.subjectKeyIdentifier;
        if (c && k && k.toLowerCase() === ski.toLowerCase()) matches.push(c);
      }
      if (!matches.length) out.problems.push(`wsse:KeyIdentifier: no wsse:BinarySecurityToken certificate has subject key identifier ${ski}`);
      out.certificates.push(...matches);
    }
  }
  return out;
}

function tokenCertificate(token: Element, description: string, problems: string[], budget: WorkBudget): TokenCertificate | undefined {
  if (!is(token, WSSE_NS, 'BinarySecurityToken')) {
    problems.push(`wsse:SecurityTokenReference names ${xpathOf(token)}, not a wsse:BinarySecurityToken`);
    return undefined;
  }
  const valueType = token.getAttribute('ValueType') ?? '';
  if (!X509_VALUE_TYPES.has(valueType)) {
    problems.push(`${description} has ValueType "${valueType}", not an X.509 v3 certificate`);
    return undefined;
  }
  const encoding = token.getAttribute('EncodingType');
  if (encoding && encoding !== BASE64_ENCODING) {
    problems.push(`${description} has EncodingType "${encoding}", not Base64Binary`);
    return undefined;
  }
  try {
    const der = fromBase64(strictText(token));
    budget.charge(XML_WORK.certificate + der.length, 'parsing wsse:BinarySecurityToken certificates');
    return { certificate: certificateCache.get(der), token, description };
  } catch (e) {
    if (e instanceof LimitExceededError) throw e;
    problems.push(`unreadable certificate in ${description}: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * The SOAP WS-Security shape, or undefined when the signature is not in it: the document element is a
 * SOAP 1.1/1.2 Envelope with exactly one Header and exactly one Body child, and the signature is a direct
 * child of a wsse:Security element directly in that Header. Only then may by-Id references cover parts
 * of the message other than the document element (`wsSecurityCoverage`).
 */
export interface SoapShape {
  readonly envelope: Element;
  readonly body: Element;
  readonly security: Element;
}

export function soapShape(doc: Document, signature: Element): SoapShape | undefined {
  const envelope = doc.documentElement;
  const ns = envelope.namespaceURI;
  if (envelope.localName !== 'Envelope' || (ns !== SOAP11_NS && ns !== SOAP12_NS)) return undefined;
  const kids = childElements(envelope);
  const headers = kids.filter((k) => is(k, ns, 'Header'));
  const bodies = kids.filter((k) => is(k, ns, 'Body'));
  if (headers.length !== 1 || bodies.length !== 1) return undefined;
  const security = signature.parentNode as Element | null;
  if (!security || !is(security, WSSE_NS, 'Security') || security.parentNode !== headers[0]) return undefined;
  return { envelope, body: bodies[0]!, security };
}

/**
 * What a by-Id reference of a WS-Security signature covers, when it is one of the parts that shape allows:
 * the Envelope's own Body, or a wsu:Timestamp / wsse:BinarySecurityToken directly in the signature's own
 * wsse:Security header. Undefined for anything else (a Body-like element elsewhere, another header block).
 */
export function wsSecurityCoverage(shape: SoapShape, el: Element): string | undefined {
  const id = (e: Element) => {
    const v = e.getAttributeNS(WSU_NS, 'Id') || e.getAttribute('Id');
    return v ? `, Id "${v}"` : '';
  };
  if (el === shape.body) return `soap:Body of the envelope (${xpathOf(el)}${id(el)})`;
  if (el.parentNode === shape.security) {
    if (is(el, WSU_NS, 'Timestamp')) return `wsu:Timestamp of the signature's wsse:Security header (${xpathOf(el)}${id(el)})`;
    if (is(el, WSSE_NS, 'BinarySecurityToken')) return `wsse:BinarySecurityToken of the signature's wsse:Security header (${xpathOf(el)}${id(el)})`;
  }
  return undefined;
}
