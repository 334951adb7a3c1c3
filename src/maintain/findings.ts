/** One thing a maintainer should know about a list; `error`s fail the CI job. */
export interface Finding {
  readonly severity: 'error' | 'warning' | 'info';
  /** Stable rule id, e.g. `signature.invalid`, `next-update.past`. */
  readonly rule: string;
  readonly message: string;
  /** Where in the list: provider / service name, when it applies. */
  readonly where?: string;
}

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number; infos: number } {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
}
