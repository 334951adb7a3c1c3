import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { FIXTURE_CRL_FILES } from './helpers/fixtures.js';
import { describeIf } from './helpers/skip.js';

// ASiC containers made by fixtures/gen-asic.ts over the test PKI; expectations in fixtures/asic/manifest.json.
interface Verdict {
  indication: string;
  subIndication: string | null;
}
interface Sample {
  id: string;
  file: string;
  description: string;
  trustAnchors: string[];
  timestampAnchors: string[];
  expect?: { container: Verdict; signatures: Verdict[]; checks?: { id: string; status: string }[] };
  error?: { code: string; limit?: string };
  xmlsec1?: { signature: string; files: string[] };
  openssl?: { signature: string; content: string };
}
const dir = new URL('../fixtures/', import.meta.url);
const read = (p: string) => new Uint8Array(readFileSync(new URL(p, dir)));
const manifest = JSON.parse(readFileSync(new URL('asic/manifest.json', dir), 'utf8')) as { validationTime: string; samples: Sample[] };

function options(s: Sample) {
  return {
    trustAnchors: s.trustAnchors.map(read),
    timestampAnchors: s.timestampAnchors.map(read),
    crls: FIXTURE_CRL_FILES.map(read),
    validationTime: new Date(manifest.validationTime),
  };
}

describe('ASiC fixtures (fixtures/asic/manifest.json)', () => {
  for (const s of manifest.samples) {
    it(`${s.id}: ${s.description}`, async () => {
      if (s.error) {
        await expect(verify(read(s.file), options(s))).rejects.toMatchObject(s.error);
        return;
      }
      const r = await verify(read(s.file), options(s));
      const c = r.container!;
      expect({ indication: c.indication, subIndication: c.subIndication }).toEqual(s.expect!.container);
      expect(r.signatures.map((x) => ({ indication: x.indication, subIndication: x.subIndication }))).toEqual(s.expect!.signatures);
      const all = [...c.checks, ...r.signatures.flatMap((x) => x.checks)];
      for (const want of s.expect!.checks ?? []) expect(all.filter((x) => x.id === want.id).map((x) => x.status), want.id).toContain(want.status);
    });
  }
});

