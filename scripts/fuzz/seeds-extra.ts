/**
 * Seeds beyond the fixture manifests:
 * - the DSS CAdES/XAdES samples of the shared corpus (`$OTS_CORPUS`, default ../shared/corpus
 *   next to the repository; read at run time, never copied into the repo), with their detached
 *   content, anchored at the self-signed roots they embed (DSS tests validate them without
 *   anchors; a run that never passes them would exercise only the error paths) and validated at
 *   their claimed signing time;
 * - the GOST fixtures (fixtures/gost, with the optional GOST provider);
 * - recognition scenarios: fixture signatures with the pilot trust lists (XML through the list
 *   of lists, or JSON pinned by SHA-256), the agreements and a relying party, anchors only from lists;
 * - revocation scenarios: fixture signatures with the fixture OCSP responses, revocation required;
 * - trust-list seeds: the pilot lists and the corpus' trust lists with their pinned signers.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verify, type TrustListInput, type VerifyOptions } from '../../src/index.js';
import { AlgorithmRegistry } from '../../src/crypto/registry.js';
import { GostProvider, GOST_ALGORITHM_POLICY } from '../../src/gost.js';
import type { Seed } from './corpus.js';
import { allNodes, parseTlv, serialize } from './tlv.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared corpus directory: `$OTS_CORPUS`, else ../shared/corpus beside the repository (worktrees: /work/shared/corpus). */
export function corpusDir(): string | undefined {
  const candidates = [process.env.OTS_CORPUS, join(REPO, '../shared/corpus'), join(REPO, '../../shared/corpus')].filter((x): x is string => !!x);
  return candidates.find((d) => existsSync(join(d, 'dss')));
}

/** A trust-list seed: lists as loadTrustLists takes them; `target` is the one mutated. */
export interface ListSeed {
  readonly id: string;
  readonly lists: readonly TrustListInput[];
  readonly target: number;
  readonly time: Date;
}

export interface ExtraSeeds {
  readonly seeds: Seed[];
  readonly listSeeds: ListSeed[];
}

const read = (p: string) => new Uint8Array(readFileSync(p));

/** Certificates anywhere in `bytes` (DER SEQUENCEs, or base64 inside XML elements, or inside their time-stamp tokens). */
export function embeddedCertificates(bytes: Uint8Array, xml: boolean): Uint8Array[] {
  const ders: Uint8Array[] = [];
  if (xml) {
    const text = new TextDecoder().decode(bytes);
    for (const m of text.matchAll(/<(?:[\w-]+:)?(?:X509Certificate|EncapsulatedX509Certificate)[^>]*>([A-Za-z0-9+/=\s]+)</g)) ders.push(new Uint8Array(Buffer.from(m[1]!, 'base64')));
    // Certificates inside embedded CMS time-stamp tokens.
    for (const m of text.matchAll(/<(?:[\w-]+:)?EncapsulatedTimeStamp[^>]*>([A-Za-z0-9+/=\s]+)</g)) ders.push(...derCertificates(new Uint8Array(Buffer.from(m[1]!, 'base64'))));
  } else ders.push(...derCertificates(bytes));
  const out = new Map<string, Uint8Array>();
  for (const d of ders) {
    try {
      out.set(new X509Certificate(d).fingerprint256, d);
    } catch {
      /* not a certificate */
    }
  }
  return [...out.values()];
}

/** Self-signed certificates anywhere in `bytes`. */
export function embeddedRoots(bytes: Uint8Array, xml: boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const d of embeddedCertificates(bytes, xml)) {
    try {
      const c = new X509Certificate(d);
      if (c.checkIssued(c) && c.verify(c.publicKey)) out.push(d);
    } catch {
      /* not a certificate */
    }
  }
  return out;
}

function derCertificates(der: Uint8Array): Uint8Array[] {
  const root = parseTlv(der);
  if (!root) return [];
  const out: Uint8Array[] = [];
  for (const { node } of allNodes(root)) {
    if (node.tag[0] !== 0x30 || node.children?.length !== 3 || node.children[0]!.tag[0] !== 0x30) continue;
    const b = serialize(node);
    if (b.length > 300) out.push(b);
  }
  return out;
}

