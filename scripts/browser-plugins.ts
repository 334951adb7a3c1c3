/**
 * esbuild plugins shared by the browser build (tsup.config.ts) and `npm run size`'s
 * measurement of the source tree, so both bundle the same way.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

/** The browser build's substitution: native DOMParser only, no xmldom and no saxes (src/xml/saxes-dom.ts). */
export const xmldomAbsent: Plugin = {
  name: 'xmldom-absent',
  setup(b) {
    const stub = fileURLToPath(new URL('../src/xml/xmldom-absent.ts', import.meta.url));
    b.onResolve({ filter: /^@xmldom\/xmldom$/ }, () => ({ path: stub }));
    b.onResolve({ filter: /^\.\/saxes-dom\.js$/ }, () => ({ path: stub }));
  },
};

/**
 * pkijs 4 as a bundler can tree-shake it. Its single-file build declares every
 * class's name in a static initialisation block (`static { this.CLASS_NAME = "X"; }`),
 * which bundlers must keep as a possible side effect, so all ~150 classes stay
 * with whatever they reference; and it ends with `initCryptoEngine()`, which
 * builds the CryptoEngine (every key/PKCS#12/CMS-encryption class, @noble/hashes).
 * Here the one-assignment blocks become the equivalent static fields (evaluated at
 * the same moment, with no side effect) and the engine set-up is dropped: ots-esig
 * never asks pkijs for crypto (signatures are checked by its own CryptoProvider),
 * so nothing it calls reads pkijs's engine. Used where pkijs is bundled: into
 * dist/browser and into the CLI (dist/cli.js and its chunks); the library's Node
 * builds import pkijs unchanged.
 */
export const pkijsTreeShakable: Plugin = {
  name: 'pkijs-tree-shakable',
  setup(b) {
    b.onLoad({ filter: /[\\/]pkijs[\\/]build[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      let blocks = 0;
      let text = source.replace(/static \{\s*this\.(\w+) = ("[^"\\\n]*"|[A-Za-z_$][\w$]*);\s*\}/g, (_m, name: string, value: string) => {
        blocks++;
        return `static ${name} = ${value};`;
      });
      const init = /^initCryptoEngine\(\);$/m;
      // A pkijs release that reshapes its build must be looked at again, not silently bundled whole.
      if (!init.test(text) || blocks < 100) throw new Error(`pkijs-tree-shakable: ${args.path} no longer has the expected shape (${blocks} static blocks, initCryptoEngine call ${init.test(text) ? 'found' : 'missing'})`);
      text = text.replace(init, '');
      // Path validation inside pkijs (SignedData.verify, BasicOCSPResponse.verify) is never used
      // either: ots-esig builds and validates paths itself (src/pki). Those two calls now throw, and
      // the ~1,000-line chain engine they referenced is left out.
      const chain = /new CertificateChainValidationEngine\(/g;
      const calls = text.match(chain)?.length ?? 0;
      if (calls !== 2) throw new Error(`pkijs-tree-shakable: expected 2 uses of CertificateChainValidationEngine in ${args.path}, found ${calls}`);
      text = text.replace(chain, '(() => { throw new Error("pkijs path validation is not part of the ots-esig browser and CLI builds"); })(');
      // Certificate Transparency SCT lists (RFC 6962) are not read by ots-esig: left as plain ASN.1 in the
      // extension instead of parsed into SignedCertificateTimestamp objects, which need bytestreamjs.
      const sct = /^\s*ExtensionValueFactory\.register\(id_SignedCertificateTimestampList, [^\n]*\n/m;
      if (!sct.test(text)) throw new Error(`pkijs-tree-shakable: no SignedCertificateTimestampList registration in ${args.path}`);
      text = text.replace(sct, '');
      // Likewise pkijs's own signing and signature checking (sign, verify, getPublicKey, getKeyHash,
      // getCertificateStatus, createForCertificate on its classes): signatures are checked by the
      // AlgorithmRegistry. Their bodies, which pull in algorithm tables and key import code, now throw.
      let stripped = 0;
      text = text.replace(/^(\t(?:static )?(?:async )?(?:sign|verify|getPublicKey|getKeyHash|getCertificateStatus|createForCertificate)\([^\n]*\) \{)\n[\s\S]*?\n\t\}$/gm, (_m, head: string) => {
        stripped++;
        return `${head} throw new Error("pkijs signing and verification are not part of the ots-esig browser and CLI builds"); }`;
      });
      if (stripped < 20) throw new Error(`pkijs-tree-shakable: only ${stripped} sign/verify methods found in ${args.path}`);
      return { contents: text, loader: 'js' };
    });
  },
};
