// Installs dependencies exactly as locked when node_modules is missing or out of date,
// so `npm test` works on a fresh clone without wiping a tree that is already right.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const installedPath = 'node_modules/.package-lock.json';
let upToDate = existsSync(installedPath);
if (upToDate) {
  const installed = JSON.parse(readFileSync(installedPath, 'utf8')).packages ?? {};
  for (const [path, meta] of Object.entries(lock.packages ?? {})) {
    if (!path || meta.optional || meta.peer) continue;
    if (installed[path]?.version !== meta.version) {
      upToDate = false;
      break;
    }
  }
}
if (!upToDate) {
  console.log('ensure-deps: installing locked dependencies (npm ci)');
  execSync('npm ci --no-audit --no-fund --loglevel=error', { stdio: 'inherit' });
}
