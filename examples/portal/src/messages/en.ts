/**
 * The portal's own words in English (labels, buttons, headings, status lines, the container table): the
 * source catalogue every other language must match key for key (test/portal-i18n.test.ts), built like the
 * report's (src/report/i18n/messages). Words of the report itself (verdicts, check names) come from there.
 * `{name}` marks a parameter; a plural message is chosen by Intl.PluralRules on `count`.
 */
export const en = {
  'page.title': 'OTS e-signature check — pilot portal',
  'page.heading': 'E-signature check',
  'page.intro': 'CAdES / XAdES signatures from Organization of Turkic States members, validated in your browser (ETSI EN 319 102-1) — nothing is uploaded.',
  'page.testBanner': 'TEST trust data: the pilot trusted lists and agreements are made from a public test PKI — not for production decisions.',
  'lang.label': 'Language',
  'form.label': 'Signature to check',
  'form.signature': 'Signature',
  'form.signatureHint': 'Drop a .p7s / .pem / .xml file or an .asice / .asics container here, or click to choose',
  'form.content': 'Signed document',
  'form.contentNote': '(only for detached signatures)',
  'form.contentHint': 'Drop the document here, or click to choose',
  'form.fileChosen': { one: '{name} ({count} byte)', other: '{name} ({count} bytes)' },
  'form.relyingParty': 'Relying party (your country)',
  'form.observer': '{name} (observer)',
  'country.AZ': 'Azerbaijan',
  'country.HU': 'Hungary',
  'country.KG': 'Kyrgyzstan',
  'country.KZ': 'Kazakhstan',
  'country.TM': 'Turkmenistan',
  'country.TR': 'Türkiye',
  'country.UZ': 'Uzbekistan',
  'form.purpose': 'Purpose',
  'form.purposeNote': '(for agreements that limit it)',
  'form.purposePlaceholder': 'any',
  'form.time': 'Validation time (UTC)',
  'form.timePlaceholder': 'now, or e.g. 2026-06-01T00:00:00Z',
  'form.submit': 'Check signature',
  'status.checking': 'Checking…',
  'status.checked': 'Checked {name} in {ms} ms.',
  'status.rejudged': '{name} judged again for relying party {party}.',
  'status.trustFailed': 'Trust lists could not be loaded: {message}',
  'error.title': 'The file could not be checked',
  'error.time': '"{value}" is not an ISO 8601 time',
  'result.summary': '{signatures} · validated at {time} · {tool}',
  'result.listsUsable': { one: '{usable} of {count} trusted list usable', other: '{usable} of {count} trusted lists usable' },
  'result.runNotes': { one: '{count} note about this validation and its trust data', other: '{count} notes about this validation and its trust data' },
  'rec.issuerCountry': 'issuer country {country}',
  'rec.level': 'level {level}',
  'rec.service': 'service: {name} ({provider}), status {status} at {time}',
  'container.verdict.TOTAL-PASSED': 'Every file in the container is signed and every signature is valid',
  'container.verdict.TOTAL-FAILED': 'The container is NOT valid',
  'container.verdict.INDETERMINATE': 'The container could not be confirmed',
  'container.summary': '{type} container · mimetype {mimetype} · {entries}',
  'container.entries': { one: '{count} entry', other: '{count} entries' },
  'container.mimetypeAbsent': 'absent',
  'container.col.file': 'File',
  'container.col.size': 'Size',
  'container.col.state': 'State',
  'container.col.coveredBy': 'Covered by',
  'container.size': { one: '{count} byte', other: '{count} bytes' },
  'container.state.changed': 'changed after signing',
  'container.state.unsigned': 'NOT SIGNED',
  'container.state.partial': 'signed by some signatures only',
  'container.state.signed': 'signed',
  'container.timestamp': 'time-stamp {file}',
  'container.caption': 'Files in the container and the signatures that cover them',
};

export type PortalPlural = { readonly zero?: string; readonly one?: string; readonly two?: string; readonly few?: string; readonly many?: string; readonly other: string };
export type PortalMessage = string | PortalPlural;
export type PortalKey = keyof typeof en;
export type PortalCatalogue = { readonly [K in PortalKey]: (typeof en)[K] extends string ? string : PortalPlural };
