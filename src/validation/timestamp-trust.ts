// Moved to trust/timestamp-trust.ts: trusted lists (trust/timestamp-services.ts) produce this decision
// and the signature stage consumes it, so it sits with the trust sources, below the stage.
export { directTimestampTrust, type TimestampTrust, type TimestampTrustDecision } from '../trust/timestamp-trust.js';