function detachedFor(cell: string | undefined, base: string): string[] {
  return [...(cell ?? '').matchAll(/([\w.-]+\.(?:txt|xml|png|pdf|bin))/g)].map((m) => join(base, 'detached-content', m[1]!)).filter(existsSync);
}

/** A validation time inside the signer's validity: the claimed signing time, else the middle of the validity. */
async function timeFor(bytes: Uint8Array, options: VerifyOptions): Promise<Date> {
  try {
    const r = await verify(bytes, options);
    const s = r.signatures[0];
    if (s?.times.claimedSigningTime) return new Date(Date.parse(s.times.claimedSigningTime) + 3600_000);
    if (s?.signer) return new Date((Date.parse(s.signer.notBefore) + Date.parse(s.signer.notAfter)) / 2);
  } catch {
    /* unreadable: any time */
  }
  return new Date('2020-01-01T00:00:00Z');
}

async function dssSeeds(dir: string): Promise<Seed[]> {
  const base = join(dir, 'dss');
  const rows = readFileSync(join(base, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split('\t'));
  const seeds: Seed[] = [];
  for (const row of rows) {
    const file = row[0]!;
    if (!/^(cades|xades)\//.test(file)) continue;
    const bytes = read(join(base, file));
    const xml = file.startsWith('xades/');
    const anchors = embeddedRoots(bytes, xml);
    if (file === 'xades/xades-enveloped-LTA.xml') for (let i = 1; i <= 4; i++) anchors.push(read(join(base, `certs/dss1987-trustAnchor${i}.pem`)));
    const det = detachedFor(row[5], base);
    const options0: VerifyOptions = {
      trustAnchors: anchors,
      ...(det.length === 1 && !xml ? { detachedContent: read(det[0]!) } : {}),
      ...(det.length && xml ? { detachedFiles: Object.fromEntries(det.map((p) => [p.split('/').pop()!, read(p)])) } : {}),
    };
    const validationTime = file === 'xades/xades-enveloped-LTA.xml' ? new Date('2020-03-01T00:00:00Z') : await timeFor(bytes, options0);
    seeds.push({ id: `dss:${file}`, file: `$OTS_CORPUS/dss/${file}`, kind: xml ? 'xml' : bytes[0] === 0x30 ? 'cms' : 'text', bytes, options: { ...options0, validationTime }, baseline: '', origin: 'corpus' });
  }
  return seeds;
}

function gostSeeds(fixtures: string): Seed[] {
  const m = JSON.parse(readFileSync(join(fixtures, 'gost/manifest.json'), 'utf8')) as { validationTime: string; trustAnchor: string; crl: string; content: string; samples: Record<string, unknown> };
  const rel = (p: string) => read(join(REPO, p));
  const registry = new AlgorithmRegistry().register(new GostProvider());
  return Object.keys(m.samples).map((f) => ({
    id: `gost:${f}`,
    file: `fixtures/gost/${f}`,
    kind: 'cms' as const,
    bytes: read(join(fixtures, 'gost', f)),
    options: {
      validationTime: new Date(m.validationTime),
      trustAnchors: [rel(m.trustAnchor)],
      crls: [rel(m.crl)],
      registry,
      algorithmPolicy: GOST_ALGORITHM_POLICY,
      ...(f.includes('detached') ? { detachedContent: rel(m.content) } : {}),
    },
    baseline: '',
    origin: 'gost' as const,
  }));
}

const COUNTRIES = ['az', 'kz', 'kg', 'tr', 'uz'] as const;

/** The pilot lists: the list of lists pinned to its operator, the national lists reached through it (or JSON pinned by digest), HU pinned. */
export function pilotLists(json: boolean): TrustListInput[] {
  const tl = (p: string) => read(join(REPO, 'trust-lists', p));
  const pki = (p: string) => read(join(REPO, 'fixtures/pki', p));
  const lists: TrustListInput[] = [{ name: 'ots-lotl.xml', data: tl('ots-lotl.xml'), signingCertificates: [pki('ots-lotl-operator.pem')] }];
  for (const cc of COUNTRIES) {
    if (!json) lists.push({ name: `${cc}-tl.xml`, data: tl(`${cc}-tl.xml`) });
    else {
      const data = tl(`json/${cc}-tl.json`);
      lists.push({ name: `${cc}-tl.json`, data, sha256: createHash('sha256').update(data).digest('hex') });
    }
  }
  lists.push({ name: 'hu-tl.xml', data: tl('hu-tl.xml'), signingCertificates: [pki('hu-tl-operator.pem')] });
  return lists;
}

export function pilotAgreements(): { name: string; data: Uint8Array }[] {
  const dir = join(REPO, 'trust-lists/agreements');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f, data: read(join(dir, f)) }));
}

