import { createRequire } from 'node:module';

/**
 * The packages the service needs. They are optional peer dependencies of ots-esig: a library
 * consumer does not install them, whoever runs `ots-esig serve`/`queue` or imports
 * `ots-esig/server` installs them beside ots-esig.
 */
export const SERVER_PACKAGES = ['fastify', '@fastify/multipart', 'piscina', 'prom-client', 'bullmq', 'ioredis'] as const;

/** Some of SERVER_PACKAGES cannot be found from where ots-esig is installed. */
export class ServerPackagesMissingError extends Error {
  /** Stable, to branch on (the CLI turns it into a usage message). */
  readonly code = 'ERR_SERVER_PACKAGES_MISSING';
  constructor(
    /** The missing package names. */
    readonly missing: readonly string[],
  ) {
    super(
      `the ots-esig service (ots-esig serve / queue, ots-esig/server) needs packages that are not installed: ${missing.join(', ')}; ` +
        `install them beside ots-esig: npm install ${SERVER_PACKAGES.join(' ')}`,
    );
    this.name = 'ServerPackagesMissingError';
  }
}

/** The SERVER_PACKAGES that `resolve` cannot find. */
export function missingServerPackages(resolve: (name: string) => unknown): string[] {
  return SERVER_PACKAGES.filter((name) => {
    try {
      resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * Throws ServerPackagesMissingError, naming every missing package at once, before anything
 * imports them (Node's own error names only the first, as "Cannot find package").
 * Resolution is from this module's location, as the server modules' own imports resolve.
 */
export function assertServerPackages(): void {
  const require = createRequire(import.meta.url);
  const missing = missingServerPackages((name) => require.resolve(name));
  if (missing.length) throw new ServerPackagesMissingError(missing);
}
