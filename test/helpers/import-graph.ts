/**
 * The import graph of src/ and the layer rule it must keep (docs/architecture.md).
 *
 * Every relative import counts: static, `import type`, `export … from`, dynamic `import()` and
 * `import('…').T` type queries. A type-only cycle is still a cycle (the modules cannot be
 * understood or moved apart), so the rule is zero cycles with types counted.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export type EdgeKind = 'static' | 'type' | 'dynamic';

export interface ImportEdge {
  /** Module ids: the path under src/ without `.ts`, e.g. `pki/path-validator`. */
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

export interface ImportGraph {
  readonly modules: readonly string[];
  readonly edges: readonly ImportEdge[];
}

/**
 * Layers, lowest first. A module may import modules of its own layer or a lower one, never a
 * higher one. Members are directories (`pki/`) or single modules (`cades/parse`); the most
 * specific member decides (a module beats its directory, a longer directory a shorter one).
 * Data flows detect → formats → stage → report → recognition → output; the layers below the formats
 * are the libraries they all use.
 */
export const LAYERS: readonly { readonly name: string; readonly members: readonly string[]; readonly why: string }[] = [
  { name: 'base', members: ['errors', 'version', 'limits', 'util/'], why: 'errors, resource limits, byte/DER/PEM helpers' },
  { name: 'crypto', members: ['crypto/'], why: 'algorithm registry, providers, algorithm policy with dates' },
  { name: 'pki', members: ['pki/'], why: 'RFC 5280 certificates, CRLs, path building and validation; own failure kinds, no ETSI terms, no validation policy' },
  { name: 'policy', members: ['policy/'], why: 'the validation policy (typed data, presets): read by everything above pki' },
  { name: 'net', members: ['net/'], why: 'offline-by-default fetcher, AIA' },
  {
    name: 'syntax',
    members: ['detect', 'xml/', 'cades/parse', 'cades/model', 'cades/attributes', 'cades/ess'],
    why: 'input detection and parsers: secure XML, CMS (time-stamp tokens are CMS too)',
  },
  { name: 'evidence', members: ['revocation/', 'tsp/'], why: 'OCSP/CRL sources, RFC 3161 tokens, ATSv3 input' },
  {
    name: 'vocabulary',
    members: ['etsi/'],
    why: 'EN 319 102-1 vocabulary: building blocks, check outcomes and their accumulator, indications, sub-indications (pki, net, revocation never use it)',
  },
  { name: 'formats', members: ['cades/', 'xades/', 'asic/'], why: 'format front ends: collect facts (integrity, signer candidate, algorithms, embedded data, times); asic/ reads ASiC containers' },
  { name: 'trust-sources', members: ['trust/'], why: 'trusted lists and agreements loaded into anchors and TSA services the stage uses' },
  {
    name: 'stage',
    members: ['stage/', 'validation/', 'tsp/validate', 'tsp/index', 'cades/validate', 'xades/validate', 'xades/timestamps', 'asic/collect', 'asic/bdoc'],
    why: 'the signature stage: path/XCV, time-stamps and POE, revocation, algorithms, verdict under a policy (per-format drivers until #16 moves them into stage/)',
  },
  {
    name: 'report',
    members: ['report/', 'asic/evaluate', 'asic/extract', 'asic/index'],
    why: 'the report model and its builder (report/signature) from the stage outcome, called by the facades once judging is done; report/check and report/indication re-export etsi/; asic/ builds the container section',
  },
  { name: 'recognition', members: ['trust/context', 'trust/recognize'], why: 'recognition of a verdict between OTS members (TS 119 612 lists, agreements): adds to the built report' },
  { name: 'output', members: ['report/text', 'report/text-i18n', 'report/html', 'report/i18n/', 'report/etsi-xml', 'maintain/'], why: 'report renderers (text, ETSI XML), trust-list maintenance tools' },
  {
    name: 'api',
    members: ['validation/verify', 'validation/verify-certificate', 'index', 'node', 'gost', 'cli/', 'server/'],
    why: 'verify() / verifyCertificate() run the pipeline and build the report; entry points, CLI and the HTTP service / queue (Node only)',
  },
];