/** The roots the pilot lists carry (the anchors an independent tool is given for recognition scenarios). */
export function pilotRoots(): Uint8Array[] {
  return [...COUNTRIES, 'hu'].map((cc) => read(join(REPO, `fixtures/pki/${cc}-root.pem`)));
}

function scenarioSeeds(fixtures: string): Seed[] {
  const sigs: [string, string, 'cms' | 'xml', VerifyOptions?][] = [
    ['az-attached', 'cades/az-attached.p7s', 'cms'],
    ['kz-attached', 'cades/kz-attached.p7s', 'cms'],
    ['kg-attached', 'cades/kg-attached.p7s', 'cms'],
    ['tr-attached', 'cades/tr-attached.p7s', 'cms'],
    ['uz-attached', 'cades/uz-attached.p7s', 'cms'],
    ['hu-attached', 'cades/hu-attached.p7s', 'cms'],
    ['untrusted', 'cades/untrusted.p7s', 'cms'],
    ['kz-enveloped-b', 'xades/kz-enveloped-b.xml', 'xml'],
    ['tr-enveloped-b-ecdsa', 'xades/tr-enveloped-b-ecdsa.xml', 'xml'],
  ];
  const seeds: Seed[] = [];
  const agreements = pilotAgreements();
  // The fixture PKI's current CRLs: the default policy requires the status of the signer and of every CA.
  const crls = readdirSync(join(fixtures, 'crl/current')).filter((f) => f.endsWith('.crl')).sort().map((f) => read(join(fixtures, 'crl/current', f)));
  // Two scenarios per signature (relying parties rotated, XML and JSON lists): enough combinations, bounded load time.
  const rps = ['TR', 'UZ', 'KZ'];
  for (const [n, [id, file, kind]] of sigs.entries()) {
    for (const rp of [rps[n % 3]!, rps[(n + 1) % 3]!]) {
      for (const json of [rp === rps[(n + 1) % 3]]) {
        seeds.push({
          id: `trust:${id}:${rp}:${json ? 'json' : 'xml'}`,
          file: `fixtures/${file}`,
          kind,
          bytes: read(join(fixtures, file)),
          options: {
            validationTime: new Date('2026-06-01T00:00:00Z'),
            trustLists: pilotLists(json),
            agreements,
            relyingParty: rp,
            crls,
            ...(rp === 'UZ' ? { purpose: 'tax-declaration' } : {}),
          },
          baseline: '',
          origin: 'scenario',
          extraAnchors: pilotRoots(),
        });
      }
    }
  }
  return seeds;
}

