import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';

/** The package entry points whose exports make the public API (package.json "exports"). */
export const ENTRY_POINTS = ['src/index.ts', 'src/gost.ts', 'src/node.ts'];

export interface Undocumented {
  readonly entry: string;
  readonly name: string;
  readonly declaredIn: string;
}

/**
 * Exports of the entry points with no doc comment on their declaration (the
 * text TypeDoc renders). A re-exported alias counts as documented when the
 * declaration it resolves to is. Used by test/api-docs.test.ts and `npm run docs`.
 */
export function undocumentedExports(root = fileURLToPath(new URL('..', import.meta.url))): Undocumented[] {
  const program = ts.createProgram(
    ENTRY_POINTS.map((e) => `${root}/${e}`),
    { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true },
  );
  const checker = program.getTypeChecker();
  const out: Undocumented[] = [];
  for (const entry of ENTRY_POINTS) {
    const sf = program.getSourceFile(`${root}/${entry}`)!;
    const moduleSymbol = checker.getSymbolAtLocation(sf)!;
    for (const exp of checker.getExportsOfModule(moduleSymbol)) {
      const target = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
      const documented = target.getDocumentationComment(checker).length > 0 || (target.declarations ?? []).some((d) => ts.getJSDocCommentsAndTags(d).length > 0);
      if (!documented) {
        const decl = target.declarations?.[0];
        out.push({ entry, name: exp.name, declaredIn: decl ? relative(root, decl.getSourceFile().fileName) : '?' });
      }
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const missing = undocumentedExports();
  for (const m of missing) console.log(`${m.entry}: ${m.name} (${m.declaredIn})`);
  console.log(`${missing.length} export(s) without a doc comment`);
  process.exitCode = missing.length ? 1 : 0;
}
