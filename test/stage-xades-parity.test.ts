/**
 * #16: CAdES and XAdES go through one signature stage (src/stage/), so XAdES has every time-stamp rule
 * CAdES had: signature time-stamps re-validated at the archive time-stamp's proof of existence, the
 * content-time-stamp order, the archive order, the per-kind cap from the policy; and the policy's
 * requireSignatureTimestamp and severities apply to both. Documents are signed at test time with the
 * fixture test PKI (keys in fixtures/keys are public).
 */
import { describe, expect, it } from 'vitest';
import { XMLSerializer } from '@xmldom/xmldom';
import { verify } from '../src/index.js';
import { LENIENT_POLICY } from '../src/policy/presets.js';
import type { ValidationPolicy } from '../src/policy/model.js';
import { toBase64 } from '../src/util/bytes.js';
import { DSIG_NS } from '../src/xades/dom.js';
import { findQualifyingProperties, readQualifyingProperties } from '../src/xades/properties.js';
import { allDataObjectsTimestampInput, archiveTimestampInput, signatureTimestampInput } from '../src/xades/timestamps.js';
import { referenceDigestInputs } from '../src/xades/xmldsig.js';
import { parseXml } from '../src/xml/parse.js';
import { fixtureActor, mint, timestampToken, type Actor } from './helpers/attack-pki.js';
import { fixture } from './helpers/fixtures.js';
import { C14N10, fillSignature, rsaSigner, signEnveloped, XADES_NS } from './helpers/xades-sign.js';

const XADES141 = 'http://uri.etsi.org/01903/v1.4.1#';
const DOC = '<Invoice><Amount>100</Amount></Invoice>';
const base = { trustAnchors: [fixture('pki/kz-root.pem')], intermediates: [fixture('pki/kz-ca.pem')], timestampAnchors: [fixture('pki/kz-root.pem')], crls: [fixture('crl/kz-ca-empty.crl')] };
const at = (iso: string) => new Date(iso);

const signature = (doc: Document) => Array.from(doc.getElementsByTagNameNS(DSIG_NS, 'Signature'))[0]!;
const serialize = (doc: Document) => new XMLSerializer().serializeToString(doc as never);

/** Appends an (empty-token) time-stamp element of `kind` to UnsignedSignatureProperties and returns it. */
function addUnsignedTimestamp(doc: Document, kind: 'SignatureTimeStamp' | 'ArchiveTimeStamp'): Element {
  const qp = doc.getElementsByTagNameNS(XADES_NS, 'QualifyingProperties')[0]!;
  let usp = qp.getElementsByTagNameNS(XADES_NS, 'UnsignedSignatureProperties')[0];
  if (!usp) {
    const up = doc.createElementNS(XADES_NS, 'xades:UnsignedProperties');
    usp = doc.createElementNS(XADES_NS, 'xades:UnsignedSignatureProperties');
    up.appendChild(usp);
    qp.appendChild(up);
  }
  const ns = kind === 'ArchiveTimeStamp' ? XADES141 : XADES_NS;
  const el = doc.createElementNS(ns, kind === 'ArchiveTimeStamp' ? 'xades141:ArchiveTimeStamp' : 'xades:SignatureTimeStamp');
  const cm = doc.createElementNS(DSIG_NS, 'ds:CanonicalizationMethod');
  cm.setAttribute('Algorithm', C14N10);
  const tok = doc.createElementNS(XADES_NS, 'xades:EncapsulatedTimeStamp');
  tok.textContent = 'AA==';
  el.appendChild(cm);
  el.appendChild(tok);
  usp.appendChild(el);
  return el;
}

function setToken(el: Element, token: Uint8Array): void {
  el.getElementsByTagNameNS(XADES_NS, 'EncapsulatedTimeStamp')[0]!.textContent = toBase64(token);
}

/** The time-stamp of `kind` (the last one) as the library reads it, to compute its input. */
function readTs(doc: Document, kind: string) {
  const sig = signature(doc);
  const qp = readQualifyingProperties(findQualifyingProperties(sig)[0]!);
  return { sig, qp, ts: qp.timeStamps.filter((t) => t.kind === kind).at(-1)! };
}

async function addSignatureTimestamp(doc: Document, tsa: Actor, genTime: Date, data?: Uint8Array): Promise<void> {
  const el = addUnsignedTimestamp(doc, 'SignatureTimeStamp');
  const { sig, ts } = readTs(doc, 'SignatureTimeStamp');
  setToken(el, await timestampToken(data ?? signatureTimestampInput(ts, sig)!, { tsa, genTime }));
}

async function addArchiveTimestamp(doc: Document, tsa: Actor, genTime: Date): Promise<void> {
  const el = addUnsignedTimestamp(doc, 'ArchiveTimeStamp');
  const { sig, qp, ts } = readTs(doc, 'ArchiveTimeStamp');
  setToken(el, await timestampToken(archiveTimestampInput(ts, sig, qp, await referenceDigestInputs(doc, sig))!, { tsa, genTime }));
}

