/**
 * The EU DSS REST validation route's shapes (DataToValidateDTO in, WSReportsDTO out), so a DSS
 * client can switch its base URL to this service. Only the SimpleReport is produced (DSS's
 * DiagnosticData and DetailedReport are null); the ETSI TS 119 102-2 report is
 * `validationReportDataHandler` (base64). Recognition, which DSS has no field for, is the
 * extension field `OtsRecognition` of each signature.
 */
import type { RecognitionReport, SignatureReport, ValidationReport } from '../report/model.js';
import { lookupTable } from '../util/table.js';

/** DSS RemoteDocument: bytes (base64) and a name. DSS's DigestDocument (a digest without bytes) is not supported. */
export interface DssRemoteDocument {
  readonly bytes?: string | null;
  readonly name?: string | null;
  readonly digestAlgorithm?: string | null;
  readonly digestValue?: string | null;
}

export interface DssDataToValidate {
  readonly signedDocument?: DssRemoteDocument | null;
  readonly originalDocuments?: readonly DssRemoteDocument[] | null;
  readonly policy?: DssRemoteDocument | null;
  readonly signatureId?: string | null;
  /** Not a DSS field; accepted (ISO-8601 or epoch milliseconds) to fix the validation time. */
  readonly validationTime?: string | number | null;
  readonly tokenExtractionStrategy?: string | null;
  readonly evidenceRecords?: unknown;
}

/** Our indications in DSS's spelling (DSS uses `_` where ETSI reports use `-`). */
const DSS_INDICATION: Record<string, string> = lookupTable({ 'TOTAL-PASSED': 'TOTAL_PASSED', 'TOTAL-FAILED': 'TOTAL_FAILED', INDETERMINATE: 'INDETERMINATE' });

/** DSS SignatureFormat: baseline levels as is; a CMS/XML signature that is not an AdES profile is *-NOT-ETSI. */
export function dssSignatureFormat(s: SignatureReport): string {
  if (/^(CAdES|XAdES)-BASELINE-(B|T|LT|LTA)$/.test(s.level)) return s.level;
  return s.format === 'XAdES' ? 'XML-NOT-ETSI' : 'CMS-NOT-ETSI';
}

function commonName(subject: string): string {
  return /(?:^|,\s*)CN=((?:\\.|[^,])+)/.exec(subject)?.[1] ?? subject;
}

function dssSignature(s: SignatureReport, parentId?: string): Record<string, unknown> {
  const notPassed = s.checks.filter((c) => c.status === 'FAILED' || c.status === 'INDETERMINATE');
  return {
    Id: s.id,
    SignatureFormat: dssSignatureFormat(s),
    ...(parentId ? { CounterSignature: true, ParentId: parentId } : {}),
    Filename: null,
    CertificateChain: { Certificate: s.chain.map((c) => ({ id: c.sha256.toUpperCase(), qualifiedName: commonName(c.subject) })) },
    Indication: DSS_INDICATION[s.indication] ?? s.indication,
    SubIndication: s.subIndication,
    Errors: notPassed.filter((c) => c.status === 'FAILED').map((c) => `${c.id}: ${c.detail}`),
    Warnings: [...notPassed.filter((c) => c.status === 'INDETERMINATE').map((c) => `${c.id}: ${c.detail}`), ...s.warnings],
    Infos: [],
    SigningTime: s.times.claimedSigningTime,
    BestSignatureTime: s.times.bestSignatureTime,
    SignedBy: s.signer ? commonName(s.signer.subject) : null,
    // Qualification (QES/AdES-QC) is EU-specific and not determined here.
    SignatureLevel: { value: 'N/A', description: 'Not applicable' },
    SignatureScope: [],
    OtsRecognition: recognitionExtension(s.recognition),
  };
}

function recognitionExtension(r: RecognitionReport | undefined): Record<string, unknown> | null {
  if (!r) return null;
  return { status: r.status, relyingParty: r.relyingParty, issuerCountry: r.issuerCountry, time: r.time, basis: r.basis, equivalenceLevel: r.equivalenceLevel, reasons: r.reasons };
}

/** The SimpleReport of DSS (JSON as DSS's REST service writes it), one entry per signature and counter-signature. */
export function dssSimpleReport(report: ValidationReport, documentName: string | null, signatureId?: string | null): Record<string, unknown> {
  const entries: Record<string, unknown>[] = [];
  const add = (s: SignatureReport, parent?: string) => {
    entries.push({ Signature: dssSignature(s, parent) });
    for (const c of s.counterSignatures ?? []) add(c, s.id);
  };
  for (const s of report.signatures) add(s);
  const chosen = signatureId ? entries.filter((e) => (e.Signature as { Id: string }).Id === signatureId) : entries;
  const sigs = chosen.map((e) => e.Signature as { Indication: string });
  return {
    ValidationPolicy: {
      PolicyName: report.policy?.name ?? 'default',
      PolicyDescription: `ots-esig ${report.tool.version} validation policy${report.policy ? ` (sha256 ${report.policy.sha256})` : ''}, EN 319 102-1`,
    },
    ValidationTime: report.validationTime,
    DocumentName: documentName,
    ValidSignaturesCount: sigs.filter((s) => s.Indication === 'TOTAL_PASSED').length,
    SignaturesCount: sigs.length,
    ContainerType: null,
    signatureOrTimestampOrEvidenceRecord: chosen,
  };
}

/** WSReportsDTO. */
export function dssReports(report: ValidationReport, etsiXml: string, documentName: string | null, signatureId?: string | null): Record<string, unknown> {
  return {
    diagnosticData: null,
    simpleReport: dssSimpleReport(report, documentName, signatureId),
    detailedReport: null,
    validationReport: null,
    validationReportDataHandler: Buffer.from(etsiXml, 'utf8').toString('base64'),
  };
}
