/**
 * Inputs are never written (#15). Every fixture — CAdES, XAdES, LTV samples,
 * GOST, certificates, CRLs, OCSP responses, time-stamp tokens, trust lists,
 * agreements — is passed as a Node Buffer that is a view into ONE shared
 * ArrayBuffer with other bytes around it (as Buffers from Node's pool are).
 * The whole ArrayBuffer is hashed before and after; each verification runs
 * twice on the same Buffers and must give the same verdict.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlgorithmRegistry, loadCertificates, loadCrls, loadTrustLists, ParsedOcspResponse, validateTimestampToken, verify, type VerifyOptions } from '../src/index.js';
import { GOST_ALGORITHM_POLICY, GostProvider } from '../src/gost.js';
import { parseCades } from '../src/cades/parse.js';
import { OID } from '../src/pki/oids.js';
import { createContext } from '../src/validation/options.js';
import { FIXTURES } from './helpers/fixtures.js';

const ROOT = join(FIXTURES, '..');

/** Files laid out in one ArrayBuffer, 13 bytes of 0xa5 before, between and after. */
class Arena {
  private readonly files = new Map<string, { offset: number; length: number }>();
  readonly buffer: ArrayBuffer;
  constructor(paths: readonly string[]) {
    const contents = paths.map((p) => readFileSync(join(ROOT, p)));
    const total = contents.reduce((n, c) => n + c.length + 13, 13);
    this.buffer = new ArrayBuffer(total);
    const all = new Uint8Array(this.buffer).fill(0xa5);
    let at = 13;
    contents.forEach((c, i) => {
      all.set(c, at);
      this.files.set(paths[i]!, { offset: at, length: c.length });
      at += c.length + 13;
    });
  }
  /** A Buffer view of the file (path relative to the repository root). */
  buf(path: string): Buffer {
    const f = this.files.get(path);
    if (!f) throw new Error(`not in the arena: ${path}`);
    return Buffer.from(this.buffer, f.offset, f.length);
  }
  hash(): string {
    return createHash('sha256').update(new Uint8Array(this.buffer)).digest('hex');
  }
}

const list = (dir: string, re: RegExp) => readdirSync(join(ROOT, dir)).filter((f) => re.test(f)).map((f) => `${dir}/${f}`);
const json = <T>(p: string) => JSON.parse(readFileSync(join(ROOT, p), 'utf8')) as T;
const fx = (rel: string) => `fixtures/${rel}`;

type Verdict = string;
async function verdict(run: () => Promise<{ signatures: readonly { indication: string; subIndication: string | null; times: { claimedSigningTime: string | null } }[] }>): Promise<Verdict> {
  try {
    const r = await run();
    return JSON.stringify(r.signatures.map((s) => [s.indication, s.subIndication, s.times.claimedSigningTime]));
  } catch (e) {
    return `error ${(e as { code?: string }).code ?? (e as Error).name}`;
  }
}

const cades = json<{ validationTime: string; samples: { file: string; content: string | null; trustAnchors: string[]; intermediates?: string[]; crls?: string[] }[] }>('fixtures/manifest.json');
const ltv = json<{ validationTime: string; trustAnchors: string[]; samples: { file: string; crls: string[]; ocspResponses: string[] }[] }>('fixtures/ltv/manifest.json');
const xades = json<{ validationTime: string; samples: { file: string; trustAnchors?: string[]; crls?: string[]; detached: Record<string, string> | null }[] }>('fixtures/xades/manifest.json');
const GOST = ['gost-attached.p7s', 'gost-detached.p7s', 'gost-unimplemented-alg.p7s'].map((f) => fx(`gost/${f}`));

