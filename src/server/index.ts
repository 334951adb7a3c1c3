// `ots-esig/server`: the validation service (Node only; never part of the browser bundle or the verify CLI start-up).
// First: name missing service packages (optional peer dependencies) before anything imports them.
import './packages-check.js';
export { buildService, startService, decodeBase64, type Service, type ServiceOptions } from './app.js';
export { DEFAULT_CONFIG, readConfigFile, resolveConfig, checkConfig, type ServiceConfig } from './config.js';
export { TrustStore, type Snapshot, type ListStatus, type RefreshResult } from './trust-store.js';
export { dssReports, dssSimpleReport, type DssDataToValidate, type DssRemoteDocument } from './dss.js';
export { openApiDocument } from './openapi.js';
export { HttpError } from './errors.js';
export { addJobs, startWorker, queueReport, publishSnapshot, type QueueJobData, type QueueJobResult, type QueueReport } from './queue.js';
export { SERVER_PACKAGES, ServerPackagesMissingError } from './packages.js';
