import { InputFormatError } from '../errors.js';

/**
 * Stands in for `@xmldom/xmldom` in browser builds (aliased in tsup.config.ts,
 * scripts/size.ts and examples/portal/vite.config.ts), so no XML parser
 * polyfill is shipped: parse.ts uses the page's native DOMParser and reaches
 * this only where none exists (a Web Worker), which is refused plainly.
 */
export class DOMParser {
  constructor(_options?: unknown) {
    throw new InputFormatError(
      'XML cannot be parsed here: the browser build of ots-esig uses the platform DOMParser, which this environment (e.g. a Web Worker) lacks',
    );
  }
}
