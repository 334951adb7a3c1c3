// npm's `prepare` hook: npm runs it after `npm ci` / `npm install` in a checkout, before
// `npm pack` / `npm publish`, and when a consumer installs from git (`npm install git+…`, after
// installing the devDependencies in the clone; `prepack` is not run there). So each of those ends
// with a dist/. Without the devDependencies (`npm ci --omit=dev`) there is no tsup to build with:
// an install goes on without dist/, but a pack or publish fails rather than ship a package that
// cannot be imported.
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';

try {
  createRequire(import.meta.url).resolve('tsup/package.json');
} catch {
  const packing = ['pack', 'publish'].includes(process.env.npm_command ?? '');
  console.error(`prepare: tsup is not installed (devDependencies omitted?): dist/ not built${packing ? '' : ', skipped'}`);
  process.exit(packing ? 1 : 0);
}
execSync('npm run build', { stdio: 'inherit' });
