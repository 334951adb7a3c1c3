// Every package the build copies into dist/ (tsup's noExternal) must be named in NOTICE with the
// version installed and its licence text: a bundle carries their code, so it must carry their notices.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const notice = readFileSync(new URL('NOTICE', root), 'utf8');
const config = readFileSync(new URL('tsup.config.ts', root), 'utf8');
const bundled = [...new Set([...config.matchAll(/noExternal:\s*\[([^\]]*)\]/g)].flatMap((m) => [...m[1]!.matchAll(/'([^']+)'/g)].map((x) => x[1]!)))];

describe('NOTICE covers the bundled packages', () => {
  it('finds the bundled packages in tsup.config.ts', () => {
    expect(bundled).toEqual(expect.arrayContaining(['node-gost-crypto', 'pkijs', 'asn1js']));
  });
  for (const name of bundled) {
    it(`${name}: named with its installed version and its licence text`, () => {
      const pkg = JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, root), 'utf8')) as { version: string };
      expect(notice).toContain(`${name} ${pkg.version}`);
      if (name === 'node-gost-crypto') return; // its notices are the per-file headers quoted in NOTICE
      const licence = readFileSync(new URL(`node_modules/${name}/LICENSE`, root), 'utf8');
      const firstLines = licence.trim().split('\n').slice(0, 3).map((l) => l.trim()).filter(Boolean);
      for (const line of firstLines) expect(notice).toContain(line);
    });
  }
});
