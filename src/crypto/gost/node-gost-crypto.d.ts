// node-gost-crypto ships no type declarations; only the two classes the provider uses are declared.
declare module 'node-gost-crypto/lib/gostSign.js' {
  interface GostSignAlgorithm {
    name?: string;
    version?: 1994 | 2001 | 2012;
    length?: 256 | 512;
    namedCurve?: string;
    curve?: { p: string; a: string; b: string; q: string; x: string; y: string };
    hash?: { name: string; version: 1994 | 2012; length?: number; sBox?: string };
    /** Fixed nonce k (test vectors only). */
    ukm?: ArrayBuffer;
  }
  class GostSign {
    constructor(algorithm: GostSignAlgorithm);
    sign(privateKey: ArrayBuffer, data: ArrayBuffer): ArrayBuffer;
    verify(publicKey: ArrayBuffer, signature: ArrayBuffer, data: ArrayBuffer): boolean;
    generateKey(): { privateKey: ArrayBuffer; publicKey: ArrayBuffer };
  }
  export = GostSign;
}
declare module 'node-gost-crypto/lib/gostDigest.js' {
  class GostDigest {
    constructor(algorithm: { name: string; version: 1994 | 2012; length?: number; sBox?: string });
    digest(data: ArrayBuffer): ArrayBuffer;
  }
  export = GostDigest;
}