async function signed(): Promise<Document> {
  return parseXml(await signEnveloped(DOC, await rsaSigner()));
}

const tsaActor = () => fixtureActor('pki/kz-tsa.pem', 'kz-tsa');

describe('#16 XAdES through the signature stage: time-stamp rules CAdES had', () => {
  it('XAdES-LTA: a signature time-stamp whose TSA certificate has expired is validated at the archive time-stamp (POE)', async () => {
    const kzCa = await fixtureActor('pki/kz-ca.pem', 'kz-ca');
    const tsa = await tsaActor();
    // A TSA certificate valid for 2026 only; the signature time-stamp is from May 2026, validation in 2027.
    const shortTsa = await mint({
      subject: 'C=KZ, O=OTS Test PKI (NOT FOR PRODUCTION), CN=KZ Short-lived TSA',
      issuer: kzCa,
      keyOf: tsa,
      serial: '7e57a1',
      notBefore: at('2026-01-01T00:00:00Z'),
      notAfter: at('2026-12-31T00:00:00Z'),
      keyUsage: 1, // digitalSignature
      eku: ['1.3.6.1.5.5.7.3.8'],
      ekuCritical: true,
    });
    const doc = await signed();
    await addSignatureTimestamp(doc, shortTsa, at('2026-05-15T10:05:00Z'));
    await addArchiveTimestamp(doc, tsa, at('2026-06-01T00:00:00Z'));
    const [sig] = (await verify(serialize(doc), { ...base, policy: 'lenient', validationTime: at('2027-06-01T00:00:00Z') })).signatures;
    const tst = sig!.checks.find((c) => c.id === 'tst.SignatureTimeStamp[0]');
    expect(tst?.status).toBe('PASSED');
    expect(tst?.detail).toMatch(/validated at the archive time-stamp 2026-06-01/);
    expect(sig!.times.bestSignatureTimeSource).toBe('signature-timestamp');
    expect(sig!.times.bestSignatureTime).toBe('2026-05-15T10:05:00.000Z');
    expect(sig!.indication).toBe('TOTAL-PASSED');
  });

  it('XAdES: a content time-stamp (AllDataObjectsTimeStamp) after the signature time-stamp is TIMESTAMP_ORDER_FAILURE', async () => {
    const tsa = await tsaActor();
    const signer = await rsaSigner();
    const doc = await signed();
    const sig = signature(doc);
    // AllDataObjectsTimeStamp is a signed property: put it in, time-stamp the data references' input, sign again.
    const sdop = doc.getElementsByTagNameNS(XADES_NS, 'SignedDataObjectProperties')[0]!;
    const adots = parseXml(
      `<xades:AllDataObjectsTimeStamp xmlns:xades="${XADES_NS}" xmlns:ds="${DSIG_NS}"><ds:CanonicalizationMethod Algorithm="${C14N10}"/><xades:EncapsulatedTimeStamp>AA==</xades:EncapsulatedTimeStamp></xades:AllDataObjectsTimeStamp>`,
    ).documentElement;
    const el = doc.importNode(adots, true) as Element;
    sdop.appendChild(el);
    const inputs = await referenceDigestInputs(doc, sig);
    const refs = Array.from(sig.getElementsByTagNameNS(DSIG_NS, 'Reference')).map((r, i) => ({ type: r.getAttribute('Type'), input: inputs[i] ?? null }));
    setToken(el, await timestampToken(allDataObjectsTimestampInput(refs)!, { tsa, genTime: at('2026-05-15T11:00:00Z') }));
    const signedInfo = sig.getElementsByTagNameNS(DSIG_NS, 'SignedInfo')[0]!;
    for (const dv of Array.from(signedInfo.getElementsByTagNameNS(DSIG_NS, 'DigestValue'))) dv.textContent = '';
    await fillSignature(doc, sig, signer);
    await addSignatureTimestamp(doc, tsa, at('2026-05-15T10:05:00Z'));
    const [r] = (await verify(serialize(doc), { ...base, policy: 'lenient', validationTime: at('2026-06-01T00:00:00Z') })).signatures;
    expect(r!.checks.find((c) => c.id === 'tst.AllDataObjectsTimeStamp[0]')?.status).toBe('PASSED');
    expect(r!.checks.find((c) => c.id === 'psv.content-timestamp-order')?.subIndication).toBe('TIMESTAMP_ORDER_FAILURE');
    expect([r!.indication, r!.subIndication]).toEqual(['INDETERMINATE', 'TIMESTAMP_ORDER_FAILURE']);
  });

  it('XAdES: an archive time-stamp earlier than the signature time-stamp is TIMESTAMP_ORDER_FAILURE', async () => {
    const tsa = await tsaActor();
    const doc = await signed();
    await addSignatureTimestamp(doc, tsa, at('2026-05-15T10:05:00Z'));
    await addArchiveTimestamp(doc, tsa, at('2026-05-15T10:02:00Z'));
    const [r] = (await verify(serialize(doc), { ...base, policy: 'lenient', validationTime: at('2026-06-01T00:00:00Z') })).signatures;
    expect(r!.checks.find((c) => c.id === 'psv.archive-timestamp-order')?.status).toBe('INDETERMINATE');
    expect([r!.indication, r!.subIndication]).toEqual(['INDETERMINATE', 'TIMESTAMP_ORDER_FAILURE']);
  });

  it('XAdES: at most policy.timestamps.maxPerSignature signature time-stamps are validated; the rest are never proof of existence', async () => {
    const tsa = await tsaActor();
    const doc = await signed();
    const other = new TextEncoder().encode('not this signature');
    await addSignatureTimestamp(doc, tsa, at('2026-05-15T10:01:00Z'), other);
    await addSignatureTimestamp(doc, tsa, at('2026-05-15T10:02:00Z'), other);
    await addSignatureTimestamp(doc, tsa, at('2026-05-15T10:03:00Z'));
    const xml = serialize(doc);
    const opts = { ...base, validationTime: at('2026-06-01T00:00:00Z') };
    const capped: ValidationPolicy = { ...LENIENT_POLICY, name: 'cap-2', timestamps: { ...LENIENT_POLICY.timestamps, maxPerSignature: 2 } };
    const [r] = (await verify(xml, { ...opts, policy: capped })).signatures;
    expect(r!.times.bestSignatureTimeSource).toBe('validation-time');
    expect(r!.checks.find((c) => c.id === 'tst.SignatureTimeStamp[2]')?.status).toBe('SKIPPED');
    expect(r!.warnings.join('\n')).toMatch(/3 signature time-stamps: only the first 2 are validated/);
    // Control: under the preset (8) the third one is the proof of existence.
    const [ok] = (await verify(xml, { ...opts, policy: 'lenient' })).signatures;
    expect(ok!.times.bestSignatureTime).toBe('2026-05-15T10:03:00.000Z');
  });
});

