/** One case where the library and the suite's expected result differ. */
export interface Disagreement {
  readonly id: string;
  readonly expected: 'SUCCESS' | 'FAILURE';
  readonly got: 'SUCCESS' | 'FAILURE';
  /** What the library said (first failures), to explain the difference. */
  readonly detail: string;
}

export interface SuiteResult {
  readonly passed: number;
  readonly failed: number;
  /** Cases counted as not applicable (with the reason in `skippedReasons`). */
  readonly skipped: number;
  readonly skippedReasons?: Readonly<Record<string, number>>;
  readonly disagreements: readonly Disagreement[];
}

/** An external conformance suite; `run` resolves to undefined when its files are absent. */
export interface Suite {
  readonly name: string;
  /** Fraction of applicable cases that must agree (e.g. 0.97). */
  readonly target: number;
  run(corpus: string): Promise<SuiteResult | undefined>;
}
