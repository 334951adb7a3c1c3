/** A structural check of our TS 119 102-2 output against the XSD's sequences (shared by the ETSI XML report tests). */
import { DOMParser } from '@xmldom/xmldom';
import { ETSI_VR_NS } from '../../src/report/etsi-xml.js';

/**
 * The element order of the TS 119 102-2 v1.4.1 XSD sequences we emit
 * (ValidationReportType, SignatureValidationReportType, ValidationStatusType,
 * ValidationReportDataType, CertificateChainType, ...), with required children.
 */
const SEQUENCES: Record<string, { order: string[]; required: string[] }> = {
  ValidationReport: { order: ['SignatureValidationReport', 'SignatureValidationObjects', 'SignatureValidator', 'Signature'], required: ['SignatureValidationReport'] },
  SignatureValidationReport: {
    order: ['SignatureIdentifier', 'ValidationConstraintsEvaluationReport', 'ValidationTimeInfo', 'SignersDocument', 'SignatureAttributes', 'SignerInformation', 'SignatureQuality', 'SignatureValidationProcess', 'SignatureValidationStatus', 'OtherInformation'],
    required: ['SignatureValidationStatus'],
  },
  SignatureIdentifier: { order: ['DigestAlgAndValue', 'SignatureValue', 'HashOnly', 'DocHashOnly', 'DAIdentifier', 'OtherInformation'], required: ['HashOnly', 'DocHashOnly'] },
  ValidationConstraintsEvaluationReport: { order: ['SignatureValidationPolicy', 'ValidationConstraint'], required: [] },
  ValidationConstraint: { order: ['ValidationConstraintIdentifier', 'ValidationConstraintParameter', 'ConstraintStatus', 'ValidationStatus', 'Indications'], required: ['ValidationConstraintIdentifier', 'ConstraintStatus'] },
  ConstraintStatus: { order: ['Status', 'OverriddenBy'], required: ['Status'] },
  ValidationTimeInfo: { order: ['ValidationTime', 'BestSignatureTime'], required: ['ValidationTime', 'BestSignatureTime'] },
  BestSignatureTime: { order: ['POETime', 'TypeOfProof', 'POEObject'], required: ['POETime', 'TypeOfProof'] },
  SignerInformation: { order: ['SignerCertificate', 'Signer', 'OtherInformation'], required: ['SignerCertificate'] },
  SignatureValidationStatus: { order: ['MainIndication', 'SubIndication', 'AssociatedValidationReportData'], required: ['MainIndication'] },
  ValidationStatus: { order: ['MainIndication', 'SubIndication', 'AssociatedValidationReportData'], required: ['MainIndication'] },
  AssociatedValidationReportData: { order: ['TrustAnchor', 'CertificateChain', 'RelatedValidationObject', 'RevocationStatusInformation', 'CryptoInformation', 'AdditionalValidationReportData'], required: [] },
  CertificateChain: { order: ['SigningCertificate', 'IntermediateCertificate', 'TrustAnchor', 'OtherInformation'], required: ['SigningCertificate'] },
  SignatureValidationObjects: { order: ['ValidationObject'], required: ['ValidationObject'] },
  ValidationObject: { order: ['ObjectType', 'ValidationObjectRepresentation', 'POE', 'POEProvisioning', 'ValidationReport'], required: ['ObjectType', 'ValidationObjectRepresentation'] },
};
const DATE_TIME = new Set(['ValidationTime', 'POETime', 'Time']);
const ANY_URI = new Set(['MainIndication', 'SubIndication', 'Status', 'TypeOfProof', 'ObjectType', 'ValidationConstraintIdentifier']);

function children(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

/** Checks order, required children, namespaces, value formats and IDREFs; returns the problems found. */
export function structuralProblems(xml: string): string[] {
  const problems: string[] = [];
  const doc = new DOMParser().parseFromString(xml, 'application/xml') as unknown as Document;
  const root = doc.documentElement!;
  if (root.namespaceURI !== ETSI_VR_NS || root.localName !== 'ValidationReport') problems.push('root is not vr:ValidationReport');
  const ids = new Set<string>();
  const refs: string[] = [];
  const walk = (el: Element) => {
    const rule = SEQUENCES[el.localName!];
    const kids = children(el);
    if (rule) {
      let last = -1;
      for (const k of kids) {
        if (k.namespaceURI === ETSI_VR_NS) {
          const idx = rule.order.indexOf(k.localName!);
          if (idx < 0) problems.push(`${el.localName} has unexpected child ${k.localName}`);
          else if (idx < last) problems.push(`${el.localName}: ${k.localName} out of order`);
          else last = idx;
        }
      }
      for (const r of rule.required) if (!kids.some((k) => k.localName === r)) problems.push(`${el.localName} lacks required ${r}`);
    }
    const text = kids.length === 0 ? (el.textContent ?? '') : '';
    if (DATE_TIME.has(el.localName!) && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(text)) problems.push(`${el.localName} is not xs:dateTime: ${text}`);
    if (ANY_URI.has(el.localName!) && !/^(urn|https?):\S+$/.test(text)) problems.push(`${el.localName} is not a URI: ${text}`);
    if (el.getAttribute('id')) ids.add(el.getAttribute('id')!);
    if (el.hasAttribute('VOReference')) refs.push(el.getAttribute('VOReference')!);
    kids.forEach(walk);
  };
  walk(root);
  for (const r of refs) if (!ids.has(r)) problems.push(`VOReference ${r} resolves to no ValidationObject`);
  return problems;
}

