import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

/**
 * Serves (dev) and emits (build) the pilot OTS trust lists in their JSON form and
 * the bilateral agreements under /trust/, with /trust/index.json naming them.
 * A real portal would publish its own reviewed copies the same way.
 */
function pilotTrust(): Plugin {
  const files = (): Map<string, string> => {
    const out = new Map<string, string>();
    const lists = readdirSync(repo('trust-lists/json')).filter((f) => f.endsWith('.json')).sort();
    const agreements = readdirSync(repo('trust-lists/agreements')).filter((f) => f.endsWith('.json')).sort();
    for (const f of lists) out.set(`trust/lists/${f}`, readFileSync(repo(`trust-lists/json/${f}`), 'utf8'));
    for (const f of agreements) out.set(`trust/agreements/${f}`, readFileSync(repo(`trust-lists/agreements/${f}`), 'utf8'));
    // The current CRLs of the fixture PKI (PEM): the default validation policy requires the status of the signer and of every CA.
    const crls = readdirSync(repo('fixtures/crl/current')).filter((f) => f.endsWith('.crl')).sort();
    for (const f of crls) {
      const b64 = readFileSync(repo(`fixtures/crl/current/${f}`)).toString('base64').replace(/.{1,64}/g, '$&\n');
      out.set(`trust/crls/${f}.pem`, `-----BEGIN X509 CRL-----\n${b64}-----END X509 CRL-----\n`);
    }
    const manifest = JSON.parse(readFileSync(repo('fixtures/manifest.json'), 'utf8')) as { validationTime: string };
    const index = {
      test: true,
      note: 'OTS pilot TEST trust lists made from the fixture PKI (its private keys are public): not for production decisions',
      // The fixture PKI is valid at this instant; the page offers it as the default validation time.
      validationTime: manifest.validationTime,
      lists: lists.map((f) => `lists/${f}`),
      agreements: agreements.map((f) => `agreements/${f}`),
      crls: crls.map((f) => `crls/${f}.pem`),
    };
    out.set('trust/index.json', JSON.stringify(index, null, 2));
    return out;
  };
  return {
    name: 'ots-pilot-trust',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const body = req.url ? files().get(req.url.replace(/^\//, '').split('?')[0]!) : undefined;
        if (body === undefined) return next();
        res.setHeader('content-type', 'application/json');
        res.end(body);
      });
    },
    generateBundle() {
      for (const [fileName, source] of files()) this.emitFile({ type: 'asset', fileName, source });
    },
  };
}

// In an application, `npm install ots-esig` and `import { verify } from 'ots-esig'`: bundlers pick the
// package's "browser" build by its exports condition. Inside this repo the page builds from src/ with
// the same substitution that build makes (no @xmldom/xmldom or saxes: the native DOMParser is used).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: false,
  plugins: [pilotTrust()],
  resolve: {
    alias: [
      { find: /^ots-esig$/, replacement: repo('src/index.ts') },
      { find: /^@xmldom\/xmldom$/, replacement: repo('src/xml/xmldom-absent.ts') },
      { find: /^\.\/saxes-dom\.js$/, replacement: repo('src/xml/xmldom-absent.ts') },
    ],
  },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
});
