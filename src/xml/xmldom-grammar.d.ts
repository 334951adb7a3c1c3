// @xmldom/xmldom ships declarations for its public API only; this is the grammar module its SAX parser
// uses (src/xml/xmldom-end-tags.ts replaces `reg` with a remembering version).
declare module '@xmldom/xmldom/lib/grammar.js' {
  export function reg(this: unknown, ...parts: (RegExp | string)[]): RegExp;
}
