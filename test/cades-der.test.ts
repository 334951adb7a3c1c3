import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { fixture, fixtureCrls, loadManifest } from './helpers/fixtures.js';

const at = new Date(loadManifest().validationTime);

/** kz-attached with its first two signed attributes swapped: same bytes, non-DER SET OF order. */
function reorderedSignedAttributes(): Uint8Array {
  const der = fixture('cades/kz-attached.p7s').slice();
  const root = asn1js.fromBER(der.buffer).result as asn1js.Sequence;
  const signedData = (root.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  const signerInfos = signedData.valueBlock.value[signedData.valueBlock.value.length - 1] as asn1js.Set;
  const si = signerInfos.valueBlock.value[0] as asn1js.Sequence;
  const attrs = si.valueBlock.value.find((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0) as asn1js.Constructed;
  const [a, b] = attrs.valueBlock.value.map((x) => x.valueBeforeDecodeView);
  const start = a!.byteOffset;
  const swapped = new Uint8Array([...b!, ...a!]);
  der.set(swapped, start);
  return der;
}

describe('signed attributes are verified over their DER encoding (RFC 5652 5.4)', () => {
  it('a SignerInfo whose signed attributes arrive out of DER order still verifies over the DER form, with a warning', async () => {
    const input = reorderedSignedAttributes();
    expect(input).not.toEqual(fixture('cades/kz-attached.p7s'));
    const r = await verify(input, { trustAnchors: [fixture('pki/kz-root.pem')], crls: fixtureCrls(), validationTime: at });
    expect(r.signatures[0]!.indication).toBe('TOTAL-PASSED');
    expect(r.signatures[0]!.warnings.join(' ')).toMatch(/not DER-encoded/);
  });

  it('DER-ordered input gives no such warning', async () => {
    const r = await verify(fixture('cades/kz-attached.p7s'), { trustAnchors: [fixture('pki/kz-root.pem')], crls: fixtureCrls(), validationTime: at });
    expect(r.signatures[0]!.warnings.join(' ')).not.toMatch(/not DER-encoded/);
  });
});
