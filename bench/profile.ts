/**
 * A workload for `node --cpu-prof --import tsx bench/profile.ts [rsa|p256|list]`:
 * repeated verify() of one fixture ([rsa|p256][-node]) (or a 5,000-certificate list load), so the
 * profile shows where validation time goes. Summarise with bench/top.mjs.
 */
import { loadCase, VALIDATION_TIME } from './cases.js';
import { syntheticCaCertificates, trustedListJson } from './synthetic.js';
import { loadTrustLists } from '../src/trust/load.js';

const what = process.argv[2] ?? 'rsa';
const n = Number(process.argv[3] ?? 2000);
if (what === 'list') {
  const json = trustedListJson(await syntheticCaCertificates(5000));
  const t = performance.now();
  await loadTrustLists([{ data: json }], { time: VALIDATION_TIME });
  console.log(`list load ${(performance.now() - t).toFixed(0)} ms`);
} else {
  const c0 = await (what.startsWith('p256') ? loadCase('p256', '', 'cades/kg-attached.p7s', 'pki/kg-root.pem', 'keys/kg-signer.key.pem', ['crl/current/kg-ca.crl', 'crl/current/kg-root.crl']) : loadCase('rsa', '', 'cades/az-attached.p7s', 'pki/az-root.pem', 'keys/az-signer.key.pem', ['crl/current/az-ca.crl', 'crl/current/az-root.crl']));
  // `rsa-node` / `p256-node`: the same with the NodeCryptoProvider registry.
  const op = what.endsWith('-node') ? c0.otsVerifyNode : c0.otsVerify;
  const t = performance.now();
  for (let i = 0; i < n; i++) if (!(await op())) throw new Error('verification failed');
  console.log(`${what}: ${((performance.now() - t) / n).toFixed(3)} ms per verify()`);
}
