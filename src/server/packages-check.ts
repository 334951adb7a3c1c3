// Imported first by src/server/index.ts: in the CommonJS build (require('ots-esig/server')) modules
// run in import order, so missing service packages are named here before a require of one fails.
// The ES module build checks in src/server/entry.ts, as ESM resolves every static import first.
import { assertServerPackages } from './packages.js';

assertServerPackages();
