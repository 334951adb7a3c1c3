import { fromHex, toBase64 } from '../util/bytes.js';
import type { Check } from './check.js';
import { MAIN_INDICATION_URI, subIndicationUri } from './indication.js';
import type { ContainerTimestamp } from './container.js';
import type { CertificateSummary, SignatureReport, ValidationReport } from './model.js';
import { CHECK_STATUS_URI, ContainerObjectIds, containerObjects, esc, OTS_XML_NS, signatureCoverage } from './etsi-xml-container.js';

/**
 * ETSI TS 119 102-2 v1.4.1 validation report (namespace http://uri.etsi.org/19102/v1.4.1#).
 * Element order follows the XSD's sequences; each certificate appears once as a
 * ValidationObject (identified by its SHA-256) and is referenced from the chains.
 * Counter-signatures are reported under the signature they counter-sign, each a vr:SignatureValidationReport of
 * its own inside that signature's vr:OtherInformation (ots:CounterSignatures); an ASiC container is reported
 * through the ots-esig extension of report/etsi-xml-container.ts (docs/report-etsi-xml.md).
 */
export const ETSI_VR_NS = 'http://uri.etsi.org/19102/v1.4.1#';
const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
const SHA256_URI = 'http://www.w3.org/2001/04/xmlenc#sha256';

function voId(c: CertificateSummary): string {
  return `C-${c.sha256.toUpperCase()}`;
}

