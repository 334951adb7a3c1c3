import { readFileSync } from 'node:fs';
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
    crls: (s.crls ?? []).map(fixture),
    detachedContent: s.content ? fixture(s.content) : undefined,
  };
}
