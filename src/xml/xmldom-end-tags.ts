import * as xmldomGrammar from '@xmldom/xmldom/lib/grammar.js';

/**
 * @xmldom/xmldom 0.9.11+ checks every end tag against a regular expression that it builds anew each
 * time from the QName grammar (sax.js: `g.reg('^', g.QName_group, g.S_OPT, '$')`): joining those
 * sources and compiling them was about half the time of parsing a 5 KB signed document. `reg` is a
 * pure function of its arguments (RegExp and string parts), so its result is remembered here per
 * argument list, by identity; the parser still checks every end tag with the same expression.
 *
 * Only results without the `g` or `y` flag are shared (those keep no lastIndex state), only for calls
 * made through the grammar module itself (as sax.js makes them), and at most MAX_REMEMBERED argument
 * lists (xmldom passes its constant grammar parts; anything else is computed as before).
 * Browser builds alias this module's import to a stub and parse with the platform DOMParser.
 */
const MAX_REMEMBERED = 64;

type Part = RegExp | string;
type Reg = (this: unknown, ...parts: Part[]) => RegExp;
interface Grammar {
  reg?: Reg & { readonly remembered?: true };
}

let installed = false;

/** Installs the remembering `reg` on xmldom's grammar module (once); false where there is nothing to install it on. */
export function rememberEndTagPatterns(): boolean {
  return (installed ||= rememberRegOn(grammarModule()));
}

/** The installation itself, on a given grammar module (exported for its test). */
export function rememberRegOn(grammar: Grammar | undefined): boolean {
  const original = grammar?.reg;
  if (!grammar || typeof original !== 'function') return false;
  if (original.remembered) return true;
  const leaf = {};
  // A trie over the argument identities; `leaf` holds the expression made for the list ending there.
  const root = new Map<unknown, unknown>();
  let count = 0;
  const remembered = function (this: unknown, ...parts: Part[]): RegExp {
    if (this !== grammar || !parts.every((p) => typeof p === 'string' || p instanceof RegExp)) return original.apply(this, parts);
    let node = root;
    for (const p of parts) {
      let next = node.get(p) as Map<unknown, unknown> | undefined;
      if (!next) {
        if (count >= MAX_REMEMBERED) return original.apply(this, parts);
        node.set(p, (next = new Map()));
      }
      node = next;
    }
    const known = node.get(leaf) as RegExp | undefined;
    if (known) return known;
    const made = original.apply(this, parts);
    if (made.global || made.sticky || count >= MAX_REMEMBERED) return made;
    count++;
    node.set(leaf, made);
    return made;
  };
  grammar.reg = Object.assign(remembered, { remembered: true as const });
  return true;
}

/** The CommonJS module object sax.js holds (an ES namespace is read-only: its `default` is that object). */
function grammarModule(): Grammar | undefined {
  const ns = xmldomGrammar as unknown as { default?: Grammar } & Grammar;
  return ns.default && typeof ns.default === 'object' ? ns.default : undefined;
}
