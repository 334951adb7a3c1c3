import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { readPublicKey } from '../src/crypto/spki.js';
import { gostDigest, gostSignLE, gostVerifyLE } from '../src/crypto/gost/engine.js';
import { GOST_DIGESTS } from '../src/crypto/gost/oids.js';
import { GostProvider } from '../src/crypto/gost/provider.js';
import { AlgorithmRegistry } from '../src/crypto/registry.js';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { verifySignedBy } from '../src/pki/signature.js';
import { fromHex, toHex } from '../src/util/bytes.js';

/** Standards write integers big-endian; the engine takes little-endian byte strings of a fixed width. */
function le(hexBE: string, bytes: number): Uint8Array {
  const be = fromHex(hexBE.padStart(bytes * 2, '0'));
  return be.slice().reverse();
}

const STREEBOG_256 = GOST_DIGESTS['1.2.643.7.1.1.2.2']!;
const STREEBOG_512 = GOST_DIGESTS['1.2.643.7.1.1.2.3']!;

describe('GOST R 34.11-2012 (Streebog), RFC 6986 section 10 examples', () => {
  // M1 is the ASCII digits as the RFC prints it read right to left; M2 the Cyrillic text in CP1251.
  const m1 = new TextEncoder().encode('012345678901234567890123456789012345678901234567890123456789012');
  const m2 = fromHex(
    'd1e520e2e5f2f0e82c20d1f2f0e8e1eee6e820e2edf3f6e82c20e2e5fef2fa20f120eceef0ff20f1f2f0e5ebe0ece820ede020f5f0e0e1f0fbff20efebfaeafb20c8e3eef0e5e2fb',
  );
  it('M1: 512-bit and 256-bit hashes', () => {
    expect(toHex(gostDigest(STREEBOG_512, m1))).toBe(
      '1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48',
    );
    expect(toHex(gostDigest(STREEBOG_256, m1))).toBe('9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500');
  });
  it('M2: 512-bit and 256-bit hashes', () => {
    expect(toHex(gostDigest(STREEBOG_512, m2))).toBe(
      '1e88e62226bfca6f9994f1f2d51569e0daf8475a3b0fe61a5300eee46d961376035fe83549ada2b8620fcd7c496ce5b33f0cb9dddc2b6460143b03dabac9fb28',
    );
    expect(toHex(gostDigest(STREEBOG_256, m2))).toBe('9dd2fe4e90409e5da87f53976d7405b0c0cac628fc669a741d50063c557e8f50');
  });
  it('the provider exposes the same digests by OID', async () => {
    const p = new GostProvider();
    expect(toHex(await p.digest('1.2.643.7.1.1.2.2', m1))).toBe('9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500');
    expect(p.supportsDigest('2.16.840.1.101.3.4.2.1')).toBe(false);
  });
});

describe('GOST R 34.11-94 (RFC 5831 section 7 examples with the test S-box; CryptoPro S-box values as OpenSSL md_gost94)', () => {
  const enc = (t: string) => new TextEncoder().encode(t);
  const KZ_34_311 = GOST_DIGESTS['1.2.398.3.10.1.3.1.1.0']!; // KZ GOST 34.311-95 = R 34.11-94 with the test S-box
  const CRYPTOPRO = GOST_DIGESTS['1.2.643.2.2.9']!;
  it('test S-box: the 32- and 50-byte examples, empty and "a"', () => {
    expect(toHex(gostDigest(KZ_34_311, enc('This is message, length=32 bytes')))).toBe('b1c466d37519b82e8319819ff32595e047a28cb6f83eff1c6916a815a637fffa');
    expect(toHex(gostDigest(KZ_34_311, enc('Suppose the original message has length = 50 bytes')))).toBe('471aba57a60a770d3a76130635c1fbea4ef14de51f78b4ae57dd893b62f55208');
    expect(toHex(gostDigest(KZ_34_311, enc('')))).toBe('ce85b99cc46752fffee35cab9a7b0278abb4c2d2055cff685af4912c49490f8d');
    expect(toHex(gostDigest(KZ_34_311, enc('a')))).toBe('d42c539e367c66e9c88a801f6649349c21871b4344c6a573f849fdce62f314dd');
  });
  it('CryptoPro S-box (id-GostR3411-94-CryptoProParamSet)', () => {
    expect(toHex(gostDigest(CRYPTOPRO, enc('This is message, length=32 bytes')))).toBe('2cefc2f7b7bdc514e18ea57fa74ff357e7fa17d652c75f69cb1be7893ede48eb');
    expect(toHex(gostDigest(CRYPTOPRO, enc('Suppose the original message has length = 50 bytes')))).toBe('c3730c5cbccacf915ac292676f21e8bd4ef75331d9405e5f1a61dc3130a65011');
    expect(toHex(gostDigest(CRYPTOPRO, enc('')))).toBe('981e5f3ca30c841487830f84fb433e13ac1101569b9c13584ac483234cd656c0');
  });
});

