import type { Check } from '../check.js';
import type { Indication, SubIndication } from '../indication.js';
import type { RecognitionStatus } from '../model.js';
import { CATALOGUES, INTL_TAG, type Language } from './languages.js';
import { matchReason, matchWarning, type Params } from './match.js';
import type { Message, MessageKey, Plural } from './messages/en.js';

export type { Params };

/**
 * Renders catalogue messages in one language: `{name}` parameters, plural forms chosen by
 * Intl.PluralRules on `count`, numbers and dates by Intl. A key missing in a catalogue (which the
 * types and test/report-i18n.test.ts rule out) falls back to English rather than throwing.
 */
export class Translator {
  readonly lang: Language;
  readonly tag: string;
  private readonly plurals: Intl.PluralRules;
  private readonly numbers: Intl.NumberFormat;
  private readonly dates: Intl.DateTimeFormat;
  private readonly days: Intl.DateTimeFormat;

  constructor(lang: Language) {
    this.lang = lang;
    this.tag = INTL_TAG[lang];
    this.plurals = new Intl.PluralRules(this.tag);
    this.numbers = new Intl.NumberFormat(this.tag);
    // Times in a report are UTC instants; they are shown in UTC, named as such, so every reader sees the same time.
    this.dates = new Intl.DateTimeFormat(this.tag, { dateStyle: 'long', timeStyle: 'long', timeZone: 'UTC' });
    this.days = new Intl.DateTimeFormat(this.tag, { dateStyle: 'long', timeZone: 'UTC' });
  }

/** The message `key` in this language (English where the catalogue lacks it), `{name}` placeholders filled from `params` (numbers formatted, `count` choosing the plural form). */
  t(key: MessageKey, params: Params = {}): string {
    const m: Message | undefined = CATALOGUES[this.lang][key] ?? CATALOGUES.en[key];
    const text = typeof m === 'string' ? m : this.pluralForm(m, params.count);
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const v = params[name];
      return v === undefined ? whole : typeof v === 'number' ? this.numbers.format(v) : v;
    });
  }

/** Whether `key` is a message of the catalogues. */
  has(key: string): key is MessageKey {
    return Object.hasOwn(CATALOGUES.en, key);
  }

  private pluralForm(m: Plural, count: string | number | undefined): string {
    const cat = typeof count === 'number' ? this.plurals.select(count) : 'other';
    return m[cat] ?? m.other;
  }

/** `n` formatted for this language. */
  number(n: number): string {
    return this.numbers.format(n);
  }

  /** An ISO instant as a date and time in this language (UTC); the ISO text itself when it does not parse. */
  dateTime(iso: string): string {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? iso : this.dates.format(t);
  }

/** An ISO instant as a date (no time of day) in this language (UTC); the ISO text itself when it does not parse. */
  date(iso: string): string {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? iso : this.days.format(t);
  }

/** The name of an ETSI main indication (TOTAL-PASSED, ...) in this language. */
  indication(i: Indication): string {
    return this.t(`ind.${i}`);
  }

/** The name of an ETSI sub-indication in this language; the code itself when no catalogue names it. */
  subIndication(s: SubIndication): string {
    return this.has(`sub.${s}`) ? this.t(`sub.${s}` as MessageKey) : s;
  }

/** The name of a recognition status (RECOGNIZED, ...) in this language. */
  recognition(s: RecognitionStatus): string {
    return this.t(`rec.${s}`);
  }

  /**
   * A warning of the report (its English sentence, as the model keeps it) in this language; undefined when
   * no template knows the sentence, and the caller shows the English.
   */
  warning(english: string): string | undefined {
    const m = matchWarning(english);
    return m && this.t(m.key, m.params);
  }

  /** A recognition reason (English, as the model keeps it) in this language; undefined when no template knows it. */
  reason(english: string): string | undefined {
    const m = matchReason(english);
    return m && this.t(m.key, m.params);
  }

  /** A check's name from its stable id; ids carry positions (`[0]`) and prefixes, which are not part of the name. */
  checkName(c: Pick<Check, 'id' | 'block'>): string {
    const key = checkKey(c.id);
    if (key) return this.t(key.key, key.inner ? { name: this.t(key.inner) } : {});
    return this.has(`block.${c.block}`) ? this.t(`block.${c.block}` as MessageKey) : c.id;
  }
}

const known = (k: string): k is MessageKey => Object.hasOwn(CATALOGUES.en, k);

/**
 * The catalogue key naming a check id: `tst.SignatureTimeStamp[0].gen-time` → check.tst.gen-time,
 * `tst.SignatureTimeStamp[0]` → check.tst.timestamp, `tst.X[0].tsa.revoked` → the TSA's chain check,
 * `psv.xcv.revoked` → the past-signature-validation form of xcv.revoked. Undefined when unknown.
 */
export function checkKey(id: string): { key: MessageKey; inner?: MessageKey } | undefined {
  const plain = id.replace(/\[\d+\]/g, '');
  if (known(`check.${plain}`)) return { key: `check.${plain}` as MessageKey };
  const parts = plain.split('.');
  if (parts[0] === 'tst') {
    if (parts.length === 2) return { key: 'check.tst.timestamp' };
    if (parts[2] === 'tsa' && parts.length >= 4) {
      const inner = `check.xcv.${parts.slice(3).join('.')}`;
      return known(inner) ? { key: 'check.prefix.tsa', inner } : undefined;
    }
    const rest = `check.tst.${parts.slice(2).join('.')}`;
    return known(rest) ? { key: rest } : undefined;
  }
  if (parts[0] === 'psv' && parts.length >= 3) {
    const inner = `check.${parts.slice(1).join('.')}`;
    return known(inner) ? { key: 'check.prefix.psv', inner } : undefined;
  }
  return undefined;
}

const translators = new Map<Language, Translator>();
export function translator(lang: Language): Translator {
  let t = translators.get(lang);
  if (!t) translators.set(lang, (t = new Translator(lang)));
  return t;
}
