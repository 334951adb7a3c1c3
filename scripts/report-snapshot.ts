/**
 * Dumps the JSON reports of every committed fixture (the four manifests with the options their tests use,
 * recognition over the trusted lists and agreements, re-evaluation under the lenient preset, verifyCertificate
 * of every fixture certificate), one line per case, so a refactoring can be shown to leave reports
 * byte-identical: `tsx scripts/report-snapshot.ts > before.jsonl`, change, run again, `cmp`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect, evaluate, verify, verifyCertificate, type VerifyOptions } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const FIX = join(ROOT, 'fixtures');
const read = (p: string) => new Uint8Array(readFileSync(join(FIX, p)));
const json = (p: string) => JSON.parse(readFileSync(join(FIX, p), 'utf8'));
const currentCrls = readdirSync(join(FIX, 'crl/current'))
  .filter((f) => f.endsWith('.crl'))
  .sort()
  .map((f) => `crl/current/${f}`);

async function dump(name: string, run: () => Promise<unknown>): Promise<void> {
  let out: unknown;
  try {
    out = await run();
  } catch (e) {
    out = { error: (e as { code?: string }).code ?? String(e), message: (e as Error).message };
  }
  process.stdout.write(`${name}\t${JSON.stringify(out)}\n`);
}

async function both(name: string, input: Uint8Array, options: VerifyOptions): Promise<void> {
  await dump(name, () => verify(input, options));
  await dump(`${name} (lenient re-evaluation)`, async () => evaluate(await collect(input, options), { policy: 'lenient' }));
}

const main = json('manifest.json');
for (const s of main.samples) {
  await both(`main/${s.id}`, read(s.file), {
    validationTime: new Date(main.validationTime),
    trustAnchors: s.trustAnchors.map(read),
    timestampAnchors: (s.timestampAnchors ?? []).map(read),
    intermediates: (s.intermediates ?? []).map(read),
    crls: [...(s.crls ?? []), ...currentCrls].map(read),
    detachedContent: s.content ? read(s.content) : undefined,
  });
}

const xades = json('xades/manifest.json');
for (const s of xades.samples) {
  await both(`xades/${s.id}`, read(s.file), {
    trustAnchors: s.trustAnchors.map(read),
    timestampAnchors: (s.timestampAnchors ?? []).map(read),
    crls: [...s.crls, ...currentCrls].map(read),
    validationTime: new Date(xades.validationTime),
    detachedFiles: s.detached ? Object.fromEntries(Object.entries(s.detached as Record<string, string>).map(([k, v]) => [k, read(v)])) : undefined,
  });
}

const ltv = json('ltv/manifest.json');
for (const s of ltv.samples) {
  await both(`ltv/${s.id}`, read(s.file), {
    trustAnchors: ltv.trustAnchors.map(read),
    timestampAnchors: ltv.timestampAnchors.map(read),
    crls: [...s.crls, 'crl/current/kz-root.crl'].map(read),
    ocspResponses: s.ocspResponses.map(read),
    validationTime: new Date(ltv.validationTime),
  });
}

const gost = json('gost/manifest.json');
for (const file of Object.keys(gost.samples)) {
  await both(`gost/${file}`, read(`gost/${file}`), {
    trustAnchors: [new Uint8Array(readFileSync(join(ROOT, gost.trustAnchor)))],
    crls: [new Uint8Array(readFileSync(join(ROOT, gost.crl)))],
    detachedContent: new Uint8Array(readFileSync(join(ROOT, gost.content))),
    validationTime: new Date(gost.validationTime),
  });
}

await both('policy/kz-sha1-t', read('policy/kz-sha1-t.p7s'), {
  trustAnchors: [read('pki/kz-root.pem')],
  timestampAnchors: [read('pki/kz-root.pem')],
  crls: currentCrls.map(read),
  validationTime: new Date(main.validationTime),
});

// Recognition: every national signer against every relying party, with the list-of-lists, the national lists and the agreements.
const tl = (p: string) => new Uint8Array(readFileSync(join(ROOT, 'trust-lists', p)));
const lists = [
  { data: tl('ots-lotl.xml'), name: 'ots-lotl.xml', signingCertificates: [read('pki/ots-lotl-operator.pem')] },
  ...['az', 'hu', 'kg', 'kz', 'tr', 'uz'].map((cc) => ({ data: tl(`${cc}-tl.xml`), name: `${cc}-tl.xml` })),
];
const agreements = readdirSync(join(ROOT, 'trust-lists/agreements'))
  .sort()
  .map((f) => ({ data: tl(`agreements/${f}`) }));
for (const cc of ['az', 'hu', 'kg', 'kz', 'tm', 'tr', 'uz']) {
  for (const rp of ['AZ', 'KZ', 'TR', 'UZ']) {
    for (const purpose of [undefined, 'tax-declaration']) {
      for (const time of ['2025-09-01T00:00:00Z', main.validationTime as string]) {
        await dump(`recognition/${cc}->${rp}/${purpose ?? '-'}/${time}`, () =>
          verify(read(`cades/${cc}-attached.p7s`), { trustLists: lists, agreements, relyingParty: rp, purpose, crls: currentCrls.map(read), validationTime: new Date(time) }),
        );
      }
    }
  }
}

// verifyCertificate of every fixture certificate against every fixture root.
const roots = readdirSync(join(FIX, 'pki')).filter((f) => f.endsWith('-root.pem')).sort();
for (const f of readdirSync(join(FIX, 'pki')).sort()) {
  if (!f.endsWith('.pem')) continue;
  await dump(`certificate/${f}`, () =>
    verifyCertificate(read(`pki/${f}`), {
      trustAnchors: roots.map((r) => read(`pki/${r}`)),
      intermediates: readdirSync(join(FIX, 'pki')).filter((x) => x.endsWith('-ca.pem')).sort().map((x) => read(`pki/${x}`)),
      crls: currentCrls.map(read),
      validationTime: new Date(main.validationTime),
    }),
  );
}

// Inputs made elsewhere (e.g. counter-signed CMS from test/helpers/counter-sign.ts, saved once so both runs see the same bytes):
// SNAPSHOT_EXTRA=dir holding *.p7s / *.xml, CRLs *.crl and intermediates *.der, validated against every fixture root.
const extra = process.env.SNAPSHOT_EXTRA;
if (extra) {
  const files = readdirSync(extra).sort();
  const bytes = (f: string) => new Uint8Array(readFileSync(join(extra, f)));
  const options: VerifyOptions = {
    trustAnchors: roots.map((r) => read(`pki/${r}`)),
    intermediates: files.filter((f) => f.endsWith('.der')).map(bytes),
    crls: files.filter((f) => f.endsWith('.crl')).map(bytes),
    validationTime: new Date('2026-06-01T00:00:00Z'),
  };
  for (const f of files.filter((x) => x.endsWith('.p7s') || x.endsWith('.xml'))) {
    await both(`extra/${f}`, bytes(f), options);
    await dump(`extra/${f} (recognition)`, () => verify(bytes(f), { ...options, trustLists: lists, agreements, relyingParty: 'AZ' }));
  }
}