describe('GOST R 34.10-2012, RFC 7091 appendix A (the standard\'s examples)', () => {
  it('A.1 (256-bit, test curve): signing with the example nonce gives the example r, s, and it verifies', () => {
    const use = { curve: 'S-256-TEST', bits: 256 as const };
    const d = le('7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28', 32);
    const e = le('2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5', 32);
    const k = le('77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3', 32);
    const q = new Uint8Array([
      ...le('7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B', 32),
      ...le('26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA', 32),
    ]);
    const r = le('41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493', 32);
    const s = le('01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40', 32);
    const sig = gostSignLE(use, d, e, k);
    expect(toHex(sig)).toBe(toHex(new Uint8Array([...r, ...s])));
    expect(gostVerifyLE(use, q, sig, e)).toBe(true);
    const bad = sig.slice();
    bad[40]! ^= 1;
    expect(gostVerifyLE(use, q, bad, e)).toBe(false);
    const otherDigest = e.slice();
    otherDigest[0]! ^= 1;
    expect(gostVerifyLE(use, q, sig, otherDigest)).toBe(false);
  });

  it('A.2 (512-bit, test curve): signing with the example nonce gives the example r, s, and it verifies', () => {
    const use = { curve: 'T-512-TEST', bits: 512 as const };
    const d = le('0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B102072E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4', 64);
    const e = le('3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C5917184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C', 64);
    const k = le('0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F365886748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1', 64);
    const q = new Uint8Array([
      ...le('115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1', 64),
      ...le('37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC', 64),
    ]);
    const r = le('2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD35492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36', 64);
    const s = le('1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A', 64);
    const sig = gostSignLE(use, d, e, k);
    expect(toHex(sig)).toBe(toHex(new Uint8Array([...r, ...s])));
    expect(gostVerifyLE(use, q, sig, e)).toBe(true);
    expect(gostVerifyLE(use, q, new Uint8Array([...s, ...r]), e)).toBe(false);
  });
});

