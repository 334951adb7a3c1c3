/**
 * Differential oracle: every TOTAL-PASSED of ours is re-verified by an
 * independent implementation on the same bytes with the same trust anchors —
 * `openssl cms -verify` for CAdES, `xmlsec1 --verify` for XAdES. Those tools
 * check strictly less than we do (no ESS/XAdES signed properties, no CRLs, no
 * recognition), so whenever we pass they must pass too: "we pass, they fail" is
 * a disagreement (a probable false accept). Inputs the tool cannot process
 * (unsupported algorithm or transform, a parse it refuses, no key it can find)
 * are recorded as `unsupported`, never counted as disagreement.
 *
 * Temporary files live in one mkdtemp directory per process (parallel-safe).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectInput } from '../../src/detect.js';
import type { SignatureReport, VerifyOptions } from '../../src/index.js';
import { loadCertificates, type CertificateInput } from '../../src/validation/options.js';
import { equalBytes, toBytes } from '../../src/util/bytes.js';
import { parseXml } from '../../src/xml/parse.js';
import { findSignatures } from '../../src/xades/validate.js';
import { parseTlv, serialize } from './tlv.js';
import { embeddedCertificates } from './seeds-extra.js';

export const OPENSSL = process.env.OTS_FUZZ_OPENSSL ?? '/usr/bin/openssl';
export const XMLSEC1 = process.env.OTS_FUZZ_XMLSEC1 ?? '/usr/bin/xmlsec1';

/**
 * `pass-der-attrs`: openssl fails on the received signed attributes but passes once their SET OF is put
 * in DER order. ots-esig verifies the DER form (RFC 5652 5.4; BouncyCastle and so DSS do the same), openssl
 * the received bytes: a known divergence (signature malleability, the attributes themselves are as signed),
 * tallied apart from disagreements. See scripts/fuzz/findings/non-der-signed-attrs/.
 * `pass-own-chain`: openssl fails on the chain it picks (a corrupted duplicate of a CA certificate) but passes
 * the same signature with the chain our report names, certificates taken out of the CMS: the chain we
 * accepted is valid for openssl too.
 * `pass-digest-algorithms`: openssl fails ("no matching digest", "unknown digest algorithm", or no reason when the SET is empty) because SignedData.digestAlgorithms (an
 * unsigned hint; RFC 5652 5.1 allows any number of elements, even none) does not list the SignerInfo's
 * digestAlgorithm, and passes once it does: the signed bytes are intact.
 */
export type DiffVerdict = 'pass' | 'pass-der-attrs' | 'pass-own-chain' | 'pass-digest-algorithms' | 'pass-inclusive-notafter' | 'pass-sid-name-match' | 'fail' | 'unsupported';

export interface DiffResult {
  readonly tool: 'openssl' | 'xmlsec1' | 'none';
  readonly verdict: DiffVerdict;
  /** Why (the tool's first relevant error line, or which time it passed at). */
  readonly detail: string;
  /** The command line, for the finding description (file names are the temp files). */
  readonly command?: string;
}

/** Extra anchors a seed's options do not carry (trust-list scenarios take theirs from the lists). */
export interface DiffContext {
  readonly extraAnchors?: readonly Uint8Array[];
}

let dir: string | undefined;
let counter = 0;
function tmp(name: string, data: Uint8Array | string): string {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), `ots-esig-diff-${process.pid}-`));
    process.once('exit', () => rmSync(dir!, { recursive: true, force: true }));
  }
  const p = join(dir, `${counter++}-${name}`);
  writeFileSync(p, data);
  return p;
}

