/**
 * The report's message catalogue (src/report/i18n): every language has every key, the same parameters
 * and the plural forms its language needs; every check id, sub-indication and building block the
 * validator produces has a name; the English-sentence templates match what the producers really say;
 * every fixture verdict renders in every language (text and HTML).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatHtml, formatText, formatTextLocalized, SUB_INDICATIONS, verify, type SignatureReport, type ValidationReport } from '../src/index.js';
import { loadTrustLists } from '../src/trust/load.js';
import { CATALOGUES, INTL_TAG, LANGUAGES, languageOf, pickLanguage, type Language } from '../src/report/i18n/languages.js';
import { matchReason, matchWarning } from '../src/report/i18n/match.js';
import type { Catalogue, Message } from '../src/report/i18n/messages/en.js';
import { checkKey, translator } from '../src/report/i18n/translate.js';
import { catalogueProblems as problemsAgainst } from './helpers/catalogue.js';
import { fixture, fixtureCrls, loadManifest, optionsFor } from './helpers/fixtures.js';

const catalogueProblems = (lang: Language, cat: Record<string, Message>): string[] => problemsAgainst(lang, cat, CATALOGUES.en as Record<string, Message>);

describe('message catalogue', () => {
  it('has nine languages with Intl support for each', () => {
    expect([...LANGUAGES]).toEqual(['en', 'az', 'kk', 'ky', 'tr', 'uz', 'tk', 'hu', 'ru']);
    for (const l of LANGUAGES) expect(Intl.DateTimeFormat.supportedLocalesOf([INTL_TAG[l]]), l).toHaveLength(1);
  });

  for (const lang of LANGUAGES) {
    it(`${lang}: every key of the English catalogue, the same parameters, all plural forms`, () => {
      expect(catalogueProblems(lang, CATALOGUES[lang] as Record<string, Message>)).toEqual([]);
    });
  }

  it('the completeness check fails on a missing key, a lost parameter and a missing plural form', () => {
    const broken: Record<string, Message> = { ...(CATALOGUES.ru as Catalogue) };
    delete broken['sub.HASH_FAILURE'];
    broken['rec.for'] = 'полагающаяся сторона';
    broken['report.signatures'] = { one: '{count} подпись', other: '{count} подписи' };
    expect(catalogueProblems('ru', broken)).toEqual([
      'ru: report.signatures lacks the plural form "few"',
      'ru: report.signatures lacks the plural form "many"',
      'ru: missing sub.HASH_FAILURE',
      'ru: rec.for has parameters {}, English has {party}',
    ]);
  });

  it('no two languages share a translation of the verdicts (a copy left untranslated would)', () => {
    for (const key of ['ind.TOTAL-PASSED', 'ind.TOTAL-FAILED', 'ind.INDETERMINATE', 'sub.HASH_FAILURE', 'rec.NOT_RECOGNIZED'] as const) {
      const texts = LANGUAGES.map((l) => CATALOGUES[l][key]);
      expect(new Set(texts).size, key).toBe(LANGUAGES.length);
    }
  });

  it('says the model\'s English warnings and reasons in another language, and nothing for an unknown sentence', () => {
    const t = translator('tr');
    expect(t.warning('no relying party given: recognition was not evaluated')).toBe(t.t('warn.noRelyingParty'));
    expect(t.reason('TM is not a member of OTS-LOTL (members: AZ, KZ)')).toBe('TM, OTS-LOTL listesinin üyesi değildir.');
    expect(t.warning('something no template knows')).toBeUndefined();
    expect(t.reason('something no template knows')).toBeUndefined();
  });

  it('names every sub-indication and building block', () => {
    const t = translator('kk');
    for (const s of SUB_INDICATIONS) expect(t.has(`sub.${s}`), s).toBe(true);
    for (const b of ['FC', 'ISC', 'VCI', 'RFC', 'XCV', 'CV', 'SAV', 'TST', 'PSV']) expect(t.has(`block.${b}`), b).toBe(true);
  });

  it('plurals, numbers and dates come from Intl', () => {
    const ru = translator('ru');
    expect(ru.t('report.signatures', { count: 1 })).toBe('1 подпись');
    expect(ru.t('report.signatures', { count: 3 })).toBe('3 подписи');
    expect(ru.t('report.signatures', { count: 5 })).toBe('5 подписей');
    expect(ru.t('report.signatures', { count: 21 })).toBe('21 подпись');
    expect(translator('en').t('report.signatures', { count: 1 })).toBe('1 signature');
    expect(translator('en').t('report.signatures', { count: 2 })).toBe('2 signatures');
    expect(ru.t('report.signatures', { count: 12345 })).toMatch(/^12\s345 подписей$/);
    expect(translator('tr').dateTime('2026-06-01T00:00:00Z')).toBe('1 Haziran 2026 00:00:00 UTC');
    expect(translator('hu').date('2026-06-01T00:00:00Z')).toBe('2026. június 1.');
    expect(translator('kk').date('2026-03-01T00:00:00Z')).toMatch(/наурыз/);
    expect(translator('en').dateTime('not a time')).toBe('not a time');
  });

  it('reads the language of a locale and the first supported of preferred ones', () => {
    expect(languageOf('tr_TR.UTF-8')).toBe('tr');
    expect(languageOf('uz-Latn-UZ')).toBe('uz');
    expect(languageOf('KK')).toBe('kk');
    expect(languageOf('C.UTF-8')).toBeUndefined();
    expect(languageOf('de-DE')).toBeUndefined();
    expect(pickLanguage(['de-DE', 'ky-KG', 'ru'])).toBe('ky');
    expect(pickLanguage(['fr', undefined])).toBe('en');
  });

  it('names checks from their ids, positions and prefixes removed', () => {
    const t = translator('en');
    expect(checkKey('cv.message-digest')).toEqual({ key: 'check.cv.message-digest' });
    expect(checkKey('cv.reference[2]')).toEqual({ key: 'check.cv.reference' });
    expect(t.checkName({ id: 'tst.SignatureTimeStamp[0].gen-time', block: 'TST' })).toBe('Time of the time-stamp');
    expect(t.checkName({ id: 'tst.SignatureTimeStamp[0]', block: 'TST' })).toBe('Time-stamp');
    expect(t.checkName({ id: 'tst.ArchiveTimeStamp[1].tsa.revoked', block: 'TST' })).toBe('Time-stamping authority: Certificate revoked');
    expect(t.checkName({ id: 'psv.xcv.revoked', block: 'PSV' })).toBe('Past signature validation: Certificate revoked');
    // Unknown ids fall back to the building block's name.
    expect(checkKey('cv.something-new')).toBeUndefined();
    expect(t.checkName({ id: 'cv.something-new', block: 'CV' })).toBe('Cryptographic verification');
  });
});

// Every fixture of the CAdES, XAdES and LTV manifests: their reports carry the check ids the validator really produces.
interface XadesSample {
  id: string;
  file: string;
  detached: Record<string, string> | null;
  trustAnchors: string[];
  timestampAnchors?: string[];
  crls: string[];
  error?: string;
}
async function allFixtureReports(): Promise<{ id: string; report: ValidationReport }[]> {
  const out: { id: string; report: ValidationReport }[] = [];
  for (const name of ['manifest.json', 'ltv/manifest.json']) {
    const m = loadManifest(name);
    for (const s of m.samples) {
      if (!Array.isArray(s.expect)) continue;
      out.push({ id: `${name}:${s.id}`, report: await verify(fixture(s.file), optionsFor(m, s)) });
    }
  }
  const x = JSON.parse(readFileSync(new URL('../fixtures/xades/manifest.json', import.meta.url), 'utf8')) as { validationTime: string; samples: XadesSample[] };
  for (const s of x.samples) {
    if (s.error) continue;
    const report = await verify(fixture(s.file), {
      trustAnchors: s.trustAnchors.map(fixture),
      timestampAnchors: (s.timestampAnchors ?? []).map(fixture),
      crls: [...s.crls.map(fixture), ...fixtureCrls()],
      validationTime: new Date(x.validationTime),
      detachedFiles: s.detached ? Object.fromEntries(Object.entries(s.detached).map(([k, v]) => [k, fixture(v)])) : undefined,
    });
    out.push({ id: `xades:${s.id}`, report });
  }
  return out;
}

const signaturesOf = (r: ValidationReport): SignatureReport[] => r.signatures.flatMap(function all(s): SignatureReport[] {
  return [s, ...(s.counterSignatures ?? []).flatMap(all)];
});

describe('names for what the validator really reports', () => {
  it('every check id of every fixture report has a name in the catalogue', async () => {
    const reports = await allFixtureReports();
    expect(reports.length).toBeGreaterThan(50);
    const unnamed = new Set<string>();
    let ids = 0;
    for (const { report } of reports) {
      for (const s of signaturesOf(report)) {
        for (const c of [...s.checks, ...(s.timestamps ?? []).flatMap((t) => t.checks)]) {
          ids++;
          if (!checkKey(c.id)) unnamed.add(c.id.replace(/\[\d+\]/g, '[]'));
        }
      }
    }
    expect(ids).toBeGreaterThan(500);
    expect([...unnamed]).toEqual([]);
  }, 120_000);
});

describe('English sentence templates match what the producers say', () => {
  const read = (p: string) => new Uint8Array(readFileSync(new URL(`../${p}`, import.meta.url)));
  async function withLists(relyingParty: string | undefined, viaLotl = true) {
    const trustLists = await loadTrustLists(
      viaLotl
        ? [
            { data: read('trust-lists/ots-lotl.xml'), name: 'ots-lotl.xml', signingCertificates: [read('fixtures/pki/ots-lotl-operator.pem')] },
            { data: read('trust-lists/kz-tl.xml'), name: 'kz-tl.xml' },
          ]
        : [{ data: read('trust-lists/kz-tl.xml'), name: 'kz-tl.xml', signingCertificates: [read('fixtures/pki/kz-tl-operator.pem')] }],
      { time: new Date('2026-06-01T00:00:00Z') },
    );
    return verify(fixture('cades/kz-attached.p7s'), { trustLists, crls: fixtureCrls(), validationTime: new Date('2026-06-01T00:00:00Z'), ...(relyingParty ? { relyingParty } : {}) });
  }

  it('TEST LIST warnings, recognition on a basis, "not a member" and "no basis" reasons', async () => {
    const az = await withLists('AZ');
    expect(az.warnings.map((w) => matchWarning(w)?.key)).toContain('warn.testList');
    expect(az.signatures[0]!.recognition!.status).toBe('RECOGNIZED');
    expect(matchReason(az.signatures[0]!.recognition!.reasons[0]!)?.key).toBe('reason.recognizedOn');
    const tm = (await withLists('TM')).signatures[0]!.recognition!;
    expect(tm.status).toBe('NOT_RECOGNIZED');
    expect(tm.reasons.map(matchReason)).toEqual([{ key: 'reason.notMember', params: { party: 'TM', lotl: 'OTS:LOTL' } }]);
    const tr = (await withLists('TR', false)).signatures[0]!.recognition!;
    expect(tr.status).toBe('NOT_RECOGNIZED');
    const m = tr.reasons.map(matchReason).find((x) => x?.key === 'reason.noBasis');
    expect(m?.params).toEqual({ party: 'TR', country: 'KZ' });
    expect(translator('tk').t(m!.key, m!.params)).toMatch(/^TR tarapynyň KZ gollaryny ykrar etmek üçin esasy ýok/);
    const none = await withLists(undefined);
    expect(none.warnings.map((w) => matchWarning(w)?.key)).toContain('warn.noRelyingParty');
  });

  it('an invalid signature: the "itself is" reason; a sentence no template knows stays English', async () => {
    const m = loadManifest();
    const s = m.samples.find((x) => x.id === 'kz-tampered-content')!;
    expect(matchReason('the signature itself is TOTAL-FAILED/HASH_FAILURE; recognition applies only to TOTAL-PASSED signatures')).toEqual({
      key: 'reason.notTotalPassed',
      params: { verdict: 'TOTAL-FAILED/HASH_FAILURE' },
    });
    expect(matchWarning('something nobody templated')).toBeUndefined();
    const r = await verify(fixture(s.file), optionsFor(m, s));
    const out = formatHtml({ ...r, warnings: ['something nobody templated'] }, { lang: 'hu' });
    expect(out).toContain('<li>something nobody templated</li>');
  });
});

describe('every fixture verdict in every language', () => {
  const m = loadManifest();
  const cases = m.samples.filter((s) => Array.isArray(s.expect));

  it('renders the text and HTML reports of all manifest samples in all nine languages', async () => {
    let rendered = 0;
    for (const s of cases) {
      const report = await verify(fixture(s.file), optionsFor(m, s));
      expect(report.signatures.map((x) => ({ indication: x.indication, subIndication: x.subIndication }))).toEqual(s.expect);
      for (const lang of LANGUAGES) {
        const t = translator(lang);
        const out = formatHtml(report, { lang });
        expect(out.startsWith('<!doctype html>')).toBe(true);
        expect(out).toContain(`<html lang="${INTL_TAG[lang]}">`);
        // Self-contained and script-free: no script, no external resource of any kind.
        expect(out).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|\shref=|url\(|@import/i);
        for (const sig of report.signatures) {
          expect(out, `${s.id} ${lang}`).toContain(esc(t.indication(sig.indication)));
          if (sig.subIndication) expect(out, `${s.id} ${lang}`).toContain(esc(t.subIndication(sig.subIndication)));
        }
        const text = formatTextLocalized(report, { lang });
        for (const sig of report.signatures) expect(text).toContain(lang === 'en' ? sig.indication : t.indication(sig.indication));
        rendered++;
      }
    }
    expect(rendered).toBe(cases.length * LANGUAGES.length);
  }, 120_000);

  it('formatTextLocalized without a language, with en or an unknown one is formatText\'s English report', async () => {
    const s = cases.find((x) => x.id === 'kz-attached')!;
    const report = await verify(fixture(s.file), optionsFor(m, s));
    expect(formatTextLocalized(report, { lang: 'en' })).toBe(formatText(report));
    expect(formatTextLocalized(report, { lang: 'xx' })).toBe(formatText(report));
    expect(formatTextLocalized(report)).toBe(formatText(report));
    expect(formatText(report)).toMatch(/^ {2}Verdict: {8}TOTAL-PASSED$/m);
    expect(formatTextLocalized(report, { lang: 'ru' })).toMatch(/Результат: Подпись действительна — TOTAL-PASSED/);
  });
});

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
