import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { VerifyOptions } from '../../src/index.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export function fixture(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, rel)));
}

export interface ExpectedVerdict {
  readonly indication: string;
  readonly subIndication: string | null;
}

export interface ManifestSample {
  readonly id: string;
  readonly file: string;
  readonly description: string;
  readonly content: string | null;
  readonly trustAnchors: readonly string[];
  readonly timestampAnchors?: readonly string[];
  readonly intermediates?: readonly string[];
  readonly crls?: readonly string[];
  readonly expect: readonly ExpectedVerdict[] | { readonly error: string };
  readonly openssl?: boolean;
}

export interface Manifest {
  readonly validationTime: string;
  readonly samples: readonly ManifestSample[];
}

export function loadManifest(rel = 'manifest.json'): Manifest {
  return JSON.parse(readFileSync(join(FIXTURES, rel), 'utf8')) as Manifest;
}

/** The verify() options a manifest sample describes, read from the committed fixture files. */
export function optionsFor(m: Manifest, s: ManifestSample): VerifyOptions {
  return {
    validationTime: new Date(m.validationTime),
    trustAnchors: s.trustAnchors.map(fixture),
    timestampAnchors: (s.timestampAnchors ?? []).map(fixture),
    intermediates: (s.intermediates ?? []).map(fixture),
    // The sample's own CRLs, then the current CRLs of the fixture PKI (the default policy wants every CA's status).
    crls: [...(s.crls ?? []).map(fixture), ...fixtureCrls()],
    detachedContent: s.content ? fixture(s.content) : undefined,
  };
}

/**
 * The current CRL of every CA of the test PKI (fixtures/crl/current/, fixtures/gen-revocation.ts):
 * the revocation data the default policy requires for the signer and every CA certificate of a
 * fixture path. Tests that are not about revocation pass them; tests about missing revocation data
 * leave them out (or say `policy: 'lenient'` when they are about lenient behaviour).
 */
export const FIXTURE_CRL_FILES: readonly string[] = readdirSync(join(FIXTURES, 'crl/current'))
  .filter((f) => f.endsWith('.crl'))
  .sort()
  .map((f) => `crl/current/${f}`);

export function fixtureCrls(): Uint8Array[] {
  return FIXTURE_CRL_FILES.map(fixture);
}

/** `options` with the fixture PKI's current CRLs added to its `crls`. */
export function withFixtureCrls<T extends VerifyOptions>(options: T): T {
  return { ...options, crls: [...(options.crls ?? []), ...fixtureCrls()] };
}

/** The same CRLs as CLI arguments (`--crl fixtures/crl/current/…`, paths relative to the repository root). */
export function fixtureCrlArgs(): string[] {
  return FIXTURE_CRL_FILES.flatMap((f) => ['--crl', `fixtures/${f}`]);
}
