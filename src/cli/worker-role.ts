/**
 * workerData.role of a batch worker thread: main.ts runs as one when it sees it. Apart from batch.ts so
 * that main.ts can test for it without loading the batch (and validation) code.
 */
export const WORKER_ROLE = 'ots-esig-batch-worker';
