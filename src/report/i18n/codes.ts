// The language codes and locale matching, apart from the catalogues (languages.ts) so that choosing a
// language (the CLI's --lang, LANG) does not load the nine catalogues when English is chosen.

/** The report languages: English and those of the OTS member and observer states (Russian is widely read in KZ and KG). */
export const LANGUAGES = ['en', 'az', 'kk', 'ky', 'tr', 'uz', 'tk', 'hu', 'ru'] as const;

/** One of the report languages (LANGUAGES). */
export type Language = (typeof LANGUAGES)[number];

/** The BCP 47 tag given to Intl: Uzbek is written in Latin script here (the official script since 1993). */
export const INTL_TAG: Readonly<Record<Language, string>> = { en: 'en', az: 'az-Latn', kk: 'kk', ky: 'ky', tr: 'tr', uz: 'uz-Latn', tk: 'tk', hu: 'hu', ru: 'ru' };

export function isLanguage(x: unknown): x is Language {
  return typeof x === 'string' && (LANGUAGES as readonly string[]).includes(x);
}

/**
 * The report language a locale names: `tr_TR.UTF-8` (POSIX LANG), `kk-KZ`, `uz-Latn-UZ` (BCP 47), `RU`.
 * Undefined for a language without a catalogue (`C`, `POSIX`, `de_DE`).
 */
export function languageOf(locale: string | undefined | null): Language | undefined {
  if (!locale) return undefined;
  const primary = locale.trim().split(/[-_.@]/)[0]!.toLowerCase();
  return isLanguage(primary) ? primary : undefined;
}

/** The first of the preferred locales (e.g. navigator.languages) that has a catalogue, else English. */
export function pickLanguage(preferred: readonly (string | undefined | null)[]): Language {
  for (const p of preferred) {
    const l = languageOf(p);
    if (l) return l;
  }
  return 'en';
}