function run(cmd: string, args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(cmd, args, { timeout: 20_000, maxBuffer: 4 << 20, cwd, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      res({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

function pem(ders: readonly Uint8Array[]): string {
  return ders.map((d) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(d).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`).join('');
}

function certDers(inputs: readonly CertificateInput[] | undefined): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of inputs ?? []) {
    try {
      for (const p of loadCertificates(c)) out.push(p.der);
    } catch {
      /* an unreadable caller certificate contributes nothing */
    }
  }
  return out;
}

const GOST_ENGINE = ['/usr/lib/x86_64-linux-gnu/engines-3/gost.so', '/usr/lib/aarch64-linux-gnu/engines-3/gost.so', '/usr/lib/engines-3/gost.so'].some(existsSync);
/** An OID under 1.2.643 (GOST R 34.10/34.11) in the input: openssl needs the Debian `gost` engine (libengine-gost-openssl). */
function mentionsGost(der: Uint8Array): boolean {
  for (let i = 0; i + 4 < der.length; i++) if (der[i] === 0x06 && der[i + 2] === 0x2a && der[i + 3] === 0x85 && der[i + 4] === 0x03) return true;
  return false;
}

function attime(iso: string): string {
  return String(Math.floor(Date.parse(iso) / 1000));
}

/** The same CMS with every SignerInfo's signed attributes in DER SET OF order (sorted by encoding). */
export function derSortedSignedAttrs(der: Uint8Array): Uint8Array | undefined {
  const root = parseTlv(der);
  const sd = root?.children?.[1]?.children?.[0];
  const sis = sd?.children?.[sd.children.length - 1];
  if (!root || !sd || !sis?.children) return undefined;
  let changed = false;
  for (const si of sis.children) {
    const sa = si.children?.find((c) => c.tag[0] === 0xa0);
    if (!sa?.children) continue;
    const enc = sa.children.map((c) => ({ c, b: serialize(c) }));
    enc.sort((x, y) => {
      for (let i = 0; i < Math.min(x.b.length, y.b.length); i++) if (x.b[i] !== y.b[i]) return x.b[i]! - y.b[i]!;
      return x.b.length - y.b.length;
    });
    if (enc.some((e, i) => e.c !== sa.children![i])) {
      sa.children = enc.map((e) => e.c);
      for (const n of [root, root.children![1]!, sd, sis, si, sa]) n.original = null;
      changed = true;
    }
  }
  return changed ? serialize(root) : undefined;
}

/**
 * RFC 5280 4.1.2.5: validity runs from notBefore through notAfter *inclusive*; OpenSSL (and xmlsec1 on it) counts
 * a certificate as expired at its notAfter second. When a time we check at is exactly a chain certificate's
 * notAfter, the tools are asked again one second earlier (verdict `pass-inclusive-notafter`).
 */
function boundaryTimes(report: SignatureReport, times: readonly string[]): string[] {
  const ends = new Set(report.chain.map((c) => Date.parse(c.notAfter)));
  return times.filter((t) => ends.has(Date.parse(t))).map((t) => new Date(Date.parse(t) - 1000).toISOString());
}

/**
 * The single-signer CMS with the SignerInfo's sid issuer replaced by the signer certificate's issuer bytes.
 * The sid is not signed (the ESS signing-certificate attribute binds the certificate); openssl matches it byte
 * for byte by string type, while RFC 5280 7.1 name matching (ours) compares values, so a re-typed string in
 * the sid (PrintableString → NumericString) leaves openssl with "signer certificate not found".
 */
export function withSignerSid(der: Uint8Array, signerCert: Uint8Array): Uint8Array | undefined {
  const root = parseTlv(der);
  const explicit = root?.children?.[1];
  const sd = explicit?.children?.[0];
  const sis = sd?.children?.[sd.children.length - 1];
  const si = sis?.children?.[0];
  const sid = si?.children?.[1];
  const tbs = parseTlv(signerCert)?.children?.[0];
  const issuer = tbs?.children?.[tbs.children[0]?.tag[0] === 0xa0 ? 3 : 2];
  if (!root || !explicit || !sd || !sis || !si || !sid?.children || sid.tag[0] !== 0x30 || !issuer) return undefined;
  sid.children[0] = issuer;
  for (const n of [root, explicit, sd, sis, si, sid]) n.original = null;
  return serialize(root);
}

/** The single-signer CMS with SignedData.digestAlgorithms set to exactly its SignerInfo's digestAlgorithm. */
export function withSignerDigestAlgorithm(der: Uint8Array): Uint8Array | undefined {
  const root = parseTlv(der);
  const explicit = root?.children?.[1];
  const sd = explicit?.children?.[0];
  const algs = sd?.children?.[1];
  const si = sd?.children?.[sd.children.length - 1]?.children?.[0];
  const alg = si?.children?.[2];
  if (!root || !explicit || !sd || !algs || algs.tag[0] !== 0x31 || !alg || alg.tag[0] !== 0x30) return undefined;
  algs.children = [alg];
  for (const n of [root, explicit, sd, algs]) n.original = null;
  return serialize(root);
}

/**
 * The CMS with SignedData.certificates replaced by the chain `report` names (found in the input or the
 * caller's certificates); openssl cms builds chains only from the certificates inside the CMS.
 */
async function ownChain(der: Uint8Array, report: SignatureReport, options: VerifyOptions): Promise<{ cms: Uint8Array; chain: Uint8Array[] } | undefined> {
  const root = parseTlv(der);
  const explicit = root?.children?.[1];
  const sd = explicit?.children?.[0];
  if (!root || !explicit || !sd?.children) return undefined;
  const pool = new Map<string, Uint8Array>();
  for (const c of [...embeddedCertificates(der, false), ...certDers(options.intermediates), ...certDers(options.trustAnchors)]) pool.set(createHash('sha256').update(c).digest('hex'), c);
  const chain = report.chain.map((c) => pool.get(c.sha256));
  if (!chain.length || chain.some((c) => !c)) return undefined;
  const nodes = (chain as Uint8Array[]).map((c) => parseTlv(c)!).filter(Boolean);
  const certs = { tag: Uint8Array.of(0xa0), constructed: true, content: new Uint8Array(), children: nodes, original: null };
  const at = sd.children.findIndex((c) => c.tag[0] === 0xa0);
  if (at >= 0) sd.children[at] = certs;
  else sd.children.splice(3, 0, certs);
  for (const n of [root, explicit, sd]) n.original = null;
  return { cms: serialize(root), chain: chain as Uint8Array[] };
}

/** The CMS with only SignerInfo `index` (openssl requires every signer to verify; we judge them one by one). */
export function singleSignerCms(der: Uint8Array, index: number): Uint8Array | undefined {
  const root = parseTlv(der);
  const explicit = root?.children?.[1];
  const sd = explicit?.children?.[0];
  const sis = sd?.children?.[sd.children.length - 1];
  if (!root || !explicit || !sd || !sis?.children || sis.tag[0] !== 0x31) return undefined;
  const si = sis.children[index];
  if (!si) return undefined;
  if (sis.children.length === 1) return der;
  sis.children = [si];
  for (const n of [root, explicit, sd, sis]) n.original = null;
  return serialize(root);
}

const OPENSSL_FAIL = /certificate verify error|Verification failure|verify error|digest failure|content verify error|signature failure|signer certificate not found|no matching signer|certificate has expired|certificate is not yet valid/i;
const TIME_FAIL = /certificate has expired|certificate is not yet valid|not yet valid|has expired/i;

async function opensslCheck(input: Uint8Array, report: SignatureReport, options: VerifyOptions, ctx: DiffContext): Promise<DiffResult> {
  let der: Uint8Array;
  try {
    const d = detectInput(input);
    if (d.kind !== 'cms') return { tool: 'openssl', verdict: 'unsupported', detail: 'not CMS' };
    der = d.der;
  } catch (e) {
    return { tool: 'openssl', verdict: 'unsupported', detail: `undetectable: ${(e as Error).message}` };
  }
  const m = /^signerInfo\[(\d+)\]$/.exec(report.id);
  if (!m) return { tool: 'openssl', verdict: 'unsupported', detail: `report id ${report.id} is not a top-level SignerInfo` };
  const single = singleSignerCms(der, Number(m[1]));
  if (!single) return { tool: 'openssl', verdict: 'unsupported', detail: 'cannot isolate the SignerInfo' };
  const gost = mentionsGost(single);
  if (gost && !GOST_ENGINE) return { tool: 'openssl', verdict: 'unsupported', detail: 'GOST without libengine-gost-openssl' };
  const anchors = [...certDers(options.trustAnchors), ...certDers(ctx.extraAnchors)];
  if (!anchors.length) return { tool: 'openssl', verdict: 'unsupported', detail: 'no trust anchors to give openssl' };
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', tmp('sig.der', single), '-CAfile', tmp('anchors.pem', pem(anchors)), '-purpose', 'any', '-out', '/dev/null'];
  // Untrusted: the caller's intermediates and every certificate embedded in the signature (certificate-values,
  // time-stamp tokens), which we may use for path building too; openssl itself reads only SignedData.certificates.
  const inter = [...certDers(options.intermediates), ...embeddedCertificates(der, false)];
  if (inter.length) args.push('-certfile', tmp('untrusted.pem', pem(inter)));
  if (options.detachedContent) args.push('-content', tmp('content.bin', toBytes(options.detachedContent)));
  if (gost) args.push('-engine', 'gost');
  const times = [report.times.validationTime];
  // Past-signature validation (EN 319 102-1 5.6.2.4): a time-stamp proves the signature existed at the
  // best-signature-time; a signer expired since is checked by openssl at that time instead.
  if (report.times.bestSignatureTimeSource !== 'validation-time' && report.times.bestSignatureTime !== report.times.validationTime) times.push(report.times.bestSignatureTime);
  const boundary = boundaryTimes(report, times);
  times.push(...boundary);
  let last: { code: number; stderr: string } | undefined;
  for (const [i, t] of times.entries()) {
    const full = [...args, '-attime', attime(t)];
    const r = await run(OPENSSL, full);
    if (r.code === 0 && /Verification successful/.test(r.stderr)) {
      if (boundary.includes(t)) return { tool: 'openssl', verdict: 'pass-inclusive-notafter', detail: `passes at ${t}, 1 s before a chain certificate's notAfter (inclusive in RFC 5280, expired for OpenSSL)`, command: `openssl ${full.join(' ')}` };
      return { tool: 'openssl', verdict: 'pass', detail: i ? `passed at the best-signature-time ${t}` : 'passed', command: `openssl ${full.join(' ')}` };
    }
    last = r;
    if (!TIME_FAIL.test(r.stderr)) {
      const line = firstLine(r.stderr);
      // Tried on any failure: openssl also fails without a word when the SET is empty. The rewrite touches only
      // that unsigned hint, so a pass after it means the signed bytes verify.
      const rewritten = withSignerDigestAlgorithm(single);
      const listed = rewritten && !equalBytes(rewritten, single) ? rewritten : undefined;
      if (listed) {
        const again = full.map((x) => (x === full[full.indexOf('-in') + 1] ? tmp('sig-digest-algs.der', listed) : x));
        const r1 = await run(OPENSSL, again);
        if (r1.code === 0 && /Verification successful/.test(r1.stderr)) return { tool: 'openssl', verdict: 'pass-digest-algorithms', detail: 'passes once SignedData.digestAlgorithms lists the SignerInfo digestAlgorithm', command: `openssl ${again.join(' ')}` };
      }
      if (/signer certificate not found/i.test(r.stderr) && report.checks.some((c) => c.id === 'isc.signing-certificate-reference' && c.status === 'PASSED')) {
        const pool = [...embeddedCertificates(der, false), ...certDers(options.intermediates), ...certDers(options.trustAnchors)];
        const signerCert = pool.find((c) => createHash('sha256').update(c).digest('hex') === report.signer?.sha256);
        const resid = signerCert ? withSignerSid(single, signerCert) : undefined;
        if (resid) {
          const again = full.map((x) => (x === full[full.indexOf('-in') + 1] ? tmp('sig-sid.der', resid) : x));
          const r0 = await run(OPENSSL, again);
          if (r0.code === 0 && /Verification successful/.test(r0.stderr)) return { tool: 'openssl', verdict: 'pass-sid-name-match', detail: 'passes once the (unsigned) sid issuer carries the certificate issuer\'s exact string types; the ESS reference binds the signer', command: `openssl ${again.join(' ')}` };
        }
      }
      const sorted = /signature failure|verification failure|bad signature|signature mismatch/i.test(r.stderr) ? derSortedSignedAttrs(single) : undefined;
      if (sorted) {
        const again = full.map((x) => (x === full[full.indexOf('-in') + 1] ? tmp('sig-der-attrs.der', sorted) : x));
        const r2 = await run(OPENSSL, again);
        if (r2.code === 0 && /Verification successful/.test(r2.stderr)) return { tool: 'openssl', verdict: 'pass-der-attrs', detail: 'passes only with the signed attributes in DER order', command: `openssl ${again.join(' ')}` };
      }
      // openssl takes the first issuer candidate by name; we try every candidate (RFC 5280 path building). When a
      // corrupted copy of a CA certificate sits in SignedData.certificates, give openssl exactly the chain we built
      // (in place of the CMS certificates, which the signature does not cover): it must then verify that chain.
      const own = /certificate verify error|Verify error/i.test(r.stderr) ? await ownChain(single, report, options) : undefined;
      if (own) {
        const again = [...full.map((x) => (x === full[full.indexOf('-in') + 1] ? tmp('sig-nocerts.der', own.cms) : x)).filter((x, i, arr) => x !== '-certfile' && arr[i - 1] !== '-certfile'), '-certfile', tmp('chain.pem', pem(own.chain))];
        const r3 = await run(OPENSSL, again);
        if (r3.code === 0 && /Verification successful/.test(r3.stderr)) return { tool: 'openssl', verdict: 'pass-own-chain', detail: 'passes with the chain ots-esig built (another issuer candidate than openssl picks)', command: `openssl ${again.join(' ')}` };
      }
      return OPENSSL_FAIL.test(r.stderr)
        ? { tool: 'openssl', verdict: 'fail', detail: line, command: `openssl ${full.join(' ')}` }
        : { tool: 'openssl', verdict: 'unsupported', detail: line, command: `openssl ${full.join(' ')}` };
    }
  }
  return { tool: 'openssl', verdict: 'fail', detail: firstLine(last!.stderr), command: `openssl ${[...args, '-attime', attime(times[times.length - 1]!)].join(' ')}` };
}

function firstLine(s: string): string {
  const lines = s.split('\n').map((l) => l.trim()).filter((l) => l && !/^Engine "gost" set/.test(l));
  const interesting = lines.find((l) => OPENSSL_FAIL.test(l) || /error|fail|unsupported|unknown/i.test(l));
  return (interesting ?? lines[0] ?? '(no output)').slice(0, 300);
}

// --- xmlsec1 -------------------------------------------------------------

// A duplicate ID among the elements the signature references is a wrapping attempt xmlsec1 refuses: a failure.
const XMLSEC_FAIL = /data and digest do not match|signature do not match|certificate verification failed|certificate has expired|not yet valid|duplicate ID attribute/i;

function gmt(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z?$|Z$/, '');
}

/** An XPath selecting `el` by local name and namespace only (no prefixes needed). */
function nsXpath(el: Element): string {
  const parts: string[] = [];
  for (let n: Node | null = el; n && n.nodeType === 1; n = n.parentNode) {
    const e = n as Element;
    let k = 1;
    for (let s = e.previousSibling; s; s = s.previousSibling) if (s.nodeType === 1 && (s as Element).localName === e.localName && (s as Element).namespaceURI === e.namespaceURI) k++;
    parts.unshift(`*[local-name()='${e.localName}' and namespace-uri()='${e.namespaceURI ?? ''}'][${k}]`);
  }
  return `/${parts.join('/')}`;
}

async function xmlsecCheck(input: Uint8Array, report: SignatureReport, options: VerifyOptions, ctx: DiffContext): Promise<DiffResult> {
  let doc: Document;
  try {
    doc = parseXml(input);
  } catch (e) {
    return { tool: 'xmlsec1', verdict: 'unsupported', detail: `unparseable: ${(e as Error).message}` };
  }
  const sigs = findSignatures(doc);
  const byId = /^Signature\[@Id='(.*)'\]$/.exec(report.id);
  const byIndex = /^Signature\[(\d+)\]$/.exec(report.id);
  const matches = byId ? sigs.filter((s) => s.getAttribute('Id') === byId[1]) : byIndex ? [sigs[Number(byIndex[1])]] : [];
  const sig = matches.length === 1 ? matches[0] : undefined;
  if (!sig) return { tool: 'xmlsec1', verdict: 'unsupported', detail: `cannot locate ${report.id}` };
  const anchors = [...certDers(options.trustAnchors), ...certDers(ctx.extraAnchors)];
  if (!anchors.length) return { tool: 'xmlsec1', verdict: 'unsupported', detail: 'no trust anchors to give xmlsec1' };
  // xmlsec1 reads one certificate per --trusted-pem / --untrusted-pem file.
  const args = ['--verify', '--enabled-key-data', 'x509', ...anchors.flatMap((a) => ['--trusted-pem', tmp('anchor.pem', pem([a]))])];
  // Untrusted: the caller's intermediates and every certificate in the document (xmlsec1 reads only ds:KeyInfo).
  const inter = [...certDers(options.intermediates), ...embeddedCertificates(input, true)];
  for (const c of inter) args.push('--untrusted-pem', tmp('untrusted.pem', pem([c])));
  // The elements this signature references by Id are registered as IDs (their element types), so the references resolve.
  const refs = Array.from(sig.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Reference')) as Element[];
  const wanted = new Set(refs.map((r) => r.getAttribute('URI') ?? '').filter((u) => u.startsWith('#') && !u.startsWith('#xpointer')).map((u) => u.slice(1)));
  const ids = new Set<string>();
  for (const el of Array.from(doc.getElementsByTagName('*')) as Element[]) {
    for (const a of ['Id', 'ID', 'id']) if (wanted.has(el.getAttribute(a) ?? '\u0000')) ids.add(`${a}\u0000${el.namespaceURI ? `${el.namespaceURI}:` : ''}${el.localName}`);
  }
  for (const k of ids) {
    const [a, n] = k.split('\u0000');
    args.push(`--id-attr:${a}`, n!);
  }
  // Detached references: the same documents the caller gave us.
  const detached = (options as { detachedFiles?: Record<string, Uint8Array> | Map<string, Uint8Array> }).detachedFiles;
  const files = detached instanceof Map ? [...detached] : detached ? Object.entries(detached) : [];
  for (const r of refs) {
    const uri = r.getAttribute('URI');
    if (uri === null || uri === '' || uri.startsWith('#')) continue;
    const hit = files.find(([k]) => k === uri || uri.endsWith(`/${k}`)) ?? (options.detachedContent ? ['', options.detachedContent] : undefined);
    if (!hit) return { tool: 'xmlsec1', verdict: 'unsupported', detail: `no content for detached reference ${uri}` };
    args.push(`--url-map:${uri}`, tmp('detached.bin', toBytes(hit[1] as Uint8Array)));
  }
  args.push('--node-xpath', nsXpath(sig));
  const times = [report.times.validationTime];
  if (report.times.bestSignatureTimeSource !== 'validation-time' && report.times.bestSignatureTime !== report.times.validationTime) times.push(report.times.bestSignatureTime);
  const boundary = boundaryTimes(report, times);
  times.push(...boundary);
  const file = tmp('sig.xml', input);
  let last = '';
  let lastCmd = '';
  for (const [i, t] of times.entries()) {
    const full = [...args, '--verification-gmt-time', gmt(t), file];
    const r = await run(XMLSEC1, full);
    lastCmd = `xmlsec1 ${full.join(' ')}`;
    const out = `${r.stdout}\n${r.stderr}`;
    if (r.code === 0 && /^OK$/m.test(out)) {
      if (boundary.includes(t)) return { tool: 'xmlsec1', verdict: 'pass-inclusive-notafter', detail: `passes at ${t}, 1 s before a chain certificate's notAfter (inclusive in RFC 5280, expired for OpenSSL)`, command: lastCmd };
      return { tool: 'xmlsec1', verdict: 'pass', detail: i ? `passed at the best-signature-time ${t}` : 'passed', command: lastCmd };
    }
    last = out;
    if (!/certificate has expired|not yet valid/i.test(out)) break;
  }
  const line = xmlsecLine(last);
  // As for openssl: xmlsec1 builds its chain from the first candidate it finds among the untrusted certificates,
  // which include every certificate in the document (a corrupted copy in CertificateValues, say). Give it only
  // the chain our report names: it must then verify that very chain.
  if (/certificate verification failed|unable to get local issuer|certificate signature failure/i.test(last)) {
    const pool = new Map<string, Uint8Array>();
    for (const c of [...inter, ...anchors]) pool.set(createHash('sha256').update(c).digest('hex'), c);
    const chain = report.chain.map((c) => pool.get(c.sha256));
    if (chain.length && chain.every(Boolean)) {
      const own = [...args.filter((x, i, arr) => x !== '--untrusted-pem' && arr[i - 1] !== '--untrusted-pem'), ...(chain as Uint8Array[]).flatMap((c) => ['--untrusted-pem', tmp('chain.pem', pem([c]))])];
      // ds:KeyInfo certificates are candidates for xmlsec1 too; drop those outside our chain (when KeyInfo is signed,
      // this breaks the signature and the disagreement stands, as it should).
      const chainHashes = new Set(report.chain.map((c) => c.sha256));
      const text = new TextDecoder().decode(input);
      const pruned = text.replace(/<((?:[\w.-]+:)?)KeyInfo[\s>][\s\S]*?<\/\1KeyInfo>/g, (keyInfo) =>
        keyInfo.replace(/<((?:[\w.-]+:)?)X509Certificate>([^<]*)<\/\1X509Certificate>/g, (whole, _p: string, b64: string) => {
          try {
            return chainHashes.has(createHash('sha256').update(Buffer.from(b64.replace(/\s+/g, ''), 'base64')).digest('hex')) ? whole : '';
          } catch {
            return whole;
          }
        }),
      );
      const ownFile = pruned === text ? file : tmp('sig-own-chain.xml', pruned);
      for (const t of times) {
        const full = [...own, '--verification-gmt-time', gmt(t), ownFile];
        const r = await run(XMLSEC1, full);
        if (r.code === 0 && /^OK$/m.test(`${r.stdout}\n${r.stderr}`)) return { tool: 'xmlsec1', verdict: 'pass-own-chain', detail: 'passes with the chain ots-esig built (another issuer candidate than xmlsec1 picks)', command: `xmlsec1 ${full.join(' ')}` };
      }
    }
  }
  if (/^FAIL$/m.test(last) || XMLSEC_FAIL.test(last)) return { tool: 'xmlsec1', verdict: 'fail', detail: line, command: lastCmd };
  return { tool: 'xmlsec1', verdict: 'unsupported', detail: line, command: lastCmd };
}

function xmlsecLine(out: string): string {
  const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
  const hit = lines.find((l) => XMLSEC_FAIL.test(l)) ?? lines.find((l) => /error=/.test(l)) ?? lines[0] ?? '(no output)';
  return hit.replace(/^func=[^:]*:file=[^:]*:line=\d+:/, '').slice(0, 300);
}

/** Whether the independent tool agrees that `report` (one of ours, TOTAL-PASSED) passes on `input`. */
export async function crossCheck(input: Uint8Array, report: SignatureReport, options: VerifyOptions, ctx: DiffContext = {}): Promise<DiffResult> {
  if (report.format === 'CAdES') return opensslCheck(input, report, options, ctx);
  if (report.format === 'XAdES') return xmlsecCheck(input, report, options, ctx);
  return { tool: 'none', verdict: 'unsupported', detail: `no independent tool for ${report.format}` };
}

export const toolsAvailable = { openssl: existsSync(OPENSSL), xmlsec1: existsSync(XMLSEC1), gostEngine: GOST_ENGINE };