/** Fixture signatures with the fixture OCSP responses (and CRLs), revocation required: the revocation families' targets. */
function revocationSeeds(fixtures: string): Seed[] {
  const f = (p: string) => read(join(fixtures, p));
  const base = { validationTime: new Date('2026-06-01T00:00:00Z'), trustAnchors: [f('pki/kz-root.pem')], requireRevocation: true };
  const mk = (id: string, file: string, o: Partial<VerifyOptions>): Seed => ({ id: `rev:${id}`, file: `fixtures/${file}`, kind: file.endsWith('.xml') ? 'xml' : 'cms', bytes: f(file), options: { ...base, ...o, crls: [...(o.crls ?? []), f('crl/current/kz-root.crl')] }, baseline: '', origin: 'scenario' });
  return [
    mk('kz-attached+ocsp-good', 'cades/kz-attached.p7s', { ocspResponses: [f('ltv/ocsp/kz-signer-good.der')], crls: [f('crl/kz-ca-empty.crl')] }),
    mk('kz-attached+ocsp-good-by-ca', 'cades/kz-attached.p7s', { ocspResponses: [f('ltv/ocsp/kz-signer-good-by-ca.der')], crls: [f('crl/kz-ca-empty.crl')] }),
    mk('kz-attached+crl', 'cades/kz-attached.p7s', { crls: [f('crl/kz-ca-empty.crl')] }),
    mk('kz-revoked+crl', 'cades/kz-revoked.p7s', { crls: [f('crl/kz-ca.crl')] }),
    mk('kz-revoked+crl+delta', 'cades/kz-revoked.p7s', { crls: [f('crl/kz-ca.crl'), f('crl/kz-ca-delta.crl')] }),
    mk('revoked-after-ts+crl', 'ltv/revoked-after-ts.p7s', { crls: [f('crl/kz-ca.crl')] }),
    mk('revoked-no-ts+crl', 'ltv/revoked-no-ts.p7s', { crls: [f('crl/kz-ca.crl')] }),
    mk('revoked-before-ts+crl', 'ltv/revoked-before-ts.p7s', { crls: [f('crl/kz-ca.crl')] }),
    mk('cades-t+crl', 'ltv/cades-t.p7s', { crls: [f('crl/kz-ca-empty.crl')] }),
    mk('kz-enveloped-b+crl', 'xades/kz-enveloped-b.xml', { crls: [f('crl/kz-ca-empty.crl')] }),
    mk('kz-revoked-enveloped-t-before+crl', 'xades/kz-revoked-enveloped-t-before.xml', { crls: [f('crl/kz-ca.crl')] }),
    mk('kz-revoked-enveloped-t-after+crl', 'xades/kz-revoked-enveloped-t-after.xml', { crls: [f('crl/kz-ca.crl')] }),
  ];
}

function listSeeds(dir: string | undefined): ListSeed[] {
  const out: ListSeed[] = [];
  const time = new Date('2026-06-01T00:00:00Z');
  for (const json of [false, true]) {
    const lists = pilotLists(json);
    for (let i = 0; i < lists.length; i++) out.push({ id: `tl:pilot-${json ? 'json' : 'xml'}:${lists[i]!.name}`, lists, target: i, time });
  }
  if (dir) {
    const tl = (f: string) => read(join(dir, 'dss/tl', f));
    const cert = (f: string) => read(join(dir, 'dss/certs', f));
    const pinned: [string, string, string][] = [
      ['eu-lotl-seq248.xml', 'eu-lotl-248-signer.pem', '2019-07-01T00:00:00Z'],
      ['eu-lotl-seq248-broken-sig.xml', 'eu-lotl-248-signer.pem', '2019-07-01T00:00:00Z'],
      ['dk-tl-sn21.xml', 'dk-tl-sn21-EXPECTED_SIG_CERT.pem', '2019-07-01T00:00:00Z'],
    ];
    for (const [f, c, t] of pinned) {
      if (!existsSync(join(dir, 'dss/tl', f))) continue;
      out.push({ id: `tl:dss:${f}`, lists: [{ name: f, data: tl(f), signingCertificates: [cert(c)] }], target: 0, time: new Date(t) });
    }
  }
  return out;
}

export async function loadExtraSeeds(fixtures: string, opts: { external?: boolean } = {}): Promise<ExtraSeeds> {
  const dir = opts.external === false ? undefined : corpusDir();
  const seeds: Seed[] = [...gostSeeds(fixtures), ...scenarioSeeds(fixtures), ...revocationSeeds(fixtures)];
  if (dir) seeds.push(...(await dssSeeds(dir)));
  return { seeds, listSeeds: listSeeds(dir) };
}

/** Certificates an attacker would swap into a list: every fixture root, including ones no list carries. */
export function donorRoots(): Uint8Array[] {
  return [...pilotRoots(), read(join(REPO, 'fixtures/pki/untrusted-root.pem')), read(join(REPO, 'fixtures/pki/tm-root.pem'))].map((pem) => {
    const b64 = new TextDecoder().decode(pem).replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    return new Uint8Array(Buffer.from(b64, 'base64'));
  });
}
