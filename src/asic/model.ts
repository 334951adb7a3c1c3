/**
 * What an ASiC container (EN 319 162-1) is made of and what its signatures cover: the types the container
 * front end collects and, as the report's `container` section, what is reported about it (report/container.ts
 * re-exports them for the report model).
 */
import type { Check } from '../etsi/check.js';
import type { Indication, SubIndication } from '../etsi/indication.js';

/** The ASiC container types of EN 319 162-1. */
export type ContainerType = 'ASiC-S' | 'ASiC-E';

/** What an entry is to the container. */
export type ContainerEntryRole = 'mimetype' | 'data' | 'signature' | 'manifest' | 'timestamp' | 'metadata' | 'folder';

/** One entry of a container, as the report lists it. */
export interface ContainerEntry {
  readonly name: string;
  readonly role: ContainerEntryRole;
  readonly size: number;
  readonly compressedSize: number;
  readonly method: 'stored' | 'deflated';
  /** SHA-256 of the entry's bytes, hex (so what was signed can be matched to a file the user holds). */
  readonly sha256: string;
  /** When the entry is itself a container (a container of containers), what it is; not validated here. */
  readonly nested?: { readonly kind: 'ASiC-S' | 'ASiC-E' | 'ZIP' | 'DDOC'; readonly detail: string };
}

/** What one signature of the container covers. `signature` is the SignatureReport id. */
export interface ContainerCoverage {
  readonly signature: string;
  /** The container file the signature is in, e.g. `META-INF/signatures0.xml`. */
  readonly file: string;
  /** For CAdES in ASiC-E: the ASiCManifest it signs. */
  readonly manifest?: string;
  /** Data objects it covers (digest checked by the signature, or through its manifest). */
  readonly covers: readonly string[];
}

/** A time-stamp token of the container (ASiC-S `META-INF/timestamp.tst`), validated over the entry it covers. */
export interface ContainerTimestamp {
  readonly file: string;
  readonly covers: readonly string[];
  readonly status: 'PASSED' | 'FAILED' | 'INDETERMINATE';
  readonly subIndication: SubIndication | null;
  readonly genTime: string | null;
  readonly tsa: string | null;
  readonly checks: readonly Check[];
}

/** An ASiCManifest DataObjectReference whose digest does not match the entry it names (or names no entry). */
export interface ManifestMismatch {
  readonly manifest: string;
  readonly entry: string;
  readonly detail: string;
}

/** The `container` section of a ValidationReport: what the container holds, what each signature covers, its own findings. */
export interface ContainerReport {
  readonly type: ContainerType;
  /** The `mimetype` entry's value, null when there is none. */
  readonly mimetype: string | null;
  /**
   * The container's overall result: the worst of its signatures' and time-stamps' results and its own
   * findings (a FAILED finding makes it TOTAL-FAILED; nothing signed at all is INDETERMINATE).
   */
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  readonly entries: readonly ContainerEntry[];
  readonly signatures: readonly ContainerCoverage[];
  readonly timestamps: readonly ContainerTimestamp[];
  /** Data objects no signature or time-stamp covers. */
  readonly notCovered: readonly string[];
  /** Data objects some signatures cover and others do not. */
  readonly partiallyCovered: readonly string[];
  readonly manifestMismatches: readonly ManifestMismatch[];
  /** Container checks (structure, names, mimetype, coverage), in order. */
  readonly checks: readonly Check[];
  readonly warnings: readonly string[];
  /**
   * Data objects that are ASiC containers themselves (a container of containers), each validated in turn, as deep
   * as limits.maxContainerDepth allows. Their signatures are in the report's `signatures` with ids prefixed by the
   * entry (`inner.asice!/META-INF/signatures0.xml#S0`) and named by id in `container.signatures`; an inner
   * container's result is part of this one's. Absent when there is none.
   */
  readonly inner?: readonly InnerContainerReport[];
}

/** A data object of a container that is a container itself, and its own container section. */
export interface InnerContainerReport {
  /** The entry's name in the enclosing container. */
  readonly entry: string;
  readonly container: ContainerReport;
}
