import type { MessageKey } from './messages/en.js';

/** A message's parameters by name (`{name}` in the catalogue). */
export type Params = Readonly<Record<string, string | number>>;

/**
 * The report model keeps its English sentences (warnings, recognition reasons) for JSON consumers;
 * these templates recognise the common ones so a formatter can say them in the reader's language.
 * A sentence no template matches is shown in English. Each template names the producer it mirrors
 * (test/report-i18n.test.ts checks them against real reports, so a changed sentence is noticed).
 */
interface Template {
  readonly key: MessageKey;
  readonly re: RegExp;
  readonly params: (m: RegExpMatchArray) => Params;
}

const WARNINGS: readonly Template[] = [
  // trust/context.ts applyTrust
  { key: 'warn.testList', re: /^TEST LIST in use: (.+) is a test trusted list/, params: (m) => ({ list: m[1]! }) },
  { key: 'warn.testAgreement', re: /^TEST AGREEMENT in use: ([^,]+),/, params: (m) => ({ agreement: m[1]! }) },
  { key: 'warn.listNotUsed', re: /^trusted list (.+?) NOT USED: /, params: (m) => ({ list: m[1]! }) },
  { key: 'warn.listExpired', re: /^trusted list (.+?) is EXPIRED: NextUpdate (\S+) has passed/, params: (m) => ({ list: m[1]!, next: m[2]! }) },
  { key: 'warn.noAnchors', re: /^no trust anchors/, params: () => ({}) },
  { key: 'warn.noRelyingParty', re: /^no relying party given: recognition was not evaluated/, params: () => ({}) },
  // validation/chain.ts validateChain
  { key: 'warn.revocationNotChecked', re: /^revocation status of (.+?) not checked: /, params: (m) => ({ subject: m[1]! }) },
  // stage/timestamps.ts
  { key: 'warn.timestampIgnored', re: /^(\w+) (\d+) ignored: failed validation \(([A-Z_-]+)\)/, params: (m) => ({ type: m[1]!, n: m[2]!, result: m[3]! }) },
];

const REASONS: readonly Template[] = [
  // trust/recognize.ts recognize
  { key: 'reason.notTotalPassed', re: /the signature itself is ([A-Z_/-]+); recognition applies only to TOTAL-PASSED signatures/, params: (m) => ({ verdict: m[1]! }) },
  { key: 'reason.noBasis', re: /(\S+) has no basis to recognize (\S+): no agreement between/, params: (m) => ({ party: m[1]!, country: m[2]! }) },
  { key: 'reason.notMember', re: /(\S+) is not a member of (\S+) \(/, params: (m) => ({ party: m[1]!, lotl: m[2]! }) },
  { key: 'reason.noServiceKey', re: /has the key of a service on a usable trusted list/, params: () => ({}) },
  { key: 'reason.purpose', re: /purpose "([^"]*)" is not covered by agreement (\S+)/, params: (m) => ({ purpose: m[1]!, agreement: m[2]! }) },
  { key: 'reason.recognizedOn', re: /^recognized on the basis of (.+?): /, params: (m) => ({ basis: m[1]! }) },
];

export interface Matched {
  readonly key: MessageKey;
  readonly params: Params;
}

function match(templates: readonly Template[], text: string): Matched | undefined {
  for (const t of templates) {
    const m = text.match(t.re);
    if (m) return { key: t.key, params: t.params(m) };
  }
  return undefined;
}

export const matchWarning = (text: string): Matched | undefined => match(WARNINGS, text);
export const matchReason = (text: string): Matched | undefined => match(REASONS, text);