describe('RFC 9215 appendix A example certificates (X.509 encoding: key x‖y little-endian, signature s‖r big-endian)', () => {
  const registry = new AlgorithmRegistry().register(new GostProvider());
  const examples = {
    // A.1: GOST R 34.10-2012-256 on id-GostR3410-2001-TestParamSet, Streebog-256
    'A.1 (256-bit)':
      '3082012d3081dba00302010202010a300a06082a8503070101030230123110300e060355040313074578616d706c653020170d3031303130313030303030305a180f32303530313233313030303030305a30123110300e060355040313074578616d706c653066301f06082a85030701010101301306072a85030202230006082a8503070101020203430004400bd86fe5d8db89668f789b4e1dba8585c5508b45ec5b59d8906ddb70e2492b7fda77ff871a10fbdf2766d293c5d164afbb3c7b973a41c885d11d70d689b4f126a3133011300f0603551d130101ff040530030101ff300a06082a850307010103020341004d53f012fe081776507d4d9bb81f00efdb4eefd4ab83bac4bacf735173cfa81c41aa28d2f1ab148280cd9ed56feda41974053554a42767b83ad043fd39dc0493',
    // A.2: GOST R 34.10-2012-256 on id-tc26-gost-3410-12-256-paramSetA (twisted Edwards, used in Weierstrass form)
    'A.2 (256-bit, tc26 paramSetA)':
      '308201253081d3a00302010202010a300a06082a8503070101030230123110300e060355040313074578616d706c653020170d3031303130313030303030305a180f32303530313233313030303030305a30123110300e060355040313074578616d706c65305e301706082a85030701010101300b06092a85030701020101010343000440742795d4bee884ddf2850fec03ea3faf1844e01d9da60b645093a55e26dfc39978f596cf4d4d0c6cf1d18943d94493d16b9ec0a16d512d2e127cc4691a6318e2a3133011300f0603551d130101ff040530030101ff300a06082a85030701010302034100140b4da9124b09cb0d5ce928ee874273a310129492ec0e29369e3b791248578c1d0e1da5be347c6f1b5256c7aeac200ad64ac77a6f5b3a0e097318e7ae6ee769',
    // A.3: GOST R 34.10-2012-512 on id-tc26-gost-3410-12-512-paramSetTest, Streebog-512
    'A.3 (512-bit)':
      '308201aa30820116a00302010202010b300a06082a8503070101030330123110300e060355040313074578616d706c653020170d3031303130313030303030305a180f32303530313233313030303030305a30123110300e060355040313074578616d706c653081a0301706082a85030701010102300b06092a850307010201020003818400048180e1ef30d52c6133ddd99d1d5c41455cf7df4d8b4c925bbc69af1433d15658515add2146850c325c5b81c133be655aa8c4d440e7b98a8d59487b0c7696bcc55d11ecbe7736a9ec357ff2fd39931f4e114cb8cda359270ac7f0e7ff43d9419419ea61fd2ab77f5d9f63523d3b50a04f63e2a0cf51b7c13adc21560f0bd40cc9c737a3133011300f0603551d130101ff040530030101ff300a06082a8503070101030303818100415703d892f1a5f3f68c4353189a7ee207b80b5631ef9d49529a4d6b542c2cfa15aa2eacf11f470fde7d954856903c35fd8f955ef300d95c77534a724a0eee702f86fa60a081091a23dd795e1e3c689ee512a3c82ee0dcc2643c78eea8fcacd35492558486b20f1c9ec197c90699850260c93bcbcd9c5c3317e19344e173ae36',
  };
  for (const [name, hex] of Object.entries(examples)) {
    it(`${name}: the self-signature verifies; a flipped TBS byte does not`, async () => {
      const cert = ParsedCertificate.fromDer(fromHex(hex));
      const ok = await verifySignedBy(registry, cert, cert);
      expect(ok).toMatchObject({ ok: true, algorithm: { key: 'GOST R 34.10-2012' } });
      const tbs = cert.tbs.slice();
      tbs[tbs.length - 1]! ^= 1;
      expect((await verifySignedBy(registry, { ...cert, tbs, signatureAlgorithm: cert.signatureAlgorithm, signatureValue: cert.signatureValue }, cert)).ok).toBe(false);
    });
  }

  it('takes Node Buffers (views into a shared pool) and leaves the caller\'s signature bytes untouched', async () => {
    const cert = ParsedCertificate.fromDer(fromHex(examples['A.1 (256-bit)']));
    const pooled = (b: Uint8Array) => Buffer.from(toHex(b), 'hex'); // small Buffers live inside a larger pool ArrayBuffer
    const signature = pooled(cert.signatureValue);
    const before = toHex(signature);
    const ok = await new GostProvider().verify({ signatureAlgorithm: cert.signatureAlgorithm, publicKey: cert.publicKey, data: pooled(cert.tbs), signature });
    expect(ok).toBe(true);
    expect(toHex(signature)).toBe(before);
  });

  it('a key on a parameter set the engine lacks (id-tc26-gost-3410-12-512-paramSetC): unsupported naming the parameter set, not a pass', async () => {
    const spki = new asn1js.Sequence({
      value: [
        new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.643.7.1.1.1.2' }), new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.643.7.1.2.1.2.3' })] })] }),
        new asn1js.BitString({ valueHex: new asn1js.OctetString({ valueHex: new Uint8Array(128).fill(7).buffer }).toBER() }),
      ],
    });
    const publicKey = readPublicKey(new Uint8Array(spki.toBER()));
    expect(publicKey).toMatchObject({ parameterOid: '1.2.643.7.1.2.1.2.3', bits: 512 });
    const r = await verifySignedBy(registry, { tbs: new Uint8Array(10), signatureAlgorithm: { oid: '1.2.643.7.1.1.3.3' }, signatureValue: new Uint8Array(128) }, { publicKey });
    expect(r).toMatchObject({ ok: false, unsupported: true });
    expect(r.ok ? '' : r.reason).toContain('1.2.643.7.1.2.1.2.3');
  });

  it('without the provider the same certificate is unsupported, naming the OID', async () => {
    const cert = ParsedCertificate.fromDer(fromHex(examples['A.1 (256-bit)']));
    const r = await verifySignedBy(new AlgorithmRegistry(), cert, cert);
    expect(r).toMatchObject({ ok: false, unsupported: true });
    expect(r.ok ? '' : r.reason).toContain('1.2.643.7.1.1.3.2');
  });
});