export function layerOf(module: string): number | undefined {
  let best: { rank: number; score: number } | undefined;
  LAYERS.forEach((layer, rank) => {
    for (const m of layer.members) {
      const score = m.endsWith('/') ? (module.startsWith(m) ? m.length : -1) : module === m ? Number.MAX_SAFE_INTEGER : -1;
      if (score >= 0 && (!best || score > best.score)) best = { rank, score };
    }
  });
  return best?.rank;
}

function listTs(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) listTs(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export function scanImports(root: string): ImportGraph {
  root = resolve(root);
  const id = (file: string) => relative(root, file).split('\\').join('/').replace(/\.ts$/, '');
  const files = listTs(root).sort();
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const add = (spec: string, kind: EdgeKind) => {
      if (!spec.startsWith('.')) return; // packages and node: builtins are outside the graph
      const base = resolve(dirname(file), spec).replace(/\.js$/, '');
      const target = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
      if (!target) throw new Error(`${id(file)}: import '${spec}' resolves to no module under ${root}`);
      edges.push({ from: id(file), to: id(target), kind });
    };
    const visit = (n: ts.Node) => {
      if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
        const c = n.importClause;
        const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
        const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
        add(n.moduleSpecifier.text, typeOnly ? 'type' : 'static');
      } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
        const named = n.exportClause && ts.isNamedExports(n.exportClause) ? n.exportClause.elements : undefined;
        add(n.moduleSpecifier.text, n.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)) ? 'type' : 'static');
      } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const arg = n.arguments[0];
        if (arg && ts.isStringLiteralLike(arg)) add(arg.text, 'dynamic');
        else throw new Error(`${id(file)}: import() of a computed specifier cannot be checked`);
      } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
        add(n.argument.literal.text, 'type');
      }
      ts.forEachChild(n, visit);
    };
    visit(source);
  }
  return { modules: files.map(id), edges };
}

/** Strongly connected components of more than one module (or a module importing itself), each sorted. */
export function findCycles(graph: ImportGraph, kinds: readonly EdgeKind[] = ['static', 'type', 'dynamic']): string[][] {
  const adj = new Map<string, string[]>(graph.modules.map((m) => [m, []]));
  for (const e of graph.edges) if (kinds.includes(e.kind)) adj.get(e.from)?.push(e.to);
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of adj.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || adj.get(v)!.includes(v)) out.push(group.sort());
    }
  };
  for (const m of graph.modules) if (!index.has(m)) connect(m);
  return out;
}

/** One cycle through a group, as `a -> b -> … -> a` (for the failure message). */
export function cyclePath(graph: ImportGraph, group: readonly string[]): string {
  const inGroup = new Set(group);
  const start = group[0]!;
  const seen = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const e of graph.edges) {
      if (e.from !== v || !inGroup.has(e.to)) continue;
      if (e.to === start) {
        const path = [start];
        for (let u = v; u !== start; u = seen.get(u)!) path.splice(1, 0, u);
        return [...path, start].join(' -> ');
      }
      if (!seen.has(e.to)) {
        seen.set(e.to, v);
        queue.push(e.to);
      }
    }
  }
  return group.join(', ');
}

/** Edges from a lower layer to a higher one, as `from (layer) -> to (layer) [kind]`. */
export function upwardEdges(graph: ImportGraph): string[] {
  const out = new Set<string>();
  for (const e of graph.edges) {
    const a = layerOf(e.from);
    const b = layerOf(e.to);
    if (a !== undefined && b !== undefined && b > a) out.add(`${e.from} (${LAYERS[a]!.name}) -> ${e.to} (${LAYERS[b]!.name}) [${e.kind}]`);
  }
  return [...out];
}

/**
 * Report types are the output, not the inter-stage currency: the parsers, evidence, format front ends and
 * the signature stage hand each other their own types (etsi/ for the vocabulary); only the facades that
 * build the report from the stage's outcome import report/.
 */
export const REPORT_FREE: readonly string[] = ['pki/', 'revocation/', 'tsp/', 'cades/', 'xades/', 'stage/', 'validation/'];
export const REPORT_BUILDERS: readonly string[] = ['validation/verify', 'validation/verify-certificate'];

/** Edges from a report-free module into report/, as `from -> to [kind]`. */
export function reportImports(graph: ImportGraph): string[] {
  return graph.edges
    .filter((e) => e.to.startsWith('report/') && REPORT_FREE.some((d) => e.from.startsWith(d)) && !REPORT_BUILDERS.includes(e.from))
    .map((e) => `${e.from} -> ${e.to} [${e.kind}]`);
}
