/** A case's result against the suite's expectation; NA = not applicable (with its reason). */
export type CaseResult = 'AGREE' | 'FALSE_ACCEPT' | 'FALSE_REJECT' | 'NA';

/** One case as the manifest (conformance/<suite>.tsv) records it. */
export interface CaseOutcome {
  /** Stable within the suite (the manifest key). */
  readonly id: string;
  readonly result: CaseResult;
  /** What the library said (ETSI indication, or the suite's own word: valid / invalid / unsupported). */
  readonly indication: string;
  readonly subIndication: string;
  /** For NA: why not applicable; otherwise what decided it (first non-passed finding, or the third opinion). */
  readonly reason: string;
  /**
   * The library said INDETERMINATE/TRY_LATER only because the suite supplies no revocation data, and
   * revocation-unavailable was the only non-passed finding: the path verdict was counted as SUCCESS.
   */
  readonly countedWithoutRevocation?: boolean;
}

/** An external conformance suite; `run` resolves to undefined when its files are absent. */
export interface Suite {
  /** Short name used in the summary line and the manifest file name (conformance/<name>.tsv). */
  readonly name: string;
  /** What the suite is, for the details. */
  readonly title: string;
  /** Fraction of applicable cases that must agree (e.g. 0.97). */
  readonly target: number;
  /**
   * Why the agreement target is tracked but not yet enforced (the open issue that will meet it). A false accept
   * and any change against the manifest still fail the run.
   */
  readonly targetTracked?: string;
  /** The validation policy named in the summary line; default `default`. */
  readonly policy?: string;
  /** What the suite runs through (public API and options), printed with the details. */
  readonly via: string;
  run(corpus: string): Promise<readonly CaseOutcome[] | undefined>;
}

/** The result of an expected outcome against ours (SUCCESS = accepted). */
export function resultOf(expected: 'SUCCESS' | 'FAILURE', got: 'SUCCESS' | 'FAILURE'): CaseResult {
  if (expected === got) return 'AGREE';
  return got === 'SUCCESS' ? 'FALSE_ACCEPT' : 'FALSE_REJECT';
}
