import { Translator, type ReportLanguage } from 'ots-esig';
import { PORTAL_CATALOGUES, type PortalKey, type PortalMessage, type PortalPlural } from './messages/index.js';

export type UiParams = Readonly<Record<string, string | number>>;

/**
 * The page's words in one language: `ui()` for the portal's own labels (its catalogue, ./messages),
 * `report` for the words of a validation report (the library's catalogue). Plurals by Intl.PluralRules
 * on `count`, numbers by Intl, as the report's Translator does.
 */
export class PortalText {
  readonly report: Translator;
  private readonly plurals: Intl.PluralRules;

  constructor(readonly lang: ReportLanguage) {
    this.report = new Translator(lang);
    this.plurals = new Intl.PluralRules(this.report.tag);
  }

  ui(key: PortalKey, params: UiParams = {}): string {
    const m: PortalMessage = PORTAL_CATALOGUES[this.lang][key] ?? PORTAL_CATALOGUES.en[key];
    const text = typeof m === 'string' ? m : this.plural(m, params.count);
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const v = params[name];
      return v === undefined ? whole : typeof v === 'number' ? this.report.number(v) : v;
    });
  }

  private plural(m: PortalPlural, count: string | number | undefined): string {
    return m[typeof count === 'number' ? this.plurals.select(count) : 'other'] ?? m.other;
  }
}
