/** RFC 3161 time-stamps: parsing and full validation (see validate.ts). */
export { parseTimestampToken, parseTstInfo, type TimestampToken, type TstInfo } from './token.js';
export {
  validateTimestampToken,
  type TimestampValidation,
  type TimestampValidationOptions,
  type TimestampedData,
} from './validate.js';
