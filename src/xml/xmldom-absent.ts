import { InputFormatError } from '../errors.js';

/**
 * Stands in for `@xmldom/xmldom` and for src/xml/saxes-dom.ts (saxes) in browser
 * builds (scripts/browser-plugins.ts, used by tsup.config.ts and scripts/size.ts;
 * aliased in examples/portal/vite.config.ts), so no XML parser polyfill is
 * shipped: parse.ts uses the page's native DOMParser and reaches this only where
 * none exists (a Web Worker), which is refused plainly.
 */
export class DOMParser {
  constructor(_options?: unknown) {
    throw noParser();
  }
}

export function parseToXmldom(_source: string): Document {
  throw noParser();
}

function noParser(): InputFormatError {
  return new InputFormatError('XML cannot be parsed here: the browser build of ots-esig uses the platform DOMParser, which this environment (e.g. a Web Worker) lacks');
}
