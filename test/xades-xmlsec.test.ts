import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commandAvailable, describeIf } from './helpers/skip.js';

// Independent cross-check: every B-level positive made by fixtures/gen-xades.ts verifies with libxmlsec1.
const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const manifest = JSON.parse(readFileSync(`${dir}xades/manifest.json`, 'utf8')) as {
  samples: { id: string; file: string; xmlsec1: boolean; trustAnchors: string[]; detached: Record<string, string> | null }[];
};
const available = commandAvailable('xmlsec1', ['--version'], 'XAdES cross-check skipped', 'apt-get install -y xmlsec1');

function xmlsecArgs(s: { file: string; trustAnchors: string[]; detached: Record<string, string> | null }): string[] {
  return [
    '--verify',
    '--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties',
    '--id-attr:Id', 'urn:example:invoice:Invoice',
    '--enabled-key-data', 'x509',
    ...s.trustAnchors.flatMap((a) => ['--trusted-pem', a]),
    '--untrusted-pem', 'pki/kz-ca.pem', '--untrusted-pem', 'pki/tr-ca.pem',
    '--verification-gmt-time', '2026-06-01+00:00:00',
    ...Object.entries(s.detached ?? {}).flatMap(([k, v]) => [`--url-map:${k}`, v]),
    s.file,
  ];
}

describeIf(available, 'xmlsec1 not installed')('xmlsec1 --verify agrees on the XAdES-B positives', () => {
  for (const s of manifest.samples.filter((x) => x.xmlsec1)) {
    it(s.id, () => {
      // Throws (non-zero exit) unless libxmlsec1 verifies every reference and the signature.
      expect(() => execFileSync('xmlsec1', xmlsecArgs(s), { cwd: dir, stdio: 'pipe' })).not.toThrow();
    });
  }
  it('and rejects the tampered ones (so the cross-check can fail)', () => {
    for (const id of ['kz-enveloped-tampered-content', 'kz-enveloped-tampered-signedprops']) {
      const s = manifest.samples.find((x) => x.id === id)!;
      expect(() => execFileSync('xmlsec1', xmlsecArgs(s), { cwd: dir, stdio: 'pipe' })).toThrow();
    }
  });
});
