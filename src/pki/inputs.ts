/**
 * Certificates as callers hand them over (DER or PEM bytes, PEM text, or already parsed) → parsed
 * certificates. Lives in pki/ so every consumer (verify options, trusted-list signer pins) reads
 * them one way without importing the validation options.
 */
import { InvalidOptionError } from '../errors.js';
import { toBytes } from '../util/bytes.js';
import { BytesCache } from '../util/bytes-cache.js';
import { derObjectsFrom } from '../util/pem.js';
import { certificateCache } from './cache.js';
import { ParsedCertificate } from './certificate.js';

/** A certificate as the caller has it: DER or PEM bytes (one or many PEM blocks), PEM text, or already parsed. */
export type CertificateInput = Uint8Array | ArrayBuffer | string | ParsedCertificate;

const encoder = new TextEncoder();

export function asBytes(input: Uint8Array | ArrayBuffer | string): Uint8Array {
  return typeof input === 'string' ? encoder.encode(input) : toBytes(input);
}

/** DER objects from caller-supplied PEM/DER; a malformed PEM block is the caller's option error, not a TypeError. */
export function optionObjects(input: Uint8Array, labels: readonly string[], what: string): Uint8Array[] {
  try {
    return derObjectsFrom(input, labels);
  } catch (e) {
    throw new InvalidOptionError(`unreadable ${what}: malformed PEM (${(e as Error).message})`, { cause: e });
  }
}

/** Reads certificates from PEM (one or several blocks) or DER; throws InvalidOptionError for input that holds none or does not parse. */
export function loadCertificates(input: CertificateInput): ParsedCertificate[] {
  if (input instanceof ParsedCertificate) return [input];
  const bytes = asBytes(input);
  // Callers pass the same PEM or DER anchors with every call: read each distinct input once.
  const hit = certificateInputs.get(bytes);
  if (hit) return [...hit];
  const ders = optionObjects(bytes, ['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE'], 'certificate');
  if (ders.length === 0) throw new InvalidOptionError('no certificate found in the given input');
  const certificates = ders.map((d) => {
    try {
      return certificateCache.get(d);
    } catch (e) {
      throw new InvalidOptionError(`unreadable certificate: ${(e as Error).message}`, { cause: e });
    }
  });
  certificateInputs.set(bytes, certificates);
  return [...certificates];
}

/** Certificates read from recent caller inputs (PEM or DER bytes), by hash and confirmed byte for byte. */
const certificateInputs = new BytesCache<readonly ParsedCertificate[]>(256);