describe('#16 the policy applies to every format through the stage', () => {
  it('requireSignatureTimestamp: a XAdES-B signature is INDETERMINATE / SIG_CONSTRAINTS_FAILURE; XAdES-T passes', async () => {
    const policy: ValidationPolicy = { ...LENIENT_POLICY, name: 'needs-tst', timestamps: { ...LENIENT_POLICY.timestamps, requireSignatureTimestamp: true } };
    const opts = { ...base, policy, validationTime: at('2026-06-01T00:00:00Z') };
    const doc = await signed();
    const [b] = (await verify(serialize(doc), opts)).signatures;
    expect([b!.indication, b!.subIndication]).toEqual(['INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE']);
    await addSignatureTimestamp(doc, await tsaActor(), at('2026-05-15T10:05:00Z'));
    const [t] = (await verify(serialize(doc), opts)).signatures;
    expect(t!.indication).toBe('TOTAL-PASSED');
  });

  it('severity xmlMarkupNotCovered: FAIL fails the signature, WARN warns, IGNORE drops it', async () => {
    const xml = `<!-- pay to account 666 instead -->${serialize(await signed())}`;
    const run = async (s: 'FAIL' | 'WARN' | 'IGNORE') =>
      (await verify(xml, { ...base, validationTime: at('2026-06-01T00:00:00Z'), policy: { ...LENIENT_POLICY, severity: { ...LENIENT_POLICY.severity, xmlMarkupNotCovered: s } } })).signatures[0]!;
    const fail = await run('FAIL');
    expect([fail.indication, fail.subIndication]).toEqual(['INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE']);
    const warn = await run('WARN');
    expect(warn.indication).toBe('TOTAL-PASSED');
    expect(warn.warnings.join('\n')).toMatch(/not covered by the signature: comment/);
    const ignore = await run('IGNORE');
    expect(ignore.indication).toBe('TOTAL-PASSED');
    expect(ignore.warnings.join('\n')).not.toMatch(/not covered by the signature/);
  });

  it('severity qualifyingPropertiesTargetMismatch: FAIL is FORMAT_FAILURE; WARN keeps the SKIPPED fc.target and the warning', async () => {
    // Target sits outside SignedProperties: changing it leaves the signature intact.
    const xml = serialize(await signed()).replace('Target="#sig-c14n"', 'Target="#someone-else"');
    const run = async (s: 'FAIL' | 'WARN') =>
      (await verify(xml, { ...base, validationTime: at('2026-06-01T00:00:00Z'), policy: { ...LENIENT_POLICY, severity: { ...LENIENT_POLICY.severity, qualifyingPropertiesTargetMismatch: s } } })).signatures[0]!;
    const fail = await run('FAIL');
    expect([fail.indication, fail.subIndication]).toEqual(['TOTAL-FAILED', 'FORMAT_FAILURE']);
    expect(fail.checks.filter((c) => c.id === 'fc.target').map((c) => c.status)).toEqual(['FAILED']);
    const warn = await run('WARN');
    expect(warn.indication).toBe('TOTAL-PASSED');
    expect(warn.checks.filter((c) => c.id === 'fc.target').map((c) => c.status)).toEqual(['SKIPPED']);
    expect(warn.warnings.join('\n')).toMatch(/Target "#someone-else" does not match/);
  });
});
