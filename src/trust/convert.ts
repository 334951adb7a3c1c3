import type { AlgorithmRegistry } from '../crypto/registry.js';
import type { CertificateInput } from '../pki/inputs.js';
import { TrustListError } from './errors.js';
import { trustedListToJson, type TrustListJson } from './json.js';
import { loadTrustLists } from './load.js';

/**
 * Converts a TS 119 612 XML list to the JSON form, recording the SHA-256 of
 * the exact XML bytes and the outcome of its signature check, so whoever
 * bundles the JSON can show which signed list it came from. Refuses a list
 * whose signature does not verify with `signingCertificates`.
 */
export async function convertTrustedListXmlToJson(
  xml: Uint8Array | string,
  signingCertificates: readonly CertificateInput[],
  options: { readonly time?: Date; readonly registry?: AlgorithmRegistry } = {},
): Promise<TrustListJson> {
  const time = options.time ?? new Date();
  const set = await loadTrustLists([{ data: xml, signingCertificates, name: 'xml' }], { time, ...(options.registry ? { registry: options.registry } : {}) });
  const l = set.lists[0]!;
  if (l.format !== 'xml') throw new TrustListError('convertTrustedListXmlToJson expects an XML list');
  if (l.signature.status !== 'VALID') throw new TrustListError(`refusing to convert: ${l.signature.detail}`);
  return trustedListToJson(l.list, { format: 'xml', sha256: l.sha256, signature: l.signature.status, signer: l.signature.signer, convertedAt: time.toISOString() });
}
