import type { AlgorithmRegistry } from '../crypto/registry.js';
import { certificateCache } from '../pki/cache.js';
import { loadCertificates, type CertificateInput } from '../pki/inputs.js';
import { toBytes, fromBase64 } from '../util/bytes.js';
import { sha256Hex } from '../util/sha256.js';
import { InvalidOptionError } from '../errors.js';
import { isAgreementJws, readAgreementJws, verifyAgreementSignatures, type PartySignatureOutcome, type PartySigner } from './agreement-jws.js';
import { AGREEMENT_JSON_KIND, parseAgreementJson, type Agreement } from './agreements.js';
import { TrustListError } from './errors.js';
import type { AgreementInput, AgreementSignerInput } from './inputs.js';
import type { TrustSet } from './load.js';
import { isListOfListsType } from './uris.js';

/** One agreement as loaded: used for recognition or not, and why. */
export interface LoadedAgreement {
  readonly agreement: Agreement;
  readonly used: boolean;
  /** `signed`: every party's signature verified; `unsigned`: a bare agreement the caller vouches for. */
  readonly authentication: 'signed' | 'unsigned';
  /** Per party, for a signed agreement (null for a bare one). */
  readonly signatures: readonly PartySignatureOutcome[] | null;
  /** Why it is not used (when `used` is false). */
  readonly reason: string | null;
}

/** The caller's pinned agreement signers, each assigned to a party (given, or the certificate's countryName). */
export function pinnedAgreementSigners(inputs: readonly AgreementSignerInput[]): PartySigner[] {
  return inputs.flatMap((input) => {
    const explicit = typeof input === 'object' && input !== null && 'certificate' in input && 'party' in input;
    const certs = loadCertificates(explicit ? input.certificate : (input as CertificateInput));
    return certs.map((certificate) => {
      const party = explicit ? input.party : certificate.country;
      if (!party || !/^[A-Z]{2}$/.test(party)) {
        throw new InvalidOptionError(`agreement signer ${certificate.subject.text}: no party (give it as CC=CERT, or use a certificate whose subject has a two-letter countryName)`);
      }
      return { party, certificate, source: 'pinned' };
    });
  });
}

/** The operator certificates usable lists of lists announce per territory: a member's scheme operator signs for it. */
function announcedSigners(set: TrustSet): PartySigner[] {
  const out: PartySigner[] = [];
  for (const l of set.lists) {
    if (!l.usable || !isListOfListsType(l.list.scheme.type)) continue;
    for (const p of l.list.scheme.pointers) {
      if (!p.territory || !/^[A-Z]{2}$/.test(p.territory)) continue;
      for (const b64 of p.signingCertificates) {
        try {
          out.push({ party: p.territory, certificate: certificateCache.get(fromBase64(b64)), source: `announced by ${l.list.id} seq ${l.list.scheme.sequenceNumber}` });
        } catch {
          /* an unreadable pointer certificate authenticates nothing */
        }
      }
    }
  }
  return out;
}

/**
 * Loads the caller's agreements. A signed agreement (agreement-jws.ts) is used only when every
 * party's signature verifies with a certificate the caller pinned for that party
 * (`agreementSigners`) or that a usable list of lists announces for that territory; otherwise it
 * is kept with the reason and not used. A bare agreement (JSON file or object) carries nothing to
 * check: it is used as supplied only while the caller pins no agreement signer; once signers are
 * pinned, the caller has said agreements must be authenticated, and a bare one is not used.
 * Malformed input throws (TrustListError), as before.
 */
export async function loadAgreements(
  inputs: readonly (Agreement | AgreementInput)[],
  o: { readonly signers: readonly AgreementSignerInput[]; readonly set: TrustSet; readonly registry?: AlgorithmRegistry },
): Promise<LoadedAgreement[]> {
  const pinned = pinnedAgreementSigners(o.signers);
  // The announced signers only when a signed agreement is checked: decoding every pointer certificate of
  // the lists of lists was ~9% of a service verification that carries no agreement at all.
  let signers: PartySigner[] | undefined;
  const requireSigned = pinned.length > 0;
  const out: LoadedAgreement[] = [];
  const bare = (agreement: Agreement): LoadedAgreement =>
    requireSigned
      ? { agreement, used: false, authentication: 'unsigned', signatures: null, reason: 'not signed, and agreement signers are pinned: only agreements signed by both parties are used' }
      : { agreement, used: true, authentication: 'unsigned', signatures: null, reason: null };
  for (const [i, a] of inputs.entries()) {
    const name = 'data' in a ? (a.name ?? `agreements[${i}]`) : a.id ? `agreement ${String(a.id)}` : `agreements[${i}]`;
    if (!('data' in a)) {
      out.push(bare(fromObject(a, name)));
      continue;
    }
    const bytes = typeof a.data === 'string' ? new TextEncoder().encode(a.data) : toBytes(a.data);
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new TrustListError(`agreement ${name} is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
    if (!isAgreementJws(value)) {
      out.push(bare({ ...parseAgreementJson(value, name), sha256: await sha256Hex(bytes) }));
      continue;
    }
    let jws, payload;
    try {
      ({ jws, payload } = readAgreementJws(value));
    } catch (e) {
      throw new TrustListError(`${name}: ${(e as Error).message}`, { cause: e });
    }
    // The agreement is the payload's exact bytes: its SHA-256 names it whatever signatures are attached.
    const agreement = { ...parseAgreementJson(new TextDecoder().decode(payload), name), sha256: await sha256Hex(payload) };
    signers ??= [...pinned, ...announcedSigners(o.set)];
    const signatures = await verifyAgreementSignatures(jws, agreement.parties, signers, o.registry);
    const missing = signatures.filter((s) => s.status !== 'VALID');
    out.push({
      agreement,
      used: missing.length === 0,
      authentication: 'signed',
      signatures,
      reason: missing.length ? `not signed by ${missing.map((m) => `${m.party} (${m.detail})`).join(' and ')}` : null,
    });
  }
  return out;
}

function fromObject(a: Agreement, name: string): Agreement {
  // An object handed over in code is validated like a file: a malformed one must not reach recognition.
  const { sha256, ...fields } = a as Agreement & Record<string, unknown>;
  // A parsed mutual Agreement carries issuerParty/relyingParty as null; the JSON form omits them.
  const present = Object.fromEntries(Object.entries(fields).filter(([k, v]) => !((k === 'issuerParty' || k === 'relyingParty') && (v === null || v === undefined))));
  const json = 'kind' in present ? present : { kind: AGREEMENT_JSON_KIND, jsonVersion: 1, ...present };
  const parsed = parseAgreementJson(json, name);
  return sha256 === undefined ? parsed : { ...parsed, sha256 };
}
