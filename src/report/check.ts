// The check vocabulary lives in etsi/check.ts (the stage and the front ends use it); the report names it here for its readers.
export * from '../etsi/check.js';