/** A report as an ETSI TS 119 102-2 validation report (XML). */
export function formatEtsiXml(report: ValidationReport): string {
  const certs = new Map<string, CertificateSummary>();
  const addCerts = (s: SignatureReport): void => {
    for (const c of s.chain) certs.set(c.sha256, c);
    if (s.signer) certs.set(s.signer.sha256, s.signer);
    (s.counterSignatures ?? []).forEach(addCerts);
  };
  report.signatures.forEach(addCerts);
  const ids = new ContainerObjectIds(report.container);
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<vr:ValidationReport xmlns:vr="${ETSI_VR_NS}" xmlns:ds="${DS_NS}">`);
  // The policy the verdicts were reached under, as a comment: TS 119 102-2 has no element for a local policy's hash.
  if (report.policy) out.push(`  <!-- ots-esig validation policy: ${esc(report.policy.name).replace(/--/g, '- -')} sha256 ${report.policy.sha256} -->`);
  report.signatures.forEach((s) => out.push(...signatureReport(s, '  ', (id, indent) => signatureCoverage(report.container, ids, id, indent))));
  if (!report.signatures.length) for (const t of report.container?.timestamps ?? []) out.push(...timestampOnlyLines(t, report.validationTime));
  if (certs.size || report.container) {
    out.push('  <vr:SignatureValidationObjects>');
    for (const c of certs.values()) {
      out.push(`    <vr:ValidationObject id="${voId(c)}">`);
      out.push('      <vr:ObjectType>urn:etsi:019102:validationObject:certificate</vr:ObjectType>');
      out.push('      <vr:ValidationObjectRepresentation>');
      out.push('        <vr:DigestAlgAndValue>');
      out.push(`          <ds:DigestMethod Algorithm="${SHA256_URI}"/>`);
      out.push(`          <ds:DigestValue>${toBase64(fromHex(c.sha256))}</ds:DigestValue>`);
      out.push('        </vr:DigestAlgAndValue>');
      out.push('      </vr:ValidationObjectRepresentation>');
      out.push('    </vr:ValidationObject>');
    }
    if (report.container) out.push(...containerObjects(report.container, ids, '    '));
    out.push('  </vr:SignatureValidationObjects>');
  }
  out.push('</vr:ValidationReport>');
  return out.join('\n') + '\n';
}

/** What the ots-esig extension adds to a signature's vr:OtherInformation (its container coverage), by signature id. */
type Extra = (signatureId: string, indent: string) => string[];

function signatureReport(s: SignatureReport, indent: string, extra: Extra): string[] {
  const lines = signatureLines(s);
  const other: string[] = extra(s.id, '      ');
  if (s.counterSignatures?.length) {
    other.push('      <ots:CounterSignatures>');
    for (const c of s.counterSignatures) other.push(...signatureReport(c, '        ', extra));
    other.push('      </ots:CounterSignatures>');
  }
  if (other.length) {
    // vr:OtherInformation is the last element of SignatureValidationReportType (any content, lax).
    lines.splice(lines.length - 1, 0, `    <vr:OtherInformation xmlns:ots="${OTS_XML_NS}">`, ...other, '    </vr:OtherInformation>');
  }
  // The lines are written for a top-level report (two spaces): re-indent a nested one.
  return indent === '  ' ? lines : lines.map((l) => indent + l.slice(2));
}

/**
 * The opening of a vr:SignatureValidationReport, shared by signatures and time-stamp-only containers: the
 * identifier, one constraint per check, the validation and best-signature times, and the signed time if any.
 */
function reportOpeningLines(id: string, checks: readonly Check[], validationTime: string, poeTime: string, proof: 'validation' | 'provided', signedTime: string | null | undefined): string[] {
  const o: string[] = [];
  o.push('  <vr:SignatureValidationReport>');
  o.push('    <vr:SignatureIdentifier>');
  o.push('      <vr:HashOnly>false</vr:HashOnly>');
  o.push('      <vr:DocHashOnly>false</vr:DocHashOnly>');
  o.push(`      <vr:DAIdentifier>${esc(id)}</vr:DAIdentifier>`);
  o.push('    </vr:SignatureIdentifier>');
  o.push(...constraintLines(checks));
  o.push('    <vr:ValidationTimeInfo>');
  o.push(`      <vr:ValidationTime>${validationTime}</vr:ValidationTime>`);
  o.push('      <vr:BestSignatureTime>');
  o.push(`        <vr:POETime>${poeTime}</vr:POETime>`);
  o.push(`        <vr:TypeOfProof>urn:etsi:019102:poetype:${proof}</vr:TypeOfProof>`);
  o.push('      </vr:BestSignatureTime>');
  o.push('    </vr:ValidationTimeInfo>');
  if (signedTime) {
    o.push('    <vr:SignatureAttributes>');
    o.push(`      <vr:SigningTime Signed="true"><vr:Time>${signedTime}</vr:Time></vr:SigningTime>`);
    o.push('    </vr:SignatureAttributes>');
  }
  return o;
}

function signatureLines(s: SignatureReport): string[] {
  const t = s.times;
  const o = reportOpeningLines(s.id, s.checks, t.validationTime, t.bestSignatureTime, t.bestSignatureTimeSource === 'validation-time' ? 'validation' : 'provided', t.claimedSigningTime);
  if (s.signer) {
    o.push('    <vr:SignerInformation>');
    o.push(`      <vr:SignerCertificate VOReference="${voId(s.signer)}"/>`);
    o.push(`      <vr:Signer>${esc(s.signer.subject)}</vr:Signer>`);
    o.push('    </vr:SignerInformation>');
  }
  o.push('    <vr:SignatureValidationStatus>');
  o.push(`      <vr:MainIndication>${MAIN_INDICATION_URI[s.indication]}</vr:MainIndication>`);
  if (s.subIndication) o.push(`      <vr:SubIndication>${subIndicationUri(s.subIndication)}</vr:SubIndication>`);
  if (s.chain.length) {
    const [signing, ...rest] = s.chain;
    const anchor = rest.length ? rest[rest.length - 1] : undefined;
    o.push('      <vr:AssociatedValidationReportData>');
    if (anchor) o.push(`        <vr:TrustAnchor VOReference="${voId(anchor)}"/>`);
    o.push('        <vr:CertificateChain>');
    o.push(`          <vr:SigningCertificate VOReference="${voId(signing!)}"/>`);
    for (const c of rest.slice(0, -1)) o.push(`          <vr:IntermediateCertificate VOReference="${voId(c)}"/>`);
    if (anchor) o.push(`          <vr:TrustAnchor VOReference="${voId(anchor)}"/>`);
    o.push('        </vr:CertificateChain>');
    o.push('      </vr:AssociatedValidationReportData>');
  }
  o.push('    </vr:SignatureValidationStatus>');
  o.push('  </vr:SignatureValidationReport>');
  return o;
}

/** vr:ValidationConstraintsEvaluationReport: one vr:ValidationConstraint per check (none when there are no checks). */
function constraintLines(checks: readonly Check[]): string[] {
  const o: string[] = [];
  if (checks.length) {
    o.push('    <vr:ValidationConstraintsEvaluationReport>');
    for (const c of checks) {
      o.push('      <vr:ValidationConstraint>');
      o.push(`        <vr:ValidationConstraintIdentifier>urn:ots-esig:constraint:${esc(c.id)}</vr:ValidationConstraintIdentifier>`);
      o.push('        <vr:ConstraintStatus>');
      o.push(`          <vr:Status>urn:etsi:019102:constraintStatus:${c.status === 'SKIPPED' ? 'disabled' : 'applied'}</vr:Status>`);
      o.push('        </vr:ConstraintStatus>');
      if (c.status !== 'SKIPPED') {
        o.push('        <vr:ValidationStatus>');
        o.push(`          <vr:MainIndication>${CHECK_STATUS_URI[c.status]}</vr:MainIndication>`);
        if (c.subIndication && c.status !== 'PASSED') o.push(`          <vr:SubIndication>${subIndicationUri(c.subIndication)}</vr:SubIndication>`);
        o.push('        </vr:ValidationStatus>');
      }
      o.push('      </vr:ValidationConstraint>');
    }
    o.push('    </vr:ValidationConstraintsEvaluationReport>');
  }
  return o;
}

/**
 * A time-stamp-only container (ASiC-S with META-INF/timestamp.tst) has no signature, but TS 119 102-2 requires at
 * least one vr:SignatureValidationReport: each container time-stamp is reported as one (a time-stamp token is a
 * CMS signature over the data), its status a check status (passed/failed/indeterminate), its proof of existence
 * the validation time; the container section says what it covers.
 */
function timestampOnlyLines(t: ContainerTimestamp, validationTime: string): string[] {
  const o = reportOpeningLines(t.file, t.checks, validationTime, validationTime, 'validation', t.genTime);
  o.push('    <vr:SignatureValidationStatus>');
  o.push(`      <vr:MainIndication>${CHECK_STATUS_URI[t.status]}</vr:MainIndication>`);
  if (t.subIndication) o.push(`      <vr:SubIndication>${subIndicationUri(t.subIndication)}</vr:SubIndication>`);
  o.push('    </vr:SignatureValidationStatus>');
  o.push('  </vr:SignatureValidationReport>');
  return o;
}
