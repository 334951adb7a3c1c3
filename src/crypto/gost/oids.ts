/**
 * GOST algorithm identifiers: the Russian arc (RFC 4357, RFC 4491, RFC 9215)
 * and Kazakhstan's own arc 1.2.398.3.10 used by the National Certification
 * Authority (НУЦ РК / ҰКО). Only mappings proven on real material are listed
 * for the KZ arc: each names the certificate or CRL it was verified on.
 */
import { lookupTable } from '../../util/table.js';

/** Which engine parameters a digest OID means. */
export interface GostDigestSpec {
  /** Name used in reports and in AlgorithmPolicy.digests. */
  readonly name: GostDigestName;
  readonly version: 1994 | 2012;
  readonly length: 256 | 512;
  /** GOST 28147-89 S-box of GOST R 34.11-94 (node-gost-crypto names). */
  readonly sBox?: 'D-A' | 'D-TEST';
}

/** Names of the GOST hash algorithms. */
export type GostDigestName = 'Streebog-256' | 'Streebog-512' | 'GOST R 34.11-94' | 'GOST 34.311-95';

/** GOST hash algorithms by OID (Streebog, GOST R 34.11-94, KZ GOST 34.311-95). */
export const GOST_DIGESTS: Readonly<Record<string, GostDigestSpec>> = lookupTable({
  // id-tc26-gost3411-12-256 / -512 (RFC 9215 §2)
  '1.2.643.7.1.1.2.2': { name: 'Streebog-256', version: 2012, length: 256 },
  '1.2.643.7.1.1.2.3': { name: 'Streebog-512', version: 2012, length: 512 },
  // id-GostR3411-94 with the CryptoPro parameter set (RFC 4357 §10.2)
  '1.2.643.2.2.9': { name: 'GOST R 34.11-94', version: 1994, length: 256, sBox: 'D-A' },
  // KZ GOST 34.311-95: GOST R 34.11-94 with the *test* S-box — the NCA GOST root 2015
  // self-signature verifies with it and not with the CryptoPro S-box.
  '1.2.398.3.10.1.3.1.1.0': { name: 'GOST 34.311-95', version: 1994, length: 256, sBox: 'D-TEST' },
  // The same hash under its short OID, as KalkanCrypt writes it in CMS digestAlgorithm and in
  // NCA time-stamp tokens (test_CMS_GOST_2018.p7s and its TST verify with it).
  '1.2.398.3.10.1.3.1': { name: 'GOST 34.311-95', version: 1994, length: 256, sBox: 'D-TEST' },
  // KZ arc digest of the GOST 34.10-2015 512-bit keys (digest parameter of nca_gost2022_test's key).
  '1.2.398.3.10.1.3.3': { name: 'Streebog-512', version: 2012, length: 512 },
});

/**
 * How the signature value is laid out. RFC 4491/9215: s‖r, each big-endian
 * (equivalently, the byte-reversed little-endian r‖s). Kazakhstan's NCA: r‖s,
 * each little-endian — proven on root_gost_2015 and the GOST TEST 2022 CRL.
 */
export type GostSignatureLayout = 'rfc4491' | 'kz';

export interface GostKeySpec {
  /** Key family, the name AlgorithmPolicy.keys is keyed by. */
  readonly family: GostKeyFamily;
  readonly bits: 256 | 512;
  readonly layout: GostSignatureLayout;
}

/** Families of GOST public keys. */
export type GostKeyFamily = 'GOST R 34.10-2001' | 'GOST R 34.10-2012' | 'GOST 34.310-2004' | 'GOST 34.10-2015';

/** GOST public key algorithms by OID, with their family, size and encoding layout. */
export const GOST_KEYS: Readonly<Record<string, GostKeySpec>> = lookupTable({
  '1.2.643.2.2.19': { family: 'GOST R 34.10-2001', bits: 256, layout: 'rfc4491' },
  '1.2.643.7.1.1.1.1': { family: 'GOST R 34.10-2012', bits: 256, layout: 'rfc4491' },
  '1.2.643.7.1.1.1.2': { family: 'GOST R 34.10-2012', bits: 512, layout: 'rfc4491' },
  '1.2.398.3.10.1.1.1.1': { family: 'GOST 34.310-2004', bits: 256, layout: 'kz' },
  '1.2.398.3.10.1.1.2.2': { family: 'GOST 34.10-2015', bits: 512, layout: 'kz' },
});

/** A signature algorithm OID: the key it needs and the digest it implies. */
export interface GostSignatureSpec {
  readonly name: string;
  readonly keyOid: string;
  readonly digestOid: string;
}

