/** Kept in step with package.json by the release process; reports carry it for auditors. */
export const VERSION = '0.1.0';
