import { it } from 'vitest';
import { verify } from '../../src/index.js';
import { fixture } from '../helpers/fixtures.js';
it('dbg', async () => {
  const r = await verify(fixture('ltv/cades-lta.p7s'), { trustAnchors: [fixture('pki/kz-root.pem')], timestampAnchors: [fixture('pki/kz-root.pem')], crls: [fixture('crl/current/kz-root.crl')], validationTime: new Date('2031-01-01T00:00:00Z') });
  const s = r.signatures[0]!;
  console.log(s.indication, s.subIndication, JSON.stringify(s.checks.filter((c) => c.status !== 'PASSED'), null, 1), JSON.stringify(s.timestamps, null, 1));
});