/** GOST signature algorithms by OID, with the key and digest algorithms they combine. */
export const GOST_SIGNATURES: Readonly<Record<string, GostSignatureSpec>> = lookupTable({
  '1.2.643.2.2.3': { name: 'GOST R 34.10-2001 with GOST R 34.11-94', keyOid: '1.2.643.2.2.19', digestOid: '1.2.643.2.2.9' },
  '1.2.643.7.1.1.3.2': { name: 'GOST R 34.10-2012-256 with Streebog-256', keyOid: '1.2.643.7.1.1.1.1', digestOid: '1.2.643.7.1.1.2.2' },
  '1.2.643.7.1.1.3.3': { name: 'GOST R 34.10-2012-512 with Streebog-512', keyOid: '1.2.643.7.1.1.1.2', digestOid: '1.2.643.7.1.1.2.3' },
  '1.2.398.3.10.1.1.1.2': { name: 'GOST 34.310-2004 with GOST 34.311-95 (KZ)', keyOid: '1.2.398.3.10.1.1.1.1', digestOid: '1.2.398.3.10.1.3.1.1.0' },
  '1.2.398.3.10.1.1.2.3.2': { name: 'GOST 34.10-2015-512 with GOST 34.11-2015-512 (KZ)', keyOid: '1.2.398.3.10.1.1.2.2', digestOid: '1.2.398.3.10.1.3.3' },
});

/** Short Weierstrass parameters (big-endian hex) for curves the engine has no name for. */
export interface GostCurveParams {
  readonly p: string;
  readonly a: string;
  readonly b: string;
  readonly q: string;
  readonly x: string;
  readonly y: string;
}

/**
 * id-tc26-gost-3410-12-256-paramSetA (RFC 7836 A.2), a twisted-Edwards curve
 * used here in its Weierstrass form; RFC 9215 example A.2 verifies on it.
 */
const TC26_256_A: GostCurveParams = {
  p: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97',
  a: 'C2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335',
  b: '295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513',
  q: '400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67',
  x: '91E38443A5E82C0D880923425712B2BB658B9196932E02C78B2582FE742DAA28',
  y: '32879423AB1A0375895786C4BB46E9565FDE0B5344766740AF268ADB32322E5C',
};

/**
 * Elliptic-curve parameter sets → node-gost-crypto curve names (or explicit
 * parameters). id-tc26-gost-3410-12-512-paramSetC is absent: no test vector
 * here to check its parameters on, so such keys are reported unsupported.
 */
export const GOST_CURVES: Readonly<Record<string, { readonly curve: string; readonly name: string; readonly params?: GostCurveParams }>> = lookupTable({
  '1.2.643.2.2.35.0': { curve: 'S-256-TEST', name: 'id-GostR3410-2001-TestParamSet' },
  '1.2.643.2.2.35.1': { curve: 'S-256-A', name: 'id-GostR3410-2001-CryptoPro-A-ParamSet' },
  '1.2.643.2.2.35.2': { curve: 'S-256-B', name: 'id-GostR3410-2001-CryptoPro-B-ParamSet' },
  '1.2.643.2.2.35.3': { curve: 'S-256-C', name: 'id-GostR3410-2001-CryptoPro-C-ParamSet' },
  '1.2.643.2.2.36.0': { curve: 'S-256-A', name: 'id-GostR3410-2001-CryptoPro-XchA-ParamSet' },
  '1.2.643.2.2.36.1': { curve: 'S-256-C', name: 'id-GostR3410-2001-CryptoPro-XchB-ParamSet' },
  '1.2.643.7.1.2.1.1.1': { curve: 'TC26-256-A', name: 'id-tc26-gost-3410-12-256-paramSetA', params: TC26_256_A },
  // RFC 9215 section 3: tc26 256 paramSetB/C/D are the CryptoPro A/B/C curves.
  '1.2.643.7.1.2.1.1.2': { curve: 'S-256-A', name: 'id-tc26-gost-3410-12-256-paramSetB' },
  '1.2.643.7.1.2.1.1.3': { curve: 'S-256-B', name: 'id-tc26-gost-3410-12-256-paramSetC' },
  '1.2.643.7.1.2.1.1.4': { curve: 'S-256-C', name: 'id-tc26-gost-3410-12-256-paramSetD' },
  '1.2.643.7.1.2.1.2.0': { curve: 'T-512-TEST', name: 'id-tc26-gost-3410-12-512-paramSetTest' },
  '1.2.643.7.1.2.1.2.1': { curve: 'T-512-A', name: 'id-tc26-gost-3410-12-512-paramSetA' },
  '1.2.643.7.1.2.1.2.2': { curve: 'T-512-B', name: 'id-tc26-gost-3410-12-512-paramSetB' },
  // KZ arc: the CryptoPro-A curve (NCA GOST root 2015 self-signature verifies on it).
  '1.2.398.3.10.1.1.1.1.1': { curve: 'S-256-A', name: 'KZ GOST 34.310-2004 paramset 1 (CryptoPro-A curve)' },
  // KZ arc: the tc26 512 paramSetA curve (GOST TEST 2022 CRL verifies on it).
  '1.2.398.3.10.1.1.2.2.1': { curve: 'T-512-A', name: 'KZ GOST 34.10-2015 512 paramset 1 (tc26 512 paramSetA curve)' },
});
