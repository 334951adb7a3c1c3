import { INTL_TAG, type Language } from '../../src/report/i18n/codes.js';

type Plural = { readonly [form: string]: string | undefined; readonly other: string };
export type AnyMessage = string | Plural;

const params = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
const forms = (m: AnyMessage): string[] => (typeof m === 'string' ? [m] : Object.values(m).filter((f): f is string => f !== undefined));

/**
 * What is wrong with a catalogue against its English source: missing, extra or empty keys, a string where
 * plural forms are due (or the reverse), parameters that differ, plural forms the language needs
 * (Intl.PluralRules' categories) that are missing. Used for the report's and the portal's catalogues.
 */
export function catalogueProblems(lang: Language, cat: Readonly<Record<string, AnyMessage>>, en: Readonly<Record<string, AnyMessage>>): string[] {
  const out: string[] = [];
  const categories = new Intl.PluralRules(INTL_TAG[lang]).resolvedOptions().pluralCategories;
  for (const key of Object.keys(en)) {
    const m = cat[key];
    if (m === undefined) {
      out.push(`${lang}: missing ${key}`);
      continue;
    }
    const want = params(forms(en[key]!).at(-1)!);
    if (typeof en[key] !== typeof m) out.push(`${lang}: ${key} must be ${typeof en[key] === 'string' ? 'a string' : 'plural forms'}`);
    if (typeof m === 'object') for (const c of categories) if (!(c in m)) out.push(`${lang}: ${key} lacks the plural form "${c}"`);
    for (const f of forms(m)) {
      if (!f.trim()) out.push(`${lang}: ${key} is empty`);
      if (params(f).join() !== want.join()) out.push(`${lang}: ${key} has parameters {${params(f).join('}, {')}}, English has {${want.join('}, {')}}`);
    }
  }
  for (const key of Object.keys(cat)) if (!(key in en)) out.push(`${lang}: unknown key ${key}`);
  return out;
}
