import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file sits directly in src/ (and dist/ once built), so its parent is the project root.
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The built dashboard (`npm run build` writes it). */
export const DASHBOARD_DIST_DIR = resolve(PROJECT_ROOT, 'dashboard', 'dist');
