/**
 * Differential C14N check against libxmlsec1: `xmlsec1 --sign` fills the digests and the signature
 * of a generated template (scripts/fuzz/c14n-gen.ts) with its own canonicalizer; then our
 * verifyXmlSignature must find every reference digest and the SignedInfo signature valid, i.e. our
 * canonical octets equal libxml2's for the whole document (after enveloped-signature), the xml:id
 * subtree, and ds:SignedInfo (a subtree inheriting every namespace in scope).
 *
 * Used by test/c14n-xmlsec.test.ts (a bounded run); a longer run:
 *   npx tsx scripts/fuzz/c14n-xmlsec.ts [count] [seed]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParsedCertificate } from '../../src/pki/certificate.js';
import { derObjectsFrom } from '../../src/util/pem.js';
import { decodeUtf8 } from '../../src/util/bytes.js';
import { DSIG_NS } from '../../src/xades/dom.js';
import { verifyXmlSignature } from '../../src/xades/xmldsig.js';
import { parseXml } from '../../src/xml/parse.js';
import { hostileNamespaceDocument, type HostileDocument } from './c14n-gen.js';

export { hostileNamespaceDocument };

export interface CrossCheckOutcome {
  readonly description: string;
  /** agree: our digests and signature check match xmlsec1's; disagree: they do not (a C14N difference); xmlsec-refused: xmlsec1 could not sign it. */
  readonly status: 'agree' | 'disagree' | 'xmlsec-refused';
  readonly detail: string;
  readonly xml: string;
}

export interface CrossCheckContext {
  readonly dir: string;
  readonly keyPem: string;
  readonly certPem: string;
  readonly cert: ParsedCertificate;
}

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export function xmlsecAvailable(): boolean {
  try {
    execFileSync('xmlsec1', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** A scratch directory and the fixture kz-signer key/certificate; call `dispose` when done. */
export function crossCheckContext(): CrossCheckContext & { dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ots-c14n-'));
  const certPem = resolve(FIXTURES, 'pki/kz-signer.pem');
  const cert = ParsedCertificate.fromDer(derObjectsFrom(new Uint8Array(readFileSync(certPem)))[0]!);
  return { dir, keyPem: resolve(FIXTURES, 'keys/kz-signer.key.pem'), certPem, cert, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function crossCheck(doc: HostileDocument, ctx: CrossCheckContext): Promise<CrossCheckOutcome> {
  const tmpl = join(ctx.dir, 'template.xml');
  const signed = join(ctx.dir, 'signed.xml');
  writeFileSync(tmpl, doc.xml);
  try {
    execFileSync('xmlsec1', ['--sign', '--privkey-pem', ctx.keyPem, '--output', signed, tmpl], { stdio: 'pipe' });
  } catch (e) {
    return { description: doc.description, status: 'xmlsec-refused', detail: String((e as { stderr?: Buffer }).stderr ?? e).slice(0, 500), xml: doc.xml };
  }
  const signedXml = readFileSync(signed);
  let detail: string;
  try {
    const parsed = parseXml(new Uint8Array(signedXml));
    const sig = parsed.getElementsByTagNameNS(DSIG_NS, 'Signature')[0]!;
    const r = await verifyXmlSignature(parsed, sig, { key: ctx.cert });
    if (r.signatureValid && r.referencesValid) return { description: doc.description, status: 'agree', detail: '', xml: doc.xml };
    const bad = r.references.filter((x) => !x.digestOk);
    detail = [
      r.signatureValid ? '' : `SignedInfo: ${r.signatureError}`,
      ...bad.map((x) => `reference ${x.index} URI="${x.uri}": ${x.error}\n  ours: ${JSON.stringify(x.digestInput ? decodeUtf8(x.digestInput) : null)}`),
      `xmlsec1: ${xmlsecReferences(signed, ctx)}`,
    ]
      .filter(Boolean)
      .join('\n');
  } catch (e) {
    detail = `we refused: ${(e as Error).message}`;
  }
  return { description: doc.description, status: 'disagree', detail, xml: doc.xml };
}

/** What xmlsec1 digested, for the report of a disagreement. */
function xmlsecReferences(file: string, ctx: CrossCheckContext): string {
  try {
    return execFileSync('xmlsec1', ['--verify', '--store-references', '--pubkey-cert-pem', ctx.certPem, file], { stdio: 'pipe' }).toString().slice(0, 4000);
  } catch (e) {
    return String((e as { stdout?: Buffer }).stdout ?? '').slice(0, 4000);
  }
}

/** Runs `count` generated documents of `seed`; returns every outcome that is not `agree`. */
export async function crossCheckRun(count: number, seed: string, first = 0): Promise<{ agree: number; others: CrossCheckOutcome[] }> {
  const ctx = crossCheckContext();
  try {
    let agree = 0;
    const others: CrossCheckOutcome[] = [];
    for (let i = first; i < first + count; i++) {
      const o = await crossCheck(hostileNamespaceDocument(seed, i), ctx);
      if (o.status === 'agree') agree++;
      else others.push(o);
    }
    return { agree, others };
  } finally {
    ctx.dispose();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2] ?? 500);
  const seed = process.argv[3] ?? 'ots-esig';
  if (!xmlsecAvailable()) {
    console.log('c14n-xmlsec: xmlsec1 not installed, nothing run');
    process.exit(0);
  }
  const { agree, others } = await crossCheckRun(count, seed);
  for (const o of others) console.log(`${o.status}: ${o.description}\n${o.detail}\n${o.xml}\n`);
  console.log(`c14n-xmlsec: ${agree}/${count} agree, ${others.filter((o) => o.status === 'disagree').length} disagree, ${others.filter((o) => o.status === 'xmlsec-refused').length} refused by xmlsec1`);
  process.exit(others.some((o) => o.status === 'disagree') ? 1 : 0);
}
