import { InputFormatError } from '../errors.js';

/**
 * Stands in for src/xml/saxes-dom.ts (saxes and @xmldom/xmldom) in browser builds, and for `@xmldom/xmldom` itself
 * (scripts/browser-plugins.ts, used by tsup.config.ts and scripts/size.ts; aliased in examples/portal/vite.config.ts),
 * so no XML parser polyfill is shipped: parse.ts uses the page's native DOMParser and reaches this only where none
 * exists (a Web Worker), which is refused plainly. It exports no xmldom class: browser code that imported one would
 * fail to build rather than ship a stand-in.
 */
export function parseToXmldom(_source: string): Document {
  throw new InputFormatError('XML cannot be parsed here: the browser build of ots-esig uses the platform DOMParser, which this environment (e.g. a Web Worker) lacks');
}
