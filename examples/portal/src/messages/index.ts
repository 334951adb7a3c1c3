import type { ReportLanguage } from 'ots-esig';
import { az } from './az.js';
import { en, type PortalCatalogue } from './en.js';
import { hu } from './hu.js';
import { kk } from './kk.js';
import { ky } from './ky.js';
import { ru } from './ru.js';
import { tk } from './tk.js';
import { tr } from './tr.js';
import { uz } from './uz.js';

export type { PortalCatalogue, PortalKey, PortalMessage, PortalPlural } from './en.js';

/** The portal's words in each report language (the same nine as the report catalogue). */
export const PORTAL_CATALOGUES: Readonly<Record<ReportLanguage, PortalCatalogue>> = { en, az, kk, ky, tr, uz, tk, hu, ru };
