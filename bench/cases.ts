/** The inputs every contender gets, and one function per contender (each does the same job on the same bytes). */
import { createPrivateKey, createPublicKey, createHash, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseCades } from '../src/cades/parse.js';
import { verify, type VerifyOptions } from '../src/index.js';
import { ParsedCrl } from '../src/pki/crl.js';
import { AlgorithmRegistry } from '../src/crypto/registry.js';
import { NodeCryptoProvider } from '../src/node.js';
import { WebCryptoProvider } from '../src/crypto/webcrypto-provider.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const read = (rel: string) => new Uint8Array(readFileSync(FIXTURES + rel));

/** The validation time the fixture PKI is valid at (fixtures/manifest.json). */
export const VALIDATION_TIME = new Date('2026-06-01T00:00:00Z');

export interface BenchCase {
  readonly id: string;
  readonly label: string;
  readonly der: Uint8Array;
  readonly rootPem: Uint8Array;
  /**
   * The current CRLs of the signer's CA and root, parsed once: the default policy needs revocation
   * data for every certificate of the chain, and without it every verify() is INDETERMINATE/TRY_LATER.
   */
  readonly crls: readonly ParsedCrl[];
  /** sha256(content) and compare + node:crypto verify of the signature value over the signed attributes. */
  readonly floor: () => boolean;
  /** The same digest and verification through WebCrypto (crypto.subtle), both started at once: the asynchronous API's own cost. */
  readonly webFloor: () => Promise<boolean>;
  /** What a pkijs user writes: parse DER → ContentInfo → SignedData, then SignedData.verify with the root as trusted. */
  readonly pkijsVerify: (checkChain: boolean) => Promise<boolean>;
  /** ots-esig's public API: parse, integrity, chain, verdict. */
  readonly otsVerify: () => Promise<boolean>;
  /** The same, with the Node adapter (node:crypto) as the registry: what a Node application would pass. */
  readonly otsVerifyNode: () => Promise<boolean>;
  /** ots-esig on other bytes (another signature by the same signer), WebCrypto or node:crypto registry. */
  readonly otsVerifyOther: (der: Uint8Array, node: boolean) => Promise<boolean>;
  /** The fixture's signer key (test PKI), for signing distinct copies. */
  readonly keyFile: string;
}

// Both registries explicitly: the default is node:crypto on Node (src/crypto/defaults.ts).
const nodeRegistry = new AlgorithmRegistry([new NodeCryptoProvider()]);
const webRegistry = new AlgorithmRegistry([new WebCryptoProvider()]);

/**
 * Throws unless every signature of `r` is TOTAL-PASSED: a bench row that times a verify() ending
 * INDETERMINATE or FAILED by accident (a missing CRL, an expired fixture) times the wrong path.
 */
export function expectPassed(r: Awaited<ReturnType<typeof verify>>, what: string): true {
  const bad = r.signatures.filter((s) => s.indication !== 'TOTAL-PASSED');
  if (!r.signatures.length || bad.length) throw new Error(`${what}: expected TOTAL-PASSED, got ${r.signatures.map((s) => `${s.indication}${s.subIndication ? `/${s.subIndication}` : ''}`).join(', ') || 'no signature'}`);
  return true;
}

export async function loadCase(id: string, label: string, file: string, root: string, keyFile: string, crlFiles: readonly string[]): Promise<BenchCase> {
  const der = read(file);
  const rootPem = read(root);
  const crls = crlFiles.map((f) => ParsedCrl.fromDer(read(f)));
  // Setup (untimed): pull out what the floor needs, using a real parse once.
  const sig = parseCades(der);
  const si = sig.signers[0]!;
  const signer = sig.certificates.find(
    (c) => si.sid.type === 'issuerAndSerialNumber' && c.serialNumberHex === si.sid.serialNumberHex && c.issuer.key === si.sid.issuerKey,
  );
  if (!signer || !sig.eContent || !si.signedAttributesDer) throw new Error(`${id}: fixture is not an attached CAdES-B with its signer certificate`);
  const key: KeyObject = createPublicKey({ key: Buffer.from(signer.publicKey.spki), format: 'der', type: 'spki' });
  const content = sig.eContent.slice();
  const signedAttrs = si.signedAttributesDer.slice();
  const signatureValue = si.signatureValue.slice();
  const md = si.signedAttributes.get('1.2.840.113549.1.9.4')![0]!.values[0]!.content('message-digest').slice();
  const floor = () => {
    const digest = createHash('sha256').update(content).digest();
    return digest.equals(md) && nodeVerify('sha256', signedAttrs, key, signatureValue);
  };
  if (!floor()) throw new Error(`${id}: floor verification failed`);
  // The same two operations through WebCrypto, started together: what an asynchronous crypto API costs on its own.
  const ecdsa = key.asymmetricKeyType === 'ec';
  const webAlg = ecdsa ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
  const webSignature = ecdsa ? new Uint8Array(nodeSign('sha256', signedAttrs, { key: createPrivateKey(Buffer.from(read(keyFile))), dsaEncoding: 'ieee-p1363' })) : signatureValue;
  let webKey: Promise<CryptoKey> | undefined;
  const webFloor = async () => {
    webKey ??= crypto.subtle.importKey('spki', signer.publicKey.spki as BufferSource, ecdsa ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
    const k = await webKey;
    const [digest, ok] = await Promise.all([crypto.subtle.digest('SHA-256', content), crypto.subtle.verify(webAlg, k, webSignature as BufferSource, signedAttrs)]);
    return ok && Buffer.from(digest).equals(md);
  };
  if (!(await webFloor())) throw new Error(`${id}: WebCrypto floor verification failed`);

  const rootDer = pemToDer(rootPem);
  const rootPkijs = pkijs.Certificate.fromBER(rootDer as BufferSource);
  const pkijsVerify = async (checkChain: boolean) => {
    const asn = asn1js.fromBER(der.slice().buffer);
    const ci = new pkijs.ContentInfo({ schema: asn.result });
    const sd = new pkijs.SignedData({ schema: ci.content });
    if ((await sd.verify({ signer: 0, trustedCerts: [rootPkijs], checkChain, checkDate: VALIDATION_TIME })) !== true) throw new Error(`${id}: pkijs does not verify the fixture`);
    return true;
  };

  // Every timed call checks its verdict (a string compare per call): a wrong one stops the bench.
  const options: VerifyOptions = { trustAnchors: [rootPem], crls, validationTime: VALIDATION_TIME, registry: webRegistry };
  const otsVerify = async () => expectPassed(await verify(der, options), `${id} (WebCrypto)`);
  const nodeOptions: VerifyOptions = { ...options, registry: nodeRegistry };
  const otsVerifyOther = async (other: Uint8Array, node: boolean) => expectPassed(await verify(other, node ? nodeOptions : options), `${id} (${node ? 'node:crypto' : 'WebCrypto'})`);
  const otsVerifyNode = () => otsVerifyOther(der, true);
  await otsVerify();
  await otsVerifyNode();
  await pkijsVerify(false);
  return { id, label, der, rootPem, crls, floor, webFloor, pkijsVerify, otsVerify, otsVerifyNode, otsVerifyOther, keyFile };
}

export function pemToDer(pem: Uint8Array): Uint8Array {
  const b64 = new TextDecoder().decode(pem).replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}
