// The ES module build of `ots-esig/server` (tsup.config.ts): an ES module's static imports are all
// resolved before any of its code runs, so a missing Fastify would fail as Node's "Cannot find
// package 'fastify'" before src/server/packages-check.ts could name the packages to install. Here
// they are checked first and the service modules loaded after (top-level await). The exports are
// those of src/server/index.ts (test/server-packages.test.ts keeps the two lists equal); its
// declarations are the types of this entry.
import { assertServerPackages } from './packages.js';

assertServerPackages();
const service = await import('./index.js');

export const {
  buildService,
  startService,
  decodeBase64,
  DEFAULT_CONFIG,
  readConfigFile,
  resolveConfig,
  checkConfig,
  TrustStore,
  dssReports,
  dssSimpleReport,
  openApiDocument,
  HttpError,
  addJobs,
  startWorker,
  queueReport,
  publishSnapshot,
  SERVER_PACKAGES,
  ServerPackagesMissingError,
} = service;
