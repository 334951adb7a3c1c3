import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { ETSI_VR_NS, formatEtsiXml } from '../src/report/etsi-xml.js';
import { fixture, fixtureCrls, loadManifest } from './helpers/fixtures.js';
import { structuralProblems } from './helpers/etsi-structure.js';

const m = loadManifest();
const at = new Date(m.validationTime);

describe('ETSI TS 119 102-2 validation report', () => {
  it('for a valid signature: total-passed, the chain by reference, the times', async () => {
    const report = await verify(fixture('cades/kz-attached.p7s'), { trustAnchors: [fixture('pki/kz-root.pem')], crls: fixtureCrls(), validationTime: at });
    const xml = formatEtsiXml(report);
    expect(structuralProblems(xml)).toEqual([]);
    expect(xml).toContain('<vr:MainIndication>urn:etsi:019102:mainindication:total-passed</vr:MainIndication>');
    expect(xml).toContain('<vr:IntermediateCertificate VOReference=');
    expect(xml).toContain(`<vr:ValidationTime>${at.toISOString()}</vr:ValidationTime>`);
    expect(xml.match(/<vr:ValidationObject /g)).toHaveLength(3);
  });

  it('for failing signatures: the ETSI sub-indication URI, on the signature and on the failing constraint', async () => {
    const report = await verify(fixture('cades/two-signers-one-bad.p7s'), {
      trustAnchors: [fixture('pki/kz-root.pem'), fixture('pki/tr-root.pem')],
      crls: fixtureCrls(),
      validationTime: at,
    });
    const xml = formatEtsiXml(report);
    expect(structuralProblems(xml)).toEqual([]);
    expect(xml.match(/<vr:SignatureValidationReport>/g)).toHaveLength(2);
    expect(xml).toContain('<vr:SubIndication>urn:etsi:019102:subindication:SIG_CRYPTO_FAILURE</vr:SubIndication>');
    expect(xml).toContain('urn:etsi:019102:mainindication:total-failed');
  });

  it('the structural checker itself rejects a report with elements out of order', () => {
    const bad = `<vr:ValidationReport xmlns:vr="${ETSI_VR_NS}"><vr:SignatureValidationReport><vr:SignatureValidationStatus><vr:MainIndication>urn:x</vr:MainIndication></vr:SignatureValidationStatus><vr:SignatureIdentifier><vr:HashOnly>false</vr:HashOnly><vr:DocHashOnly>false</vr:DocHashOnly></vr:SignatureIdentifier></vr:SignatureValidationReport></vr:ValidationReport>`;
    expect(structuralProblems(bad)).toContain('SignatureValidationReport: SignatureIdentifier out of order');
  });
});
