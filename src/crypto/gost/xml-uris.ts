/**
 * XML-DSig URIs of the GOST algorithms, as the signing tools write them. Lives in the optional GOST
 * entry: without GostProvider registered these URIs are unknown and a signature using them is
 * INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE naming the URI.
 *
 * - Kazakhstan (KalkanCrypt, NCANode, eGov / ESF): GOST 34.10-2015-512 under the
 *   `urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:` prefix, and the older GOST 34.310-2004 /
 *   34.311-95 as `xmldsig-more#gost34310-gost34311` / `#gost34311` (KalkanCrypt's Java XML provider).
 *   The 256-bit GOST 34.10-2015 URI (`…gostr34102015-gostr34112015-256`) is not listed: its signature
 *   OID has no mapping proven on real material (see oids.ts), so it stays unsupported, by name.
 * - RFC 4051 / RFC 6931 2.2.2 (GOST R 34.10-2001 with R 34.11-94), and the CryptoPro 2012 URIs
 *   (`urn:ietf:params:xml:ns:cpxmlsec:algorithms:`) that xmlsec1 and CryptoPro write.
 */
import { lookupTable } from '../../util/table.js';

const MORE = 'http://www.w3.org/2001/04/xmldsig-more#';
const KZ = 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:';
const CP = 'urn:ietf:params:xml:ns:cpxmlsec:algorithms:';

/** SignatureMethod URI → GOST_SIGNATURES OID. */
export const GOST_XML_SIGNATURE_METHODS: Readonly<Record<string, string>> = lookupTable({
  [`${KZ}gostr34102015-gostr34112015-512`]: '1.2.398.3.10.1.1.2.3.2',
  [`${MORE}gost34310-gost34311`]: '1.2.398.3.10.1.1.1.2',
  [`${MORE}gostr34102001-gostr3411`]: '1.2.643.2.2.3',
  [`${CP}gostr34102012-gostr34112012-256`]: '1.2.643.7.1.1.3.2',
  [`${CP}gostr34102012-gostr34112012-512`]: '1.2.643.7.1.1.3.3',
});

/** DigestMethod URI → GOST_DIGESTS OID. */
export const GOST_XML_DIGEST_METHODS: Readonly<Record<string, string>> = lookupTable({
  [`${KZ}gostr34112015-512`]: '1.2.398.3.10.1.3.3',
  [`${MORE}gost34311`]: '1.2.398.3.10.1.3.1',
  [`${MORE}gostr3411`]: '1.2.643.2.2.9',
  [`${CP}gostr34112012-256`]: '1.2.643.7.1.1.2.2',
  [`${CP}gostr34112012-512`]: '1.2.643.7.1.1.2.3',
});
