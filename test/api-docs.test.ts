/**
 * Docs that cannot drift (#21): every export of the package's entry points has
 * a doc comment (what TypeDoc renders, `npm run docs`); the README's error
 * table names every error class and code; the README's TypeScript samples
 * compile under strict tsc against the package's sources.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { undocumentedExports } from '../scripts/undocumented-exports.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/**
 * Values the samples use without making them (the caller's bytes and PEM files): declared here so a sample
 * reads like user code, with the types a user would hold.
 */
const SAMPLE_INPUTS = `
declare const signatureBytes: Uint8Array;
declare const bytes: Uint8Array;
declare const cms: Uint8Array;
declare const documentBytes: Uint8Array;
declare const rootPem: string;
declare const tsaRootPem: string;
declare const caPem: string;
declare const crlDer: Uint8Array;
declare const crls: Uint8Array[];
declare const trustAnchors: string[];
declare const trustLists: import('ots-esig').TrustSet;
declare const lotlXml: Uint8Array;
declare const kzTlXml: Uint8Array;
declare const lotlOperatorPem: string;
declare const azTrAgreementJson: string;
declare const azOperatorPem: string;
declare const trOperatorPem: string;
`;

describe('API reference', () => {
  it('every export of ots-esig, ots-esig/gost and ots-esig/node, and every public method and accessor of an exported class, has a doc comment', () => {
    expect(undocumentedExports(ROOT).map((u) => `${u.entry}: ${u.name} (${u.declaredIn})`)).toEqual([]);
  }, 60_000);
});

describe('README', () => {
  it('the errors table names every error class the package exports and every ErrorCode', () => {
    const table = README.slice(README.indexOf('| class | `code` | when |'));
    const rows = table.slice(0, table.indexOf('\n\n'));
    const classes = Object.entries(api).filter(([, v]) => typeof v === 'function' && v.prototype instanceof api.OtsEsigError).map(([k]) => k);
    expect(classes.length).toBeGreaterThanOrEqual(6);
    for (const c of classes) expect(rows, c).toContain(`| \`${c}\` |`);
    const codes = [...readFileSync(join(ROOT, 'src/errors.ts'), 'utf8').matchAll(/\| '(ERR_[A-Z_]+)'/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThanOrEqual(6);
    for (const code of codes) expect(rows, code).toContain(`\`${code}\``);
  });

  it('the TypeScript samples compile under strict tsc against the package', () => {
    const blocks = [...README.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const dir = mkdtempSync(join(tmpdir(), 'ots-readme-samples-'));
    try {
      const files = blocks.map((code, i) => {
        const f = join(dir, `sample-${i + 1}.ts`);
        // Each block is a module of its own (top-level await, its own imports).
        writeFileSync(f, `${code}\nexport {};\n`);
        return f;
      });
      writeFileSync(join(dir, 'inputs.d.ts'), SAMPLE_INPUTS);
      const program = ts.createProgram([...files, join(dir, 'inputs.d.ts')], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
        skipLibCheck: true,
        paths: {
          'ots-esig': [join(ROOT, 'src/index.ts')],
          'ots-esig/gost': [join(ROOT, 'src/gost.ts')],
          'ots-esig/node': [join(ROOT, 'src/node.ts')],
        },
      });
      const errors = ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file === undefined || d.file.fileName.startsWith(dir))
        .map((d) => `${d.file ? d.file.fileName.slice(dir.length + 1) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      expect(errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
