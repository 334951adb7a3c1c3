/**
 * The portal's own catalogue (examples/portal/src/messages): every language has every key, the same
 * parameters and the plural forms Intl says it needs, as the report's catalogue must; every word the page
 * marks for translation (data-i18n*) and every key the scripts name exists; no English left in the page
 * outside the marked elements.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PORTAL_CATALOGUES } from '../examples/portal/src/messages/index.js';
import { LANGUAGES, type Language } from '../src/report/i18n/codes.js';
import { catalogueProblems, type AnyMessage } from './helpers/catalogue.js';

const portal = join(import.meta.dirname, '../examples/portal');
const en = PORTAL_CATALOGUES.en as Readonly<Record<string, AnyMessage>>;
const problems = (lang: Language, cat: Readonly<Record<string, AnyMessage>>) => catalogueProblems(lang, cat, en);

describe('portal catalogue', () => {
  it('speaks the nine report languages', () => {
    expect(Object.keys(PORTAL_CATALOGUES)).toEqual([...LANGUAGES]);
  });

  for (const lang of LANGUAGES) {
    it(`${lang}: every key of the English catalogue, the same parameters, all plural forms`, () => {
      expect(problems(lang, PORTAL_CATALOGUES[lang] as Readonly<Record<string, AnyMessage>>)).toEqual([]);
    });
  }

  it('the completeness check fails on a missing key, a lost parameter and a missing Russian plural form', () => {
    const broken: Record<string, AnyMessage> = { ...(PORTAL_CATALOGUES.ru as Readonly<Record<string, AnyMessage>>) };
    delete broken['form.submit'];
    broken['status.checked'] = 'Проверено.';
    broken['container.size'] = { one: '{count} байт', other: '{count} байта' };
    expect(problems('ru', broken)).toEqual([
      'ru: missing form.submit',
      'ru: status.checked has parameters {}, English has {ms}, {name}',
      'ru: container.size lacks the plural form "few"',
      'ru: container.size lacks the plural form "many"',
    ]);
  });

  it('no two languages share the words of the form (a copy left untranslated would)', () => {
    for (const key of ['form.submit', 'form.label', 'form.relyingParty', 'container.state.unsigned', 'page.heading'] as const) {
      const texts = LANGUAGES.map((l) => PORTAL_CATALOGUES[l][key]);
      expect(new Set(texts).size, key).toBe(LANGUAGES.length);
    }
  });

  it('every key the page and its scripts name is in the catalogue', () => {
    const html = readFileSync(join(portal, 'index.html'), 'utf8');
    const scripts = ['main.ts', 'render.ts'].map((f) => readFileSync(join(portal, 'src', f), 'utf8')).join('\n');
    const named = [
      ...[...html.matchAll(/data-i18n(?:-placeholder|-aria-label)?="([^"]+)"/g)].map((m) => m[1]!),
      ...[...scripts.matchAll(/\.ui\('([^']+)'/g)].map((m) => m[1]!),
      ...[...scripts.matchAll(/'(container\.col\.[a-zA-Z]+)'/g)].map((m) => m[1]!),
    ];
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((k) => !(k in en))).toEqual([]);
    // Keys built at run time: a country per relying-party option, a container verdict per indication.
    for (const c of [...html.matchAll(/<option value="([A-Z]{2})"/g)].map((m) => m[1]!)) expect(en, c).toHaveProperty([`country.${c}`]);
    for (const i of ['TOTAL-PASSED', 'TOTAL-FAILED', 'INDETERMINATE']) expect(en).toHaveProperty([`container.verdict.${i}`]);
  });

  it('every text of the page body is marked for translation (no English label left behind)', () => {
    const html = readFileSync(join(portal, 'index.html'), 'utf8');
    const body = html.slice(html.indexOf('<body>'), html.indexOf('<script'));
    // Text between tags that is not inside an element carrying data-i18n: strip marked elements, comments, option texts (set by main.ts).
    const rest = body
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(\w+)[^>]*data-i18n="[^"]*"[^>]*>[^<]*<\/\1>/g, '')
      .replace(/<option[^>]*>[^<]*<\/option>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    expect(rest).toBe('');
  });
});
