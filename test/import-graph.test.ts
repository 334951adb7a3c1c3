import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYERS, REPORT_BUILDERS, cyclePath, findCycles, layerOf, reportImports, scanImports, upwardEdges } from './helpers/import-graph.js';

// IMPORT_GRAPH_SRC checks another tree with the same rule (e.g. an older commit's src/ extracted with git archive).
const SRC = process.env.IMPORT_GRAPH_SRC ?? fileURLToPath(new URL('../src/', import.meta.url));

describe('the layer rule of src/ (docs/architecture.md)', () => {
  const graph = scanImports(SRC);

  it('every module belongs to a layer', () => {
    expect(graph.modules.filter((m) => layerOf(m) === undefined), 'add these to LAYERS in test/helpers/import-graph.ts').toEqual([]);
  });

  it('has no import cycle, type-only and dynamic imports counted', () => {
    const cycles = findCycles(graph).map((g) => `{${g.join(", ")}}, e.g. ${cyclePath(graph, g)}`);
    expect(cycles, `import cycles:\n  ${cycles.join('\n  ')}`).toEqual([]);
  });

  it('has no edge from a lower layer to a higher one', () => {
    const upward = upwardEdges(graph);
    expect(upward, `edges against the layer table (${LAYERS.map((l) => l.name).join(' < ')}):\n  ${upward.join('\n  ')}`).toEqual([]);
  });

  it('report types are the output: below the facades nothing imports report/ (the stage returns its own outcome)', () => {
    expect(reportImports(graph), `use etsi/ for the vocabulary and the stage's outcome types; only ${REPORT_BUILDERS.join(', ')} build the report`).toEqual([]);
    // The facades do build it (else the rule above would hold vacuously for a tree that never builds a report).
    expect(graph.edges.some((e) => e.from === 'validation/verify' && e.to === 'report/signature')).toBe(true);
  });

  it('docs/architecture.md shows the same layers in the same order', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(fileURLToPath(new URL('../docs/architecture.md', import.meta.url)), 'utf8');
    const table = doc.slice(doc.indexOf('# Architecture'), doc.indexOf('## Layout'));
    const names = [...table.matchAll(/^\| ([a-z][a-z ]*) \|/gm)].map((m) => m[1]!.replace(/ /g, '-')).filter((n) => n !== 'layer');
    expect(names).toEqual(LAYERS.map((l) => l.name));
  });

  it('pki/ does not speak ETSI: no sub-indication or report name in its source', async () => {
    const { readFileSync } = await import('node:fs');
    const pki = graph.modules.filter((m) => m.startsWith('pki/'));
    expect(pki.length).toBeGreaterThan(5);
    const speaking = pki.filter((m) => /SubIndication|_NO_POE|CHAIN_CONSTRAINTS_FAILURE|NO_CERTIFICATE_CHAIN_FOUND/.test(readFileSync(join(SRC, `${m}.ts`), 'utf8')));
    expect(speaking).toEqual([]);
  });
});

describe('the checker itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ots-import-graph-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };

  it('sees type-only, re-export, dynamic and import-type edges, and reports their cycles and upward edges', () => {
    // A cycle made only of a type import one way and a dynamic import the other; pki reaching up into the report.
    write('pki/a.ts', "import type { B } from './b.js';\nexport type A = B | 1;\n");
    write('pki/b.ts', "export async function b() { return (await import('./a.js')) as unknown; }\nexport type B = 2;\n");
    write('pki/c.ts', "export type { SubIndication } from '../report/indication.js';\nexport type D = import('../validation/options.js').X;\n");
    write('report/indication.ts', 'export type SubIndication = string;\n');
    write('validation/options.ts', 'export type X = 1;\n');
    write('util/d.ts', "import { b } from '../pki/b.js';\nexport const d = b;\n");
    const g = scanImports(dir);
    expect(new Set(g.edges.map((e) => `${e.from}>${e.to}:${e.kind}`))).toEqual(
      new Set(['pki/a>pki/b:type', 'pki/b>pki/a:dynamic', 'pki/c>report/indication:type', 'pki/c>validation/options:type', 'util/d>pki/b:static']),
    );
    expect(findCycles(g)).toEqual([['pki/a', 'pki/b']]);
    expect(findCycles(g, ['static'])).toEqual([]);
    expect(cyclePath(g, ['pki/a', 'pki/b'])).toBe('pki/a -> pki/b -> pki/a');
    expect(upwardEdges(g).sort()).toEqual([
      'pki/c (pki) -> report/indication (report) [type]',
      'pki/c (pki) -> validation/options (stage) [type]',
      'util/d (base) -> pki/b (pki) [static]',
    ]);
  });

  it('flags report/ imports of the stage and front ends, not of the facades', () => {
    const d2 = mkdtempSync(join(tmpdir(), 'ots-import-graph-report-'));
    try {
      const put = (rel: string, text: string) => {
        mkdirSync(dirname(join(d2, rel)), { recursive: true });
        writeFileSync(join(d2, rel), text);
      };
      put('report/model.ts', 'export type R = 1;\n');
      put('etsi/check.ts', 'export type C = 1;\n');
      put('stage/signature.ts', "import type { R } from '../report/model.js';\nimport type { C } from '../etsi/check.js';\nexport type S = R | C;\n");
      put('validation/verify.ts', "import type { R } from '../report/model.js';\nexport type V = R;\n");
      put('validation/chain.ts', "export type X = import('../report/model.js').R;\n");
      put('cli/main.ts', "import type { R } from '../report/model.js';\nexport type M = R;\n");
      expect(reportImports(scanImports(d2)).sort()).toEqual(['stage/signature -> report/model [type]', 'validation/chain -> report/model [type]']);
    } finally {
      rmSync(d2, { recursive: true, force: true });
    }
  });

  it('places a module by its most specific member', () => {
    const rank = (name: string) => LAYERS.findIndex((l) => l.name === name);
    expect(layerOf('cades/parse')).toBe(rank('syntax'));
    expect(layerOf('cades/validate')).toBe(rank('stage'));
    expect(layerOf('cades/anything-new')).toBe(rank('formats'));
    expect(layerOf('trust/recognize')).toBe(rank('recognition'));
    expect(layerOf('trust/load')).toBe(rank('trust-sources'));
    expect(layerOf('stage/psv')).toBe(rank('stage'));
    expect(layerOf('policy/model')).toBeLessThan(rank('net'));
    expect(layerOf('policy/model')).toBeGreaterThan(rank('pki'));
    expect(layerOf('validation/verify')).toBe(rank('api'));
    expect(layerOf('validation/verify-certificate')).toBe(rank('api'));
    expect(layerOf('validation/chain')).toBe(rank('stage'));
    expect(layerOf('etsi/check')).toBe(rank('vocabulary'));
    expect(layerOf('report/model')).toBe(rank('report'));
    expect(layerOf('report/text')).toBe(rank('output'));
    expect(rank('vocabulary')).toBeLessThan(rank('formats'));
    expect(rank('stage')).toBeLessThan(rank('report'));
    expect(rank('report')).toBeLessThan(rank('recognition'));
    expect(layerOf('nowhere/x')).toBeUndefined();
  });
});