const paths = [
  ...list('fixtures/cades', /\.(p7s|pem|b64)$/),
  ...list('fixtures/ltv', /\.p7s$/),
  ...list('fixtures/xades', /\.xml$/),
  ...list('fixtures/pki', /\.pem$/),
  ...list('fixtures/ltv/pki', /\.pem$/),
  ...list('fixtures/crl', /\.crl$/),
  ...list('fixtures/ltv/crl', /\.crl$/),
  ...list('fixtures/ltv/ocsp', /\.der$/),
  ...list('fixtures/policy', /\.p7s$/),
  ...list('fixtures/gost', /\.(p7s|pem|crl|txt)$/),
  ...list('fixtures/asic', /\.asic[se]$/),
  ...list('trust-lists', /\.xml$/),
  ...list('trust-lists/json', /\.json$/),
  ...list('trust-lists/agreements', /\.json$/),
  'fixtures/content/document.txt',
];
const arena = new Arena([...new Set(paths)]);
const b = (rel: string) => arena.buf(fx(rel));

/** Runs `make()` twice on the same Buffers: same verdict, and not one byte of the shared ArrayBuffer changed. */
async function twice(name: string, make: () => Promise<Verdict>): Promise<void> {
  const before = arena.hash();
  const first = await make();
  expect(arena.hash(), `${name}: the shared input memory changed`).toBe(before);
  const second = await make();
  expect(second, `${name}: second verification of the same Buffers`).toBe(first);
  expect(arena.hash(), `${name}: the shared input memory changed`).toBe(before);
}

