import { limboSuite } from './limbo.js';
import { pkitsSuite } from './pkits.js';
import { dssXmldsigSuite } from './dss-xmldsig.js';
import { otsRootsSuite } from './ots-roots.js';
import { ma3CadesSuite, ma3XadesSuite } from './ma3.js';
import { realworldSuite } from './realworld.js';
import type { Suite } from './types.js';

/** Every external suite the runner knows; add new ones here. */
export const suites: Suite[] = [limboSuite, pkitsSuite, dssXmldsigSuite, otsRootsSuite, ma3CadesSuite, ma3XadesSuite, realworldSuite];