describe('ASiC report section', () => {
  const sample = (id: string) => manifest.samples.find((s) => s.id === id)!;

  it('ASiC-E XAdES: type, mimetype, entries with roles, what the signature covers', async () => {
    const r = await verify(read(sample('kz-asice-xades').file), options(sample('kz-asice-xades')));
    const c = r.container!;
    expect(c.type).toBe('ASiC-E');
    expect(c.mimetype).toBe('application/vnd.etsi.asic-e+zip');
    expect(c.entries.map((e) => [e.name, e.role])).toEqual([
      ['mimetype', 'mimetype'],
      ['document.txt', 'data'],
      ['data/report.csv', 'data'],
      ['META-INF/manifest.xml', 'metadata'],
      ['META-INF/signatures0.xml', 'signature'],
    ]);
    expect(c.signatures).toEqual([{ signature: r.signatures[0]!.id, file: 'META-INF/signatures0.xml', covers: ['document.txt', 'data/report.csv'] }]);
    expect(r.signatures[0]!.id).toBe("META-INF/signatures0.xml#Signature[@Id='S0']");
    expect(c.notCovered).toEqual([]);
    expect(c.warnings).toEqual([]);
  });

  it('ASiC-E CAdES: the manifest each signature signs and the entries its digests bind', async () => {
    const r = await verify(read(sample('kz-asice-cades').file), options(sample('kz-asice-cades')));
    expect(r.container!.signatures).toEqual([{ signature: 'META-INF/signature001.p7s#signerInfo[0]', file: 'META-INF/signature001.p7s', manifest: 'META-INF/ASiCManifest.xml', covers: ['document.txt', 'data/report.csv'] }]);
    expect(r.signatures[0]!.checks.filter((x) => x.id === 'cv.asic-manifest').map((x) => x.status)).toEqual(['PASSED', 'PASSED']);
  });

  it('a manifest mismatch is listed with the entry and the manifest', async () => {
    const r = await verify(read(sample('kz-asice-cades-manifest-digest-wrong').file), options(sample('kz-asice-cades-manifest-digest-wrong')));
    expect(r.container!.manifestMismatches).toEqual([{ manifest: 'META-INF/ASiCManifest.xml', entry: 'data/report.csv', detail: expect.stringContaining('does not match its DataObjectReference digest') }]);
    expect(r.container!.signatures[0]!.covers).toEqual(['document.txt']);
  });

  it('an added entry is listed as not covered; the signature keeps its own verdict', async () => {
    const r = await verify(read(sample('kz-asice-xades-entry-added').file), options(sample('kz-asice-xades-entry-added')));
    expect(r.container!.notCovered).toEqual(['added.txt']);
    expect(r.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });

  it('ASiC-S time-stamp: validated over the data object, genTime and TSA reported', async () => {
    const r = await verify(read(sample('kz-asics-timestamp').file), options(sample('kz-asics-timestamp')));
    expect(r.container!.timestamps).toMatchObject([{ file: 'META-INF/timestamp.tst', covers: ['document.txt'], status: 'PASSED', genTime: '2026-05-15T10:05:00.000Z', tsa: expect.stringContaining('KZ Test TSA') }]);
  });

  it('nested (depth 2): the inner ASiC-E under container.inner, its signature among the signatures, the outer time-stamp over its bytes', async () => {
    const s = sample('nested-asics-timestamp');
    const bytes = read(s.file);
    const r = await verify(bytes, options(s));
    const c = r.container!;
    expect(c.type).toBe('ASiC-S');
    expect(c.entries.find((e) => e.name === 'inner.asice')!.nested?.kind).toBe('ASiC-E');
    expect(c.timestamps).toMatchObject([{ file: 'META-INF/timestamp.tst', covers: ['inner.asice'], status: 'PASSED' }]);
    expect(c.signatures).toEqual([]);
    expect(c.inner).toHaveLength(1);
    const inner = c.inner![0]!;
    expect(inner.entry).toBe('inner.asice');
    expect(inner.container.type).toBe('ASiC-E');
    expect(inner.container.indication).toBe('TOTAL-PASSED');
    expect(inner.container.signatures).toEqual([{ signature: "inner.asice!/META-INF/signatures0.xml#Signature[@Id='S0']", file: 'META-INF/signatures0.xml', covers: ['document.txt', 'data/report.csv'] }]);
    expect(r.signatures.map((x) => [x.id, x.indication])).toEqual([["inner.asice!/META-INF/signatures0.xml#Signature[@Id='S0']", 'TOTAL-PASSED']]);
    expect(c.warnings.join(' ')).not.toMatch(/not validated here/);
  });

  it('nested: an entry added inside the inner container fails the outer time-stamp (HASH_FAILURE) and the inner coverage; the outer container is TOTAL-FAILED', async () => {
    const s = sample('nested-inner-entry-added');
    const r = await verify(read(s.file), options(s));
    const c = r.container!;
    expect(c.timestamps[0]).toMatchObject({ status: 'FAILED', subIndication: 'HASH_FAILURE' });
    expect(c.inner![0]!.container.notCovered).toEqual(['added.txt']);
    expect(c.inner![0]!.container.indication).toBe('TOTAL-FAILED');
    expect(c.indication).toBe('TOTAL-FAILED');
  });

  it('nested: an inner container is read one level deeper; maxContainerDepth 1 refuses even depth 2', async () => {
    const s = sample('nested-asics-timestamp');
    await expect(verify(read(s.file), { ...options(s), limits: { maxContainerDepth: 1 } })).rejects.toMatchObject({ code: 'ERR_LIMIT_EXCEEDED', limit: 'container.depth' });
  });

  it('a legacy DigiDoc (DDOC) file is refused with a clear message, not judged as XAdES', async () => {
    // The shape of a DDOC 1.3 (SignedDoc with an embedded DataFile and a ds:Signature), made here.
    const ddoc = new TextEncoder().encode('<?xml version="1.0" encoding="UTF-8"?><SignedDoc format="DIGIDOC-XML" version="1.3" xmlns="http://www.sk.ee/DigiDoc/v1.3.0#"><DataFile ContentType="EMBEDDED_BASE64" Filename="a.txt" Id="D0">YQ==</DataFile><Signature Id="S0" xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/><SignatureValue>AA==</SignatureValue></Signature></SignedDoc>');
    await expect(verify(ddoc)).rejects.toMatchObject({ code: 'ERR_INPUT_FORMAT', message: expect.stringMatching(/legacy DigiDoc \(DDOC.*not supported/) });
  });

  it('a compressed mimetype is a warning', async () => {
    const r = await verify(read(sample('kz-asice-mimetype-compressed').file), options(sample('kz-asice-mimetype-compressed')));
    expect(r.container!.warnings).toContain('"mimetype" is compressed; EN 319 162-1 A.1 requires it stored');
  });

  it('partial coverage: two signatures, one covering only one file', async () => {
    // Built here: the ASiC-E XAdES container plus an ASiC-S-style signature file covering document.txt only.
    const full = unzipSync(read(sample('kz-asice-xades').file));
    const one = unzipSync(read(sample('kz-asics-xades').file))['META-INF/signatures.xml']!;
    const { zipSync } = await import('fflate');
    const bytes = zipSync({ mimetype: [full['mimetype']!, { level: 0 }], 'document.txt': full['document.txt']!, 'data/report.csv': full['data/report.csv']!, 'META-INF/signatures0.xml': full['META-INF/signatures0.xml']!, 'META-INF/signatures1.xml': one });
    const r = await verify(bytes, options(sample('kz-asice-xades')));
    expect(r.signatures.map((x) => x.indication)).toEqual(['TOTAL-PASSED', 'TOTAL-PASSED']);
    expect(r.container!.partiallyCovered).toEqual(['data/report.csv']);
    expect(r.container!.indication).toBe('TOTAL-PASSED');
  });
});

// Independent cross-checks on signatures extracted from the containers.
const tmp = mkdtempSync(join(tmpdir(), 'ots-asic-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
function has(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
function extract(s: Sample): string {
  const root = join(tmp, s.id);
  for (const [name, data] of Object.entries(unzipSync(read(s.file)))) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), data);
  }
  return root;
}
const fixturesDir = new URL('.', dir).pathname;

describeIf(has('xmlsec1', ['--version']), 'xmlsec1 is not installed')('xmlsec1 verifies the XAdES signature extracted from an ASiC-E', () => {
  for (const s of manifest.samples.filter((x) => x.xmlsec1)) {
    it(s.id, () => {
      const root = extract(s);
      const args = (files: string[]) => [
        '--verify',
        '--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties',
        '--enabled-key-data', 'x509',
        '--trusted-pem', join(fixturesDir, 'pki/kz-root.pem'),
        '--verification-gmt-time', '2026-06-01+00:00:00',
        ...files.flatMap((f) => [`--url-map:${encodeURI(f)}`, join(root, f)]),
        join(root, s.xmlsec1!.signature),
      ];
      expect(() => execFileSync('xmlsec1', args(s.xmlsec1!.files), { stdio: 'pipe' })).not.toThrow();
      // And it can fail: with one data object swapped for another it does not verify.
      expect(() => execFileSync('xmlsec1', args(s.xmlsec1!.files).map((a) => (a === join(root, s.xmlsec1!.files[1]!) ? join(root, s.xmlsec1!.files[0]!) : a)), { stdio: 'pipe' })).toThrow();
    });
  }
});

describeIf(has('openssl', ['version']), 'openssl is not installed')('openssl cms verifies the CAdES signature extracted from an ASiC', () => {
  for (const s of manifest.samples.filter((x) => x.openssl)) {
    it(s.id, () => {
      const root = extract(s);
      const args = (content: string) => ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(root, s.openssl!.signature), '-content', content, '-CAfile', join(fixturesDir, 'pki/kz-root.pem'), '-purpose', 'any', '-attime', String(Date.parse('2026-06-01T00:00:00Z') / 1000), '-out', '/dev/null'];
      expect(() => execFileSync('openssl', args(join(root, s.openssl!.content)), { stdio: 'pipe' })).not.toThrow();
      expect(() => execFileSync('openssl', args(join(fixturesDir, 'pki/kz-root.pem')), { stdio: 'pipe' })).toThrow();
    });
  }
});