describe('inputs passed as Buffer views into one shared ArrayBuffer are never written', () => {
  it('CAdES samples (fixtures/manifest.json)', async () => {
    for (const s of cades.samples) {
      const opts: VerifyOptions = {
        validationTime: new Date(cades.validationTime),
        trustAnchors: s.trustAnchors.map(b),
        intermediates: (s.intermediates ?? []).map(b),
        crls: (s.crls ?? []).map(b),
        detachedContent: s.content ? b(s.content) : undefined,
      };
      await twice(s.file, () => verdict(() => verify(b(s.file), opts)));
    }
  });

  it('LTV samples: time-stamps, embedded and supplied CRLs and OCSP responses', async () => {
    for (const s of ltv.samples) {
      const opts: VerifyOptions = {
        validationTime: new Date(ltv.validationTime),
        trustAnchors: ltv.trustAnchors.map(b),
        crls: s.crls.map(b),
        ocspResponses: s.ocspResponses.map(b),
      };
      await twice(s.file, () => verdict(() => verify(b(s.file), opts)));
    }
    const policy = { validationTime: new Date(ltv.validationTime), trustAnchors: [b('pki/kz-root.pem')] };
    await twice('policy/kz-sha1-t.p7s', () => verdict(() => verify(b('policy/kz-sha1-t.p7s'), policy)));
  });

  it('XAdES samples', async () => {
    for (const s of xades.samples) {
      const opts: VerifyOptions = {
        validationTime: new Date(xades.validationTime),
        trustAnchors: (s.trustAnchors ?? []).map(b),
        crls: (s.crls ?? []).map(b),
        detachedFiles: s.detached ? Object.fromEntries(Object.entries(s.detached).map(([k, v]) => [k, b(v)])) : undefined,
      };
      await twice(s.file, () => verdict(() => verify(b(s.file), opts)));
    }
  });

  it('ASiC containers (fixtures/asic)', async () => {
    const opts: VerifyOptions = { validationTime: new Date('2026-06-01T00:00:00Z'), trustAnchors: [b('pki/kz-root.pem')], timestampAnchors: [b('pki/kz-root.pem')] };
    for (const f of list('fixtures/asic', /\.asic[se]$/)) await twice(f, () => verdict(() => verify(arena.buf(f), opts)));
  });

  it('GOST samples', async () => {
    const registry = new AlgorithmRegistry().register(new GostProvider());
    for (const f of GOST) {
      const opts: VerifyOptions = {
        validationTime: new Date('2026-06-01T00:00:00Z'),
        registry,
        algorithmPolicy: GOST_ALGORITHM_POLICY,
        trustAnchors: [arena.buf(fx('gost/gost-root.pem'))],
        crls: [arena.buf(fx('gost/gost-root-empty.crl'))],
        detachedContent: f.includes('detached') ? arena.buf(fx('gost/document.txt')) : undefined,
      };
      await twice(f, () => verdict(() => verify(arena.buf(f), opts)));
    }
  });

  it('certificates, CRLs, OCSP responses and time-stamp tokens loaded on their own', async () => {
    const certs = paths.filter((p) => p.endsWith('.pem') && p.includes('/pki/'));
    await twice('certificates', async () => JSON.stringify(certs.map((p) => loadCertificates(arena.buf(p)).map((c) => c.subject.text))));
    const crls = paths.filter((p) => p.endsWith('.crl'));
    await twice('CRLs', async () => JSON.stringify(crls.map((p) => loadCrls(arena.buf(p)).map((c) => [c.issuer.text, c.thisUpdate.toISOString()]))));
    const ocsp = paths.filter((p) => p.includes('/ocsp/'));
    await twice('OCSP', async () => JSON.stringify(ocsp.map((p) => ParsedOcspResponse.fromDer(arena.buf(p)).producedAt?.toISOString?.() ?? p)));
    const si = parseCades(b('ltv/cades-t.p7s')).signers[0]!;
    const token = si.unsignedAttributes.get(OID.signatureTimeStampToken)![0]!.values[0]!.encoding;
    const ctx = createContext({ trustAnchors: [b('pki/kz-root.pem')], intermediates: [b('pki/kz-ca.pem')], crls: [b('crl/kz-ca-empty.crl')], validationTime: new Date(ltv.validationTime) });
    await twice('time-stamp token', async () => {
      const r = await validateTimestampToken(Buffer.from(token.buffer, token.byteOffset, token.byteLength), { imprint: { data: si.signatureValue }, ctx });
      return JSON.stringify([r.status, r.subIndication]);
    });
  });

  it('trust lists (XML and JSON) and agreements, with recognition', async () => {
    const countries = ['az', 'kz', 'kg', 'tr', 'uz', 'hu'];
    const lists = countries.map((cc) => ({ data: arena.buf(`trust-lists/${cc}-tl.xml`), name: `${cc}-tl.xml`, signingCertificates: [b(`pki/${cc}-tl-operator.pem`)] }));
    const lotl = { data: arena.buf('trust-lists/ots-lotl.xml'), name: 'ots-lotl.xml', signingCertificates: [b('pki/ots-lotl-operator.pem')] };
    const jsonLists = countries.map((cc) => ({ data: arena.buf(`trust-lists/json/${cc}-tl.json`), name: `${cc}-tl.json` }));
    const agreements = list('trust-lists/agreements', /\.json$/).map((p) => ({ data: arena.buf(p) }));
    await twice('loadTrustLists', async () => {
      const set = await loadTrustLists([lotl, ...lists, ...jsonLists], { time: new Date('2026-06-01T00:00:00Z') });
      return JSON.stringify(set.lists.map((l) => [l.name, l.integrity, l.sha256]));
    });
    for (const cc of ['az', 'kz', 'tr', 'uz']) {
      const file = `cades/${cc}-attached.p7s`;
      for (const [label, trust] of [['xml', { trustLists: [lotl, ...lists] }], ['json', { trustLists: jsonLists }]] as const) {
        const opts = { ...trust, agreements, relyingParty: cc === 'kz' ? 'UZ' : 'TR', validationTime: new Date(cades.validationTime) } as VerifyOptions;
        await twice(`${file} with ${label} lists`, () =>
          verdict(async () => {
            const r = await verify(b(file), opts);
            return { signatures: r.signatures.map((s) => ({ ...s, subIndication: `${s.subIndication} ${s.recognition?.status ?? 'no recognition'}` })) };
          }),
        );
      }
    }
  });
});
