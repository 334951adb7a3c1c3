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
 * text TypeDoc renders), and public methods and accessors of exported classes
 * without one (named `Class.member`). A re-exported alias counts as documented
 * when the declaration it resolves to is; a member that overrides or implements
 * a documented one inherits its comment (as in TypeDoc). Used by
 * test/api-docs.test.ts and `npm run docs`.
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
      if (target.flags & ts.SymbolFlags.Class) out.push(...undocumentedMembers(checker, target, entry, exp.name, root));
    }
  }
  return out;
}

/** Public methods and accessors (static or not) of an exported class that have no doc comment of their own or inherited. */
function undocumentedMembers(checker: ts.TypeChecker, cls: ts.Symbol, entry: string, className: string, root: string): Undocumented[] {
  const out: Undocumented[] = [];
  for (const decl of cls.declarations ?? []) {
    if (!ts.isClassDeclaration(decl)) continue;
    for (const member of decl.members) {
      if (!(ts.isMethodDeclaration(member) || ts.isGetAccessorDeclaration(member) || ts.isSetAccessorDeclaration(member))) continue;
      const flags = ts.getCombinedModifierFlags(member);
      if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || !member.name || ts.isPrivateIdentifier(member.name)) continue;
      const symbol = checker.getSymbolAtLocation(member.name);
      if (!symbol) continue;
      const own = ts.getJSDocCommentsAndTags(member).length > 0;
      // Overloads: one documented signature documents the method.
      const documented = own || symbol.getDocumentationComment(checker).length > 0 || (symbol.declarations ?? []).some((d) => ts.getJSDocCommentsAndTags(d).length > 0);
      if (!documented && !out.some((u) => u.name === `${className}.${symbol.name}`)) {
        out.push({ entry, name: `${className}.${symbol.name}`, declaredIn: relative(root, decl.getSourceFile().fileName) });
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
