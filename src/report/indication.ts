// The indications live in etsi/indication.ts (the stage and the front ends use them); the report names them here for its readers.
export * from '../etsi/indication.js';
