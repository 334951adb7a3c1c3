/**
 * The canonicalizer on the browser's native DOM: src/xades/c14n.ts bundled for the browser runs in
 * headless Chromium over documents parsed by its own DOMParser, and must give the same octets as
 * on Node over @xmldom/xmldom — for the attack documents, the spec examples and generated hostile
 * namespace layouts (whole documents and xml:id subtrees, every C14N method).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { C14N_ALGORITHMS, hostileNamespaceDocument } from '../scripts/fuzz/c14n-gen.js';
import { C14N_METHODS } from '../src/xades/algorithms.js';
import { canonicalize } from '../src/xades/c14n.js';
import { parseXml } from '../src/xml/parse.js';
import { describeIf } from './helpers/skip.js';

const root = resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`c14n-browser: skipped — no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);

interface Case {
  readonly xml: string;
  readonly method: string;
  readonly prefixes?: string;
  /** xml:id of the subtree apex; the whole document when absent. */
  readonly apex?: string;
}

/** Parse with the given DOM, canonicalize, or report the error. RUN_CASE_JS below is the same for the page. */
function runCase(c: Case, parse: (xml: string) => Document): string {
  let d: Document;
  try {
    d = parse(c.xml);
  } catch (e) {
    return `PARSE ${(e as Error).name}`;
  }
  let node: Node = d;
  if (c.apex) {
    node = Array.from(d.getElementsByTagName('*')).find((e) => e.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'id') === c.apex)!;
    if (!node) return 'NO APEX';
  }
  try {
    return canonicalize(node, node, C14N_METHODS[c.method]!, c.prefixes);
  } catch (e) {
    return `ERR ${(e as Error).message}`;
  }
}

const RUN_CASE_JS = `(c, parse) => {
  let d;
  try { d = parse(c.xml); } catch (e) { return 'PARSE ' + e.name; }
  let node = d;
  if (c.apex) {
    node = Array.from(d.getElementsByTagName('*')).find((e) => e.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'id') === c.apex);
    if (!node) return 'NO APEX';
  }
  try { return canonicalize(node, node, C14N_METHODS[c.method], c.prefixes); } catch (e) { return 'ERR ' + e.message; }
}`;

const ATTACKS = [
  '<inv:Invoice xmlns:inv="urn:example:invoice"><inv:Amount xmlns:xsixmlns="http://www.w3.org/2001/XMLSchema-instance" xsixmlns:nil="true" currency="KZT">1000.00</inv:Amount></inv:Invoice>',
  '<Invoice xmlns:axmlns="urn:any"><p:Amount axmlns:p="urn:example:invoice" xmlns:p="urn:evil">1000.00</p:Amount></Invoice>',
  '<Invoice xmlns:ä="urn:example:invoice"><Amount>1000.00</Amount></Invoice>',
  '<Invoice xmlns="urn:example:invoice"><Amount xmlns="">1000.00</Amount></Invoice>',
  '<r xml:id="r" xml:lang="kk" xml:space="preserve" xmlns="urn:d" xmlns:p="urn:p"><p:a xml:id="a" a="&#9;&#10;&#13;&quot;&lt;&amp;"><b xmlns="">t&#13;<![CDATA[<&>]]><!--c--><?pi d?></b></p:a></r>',
  '<?xml version="1.0"?>\n<!--before--><?pi?>\n<r xmlns:q="urn:1"><a xml:id="a" xmlns:q="urn:2" q:x="1"/></r>\n<!--after-->',
];

function cases(): Case[] {
  const out: Case[] = [];
  for (const xml of ATTACKS) {
    for (const method of C14N_ALGORITHMS) {
      out.push({ xml, method });
      if (xml.includes('xml:id="a"')) out.push({ xml, method, apex: 'a' });
      if (method.includes('exc')) out.push({ xml, method, prefixes: '#default q p', apex: xml.includes('xml:id="a"') ? 'a' : undefined });
    }
  }
  for (let i = 0; i < 16; i++) {
    const g = hostileNamespaceDocument('browser', i);
    for (const method of C14N_ALGORITHMS) {
      out.push({ xml: g.xml, method });
      if (g.xml.includes('xml:id="target"')) out.push({ xml: g.xml, method, apex: 'target', prefixes: method.includes('exc') ? 'p q #default' : undefined });
    }
  }
  return out;
}

describeIf(haveChromium, `no headless Chromium at ${CHROMIUM}`)('C14N on the native DOMParser (headless Chromium) equals C14N on @xmldom/xmldom', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('same octets (or the same refusal) for every case', async () => {
    const bundle = await build({
      stdin: {
        contents: `import { canonicalize } from ${JSON.stringify(resolve(root, 'src/xades/c14n.ts'))};
import { C14N_METHODS } from ${JSON.stringify(resolve(root, 'src/xades/algorithms.ts'))};
const parse = (xml) => { const d = new DOMParser().parseFromString(xml, 'application/xml'); if (d.getElementsByTagName('parsererror').length) { const e = new Error('parsererror'); e.name = 'InputFormatError'; throw e; } return d; };
const runCase = ${RUN_CASE_JS};
globalThis.c14nCases = (cases) => cases.map((c) => runCase(c, parse));`,
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      logLevel: 'error',
    });
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const all = cases();
    const inBrowser = (await page.evaluate((c) => (globalThis as unknown as { c14nCases(c: unknown): string[] }).c14nCases(c), all)) as string[];
    // Our parser drops the XML declaration the browser never shows; otherwise both parse the same text.
    const inNode = all.map((c) => runCase(c, (xml) => parseXml(xml)));
    const differences = all.flatMap((c, i) => (inBrowser[i] === inNode[i] ? [] : [`${c.method} ${c.apex ?? 'document'}\n${c.xml}\n node:    ${inNode[i]}\n browser: ${inBrowser[i]}`]));
    expect(differences.join('\n\n')).toBe('');
    expect(inNode.filter((r) => r.startsWith('ERR') || r.startsWith('PARSE') || r === 'NO APEX').length).toBeLessThan(all.length / 4);
  }, 60_000);
});
