import { az } from './messages/az.js';
import { en, type Catalogue } from './messages/en.js';
import { hu } from './messages/hu.js';
import { kk } from './messages/kk.js';
import { ky } from './messages/ky.js';
import { ru } from './messages/ru.js';
import { tk } from './messages/tk.js';
import { tr } from './messages/tr.js';
import { uz } from './messages/uz.js';

import type { Language } from './codes.js';

export { INTL_TAG, isLanguage, LANGUAGES, languageOf, pickLanguage, type Language } from './codes.js';

export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en, az, kk, ky, tr, uz, tk, hu, ru };
