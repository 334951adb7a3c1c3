import { parseCades } from '../cades/parse.js';
import { validateCadesSigner } from '../cades/validate.js';
import { detectInput } from '../detect.js';
import { InputFormatError, LimitExceededError } from '../errors.js';
import type { SignatureReport, ValidationReport } from '../report/model.js';
import { toBytes } from '../util/bytes.js';
import { WorkBudget } from '../util/work-budget.js';
import type { DetachedContent } from '../xades/xmldsig.js';
import { VERSION } from '../version.js';
import { createContext, type VerifyOptions } from './options.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { addRecognition, prepareTrust, xmlCertificates } from '../trust/context.js';
import { policyIdentity } from '../policy/parse.js';

export type SignatureInput = Uint8Array | ArrayBuffer | string;

/**
 * Validates every signature in `input` (CMS/CAdES as DER, PEM or base64, or XAdES XML) and
 * returns one report per signature. Throws only when the input is not a
 * signature at all or an option is unusable (`OtsEsigError` with a `code`);
 * a bad signature is a report with TOTAL-FAILED or INDETERMINATE, never a throw.
 */
export async function verify(input: SignatureInput, options: VerifyOptions = {}): Promise<ValidationReport> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : toBytes(input);
  const ctx = createContext(options);
  if (bytes.byteLength > ctx.limits.maxInputBytes) throw new LimitExceededError('input.bytes', ctx.limits.maxInputBytes);
  const detected = detectInput(bytes);
  const trust = await prepareTrust(options, ctx);
  // Certificates recognition may look at (with the anchors, listed only if it needs them).
  const seen: ParsedCertificate[] = [...ctx.intermediates];
  let signatures: SignatureReport[];
  if (detected.kind === 'cms') {
    const sig = parseCades(detected.der, ctx.cmsLimits);
    seen.push(...sig.certificates);
    signatures = [];
    for (const si of sig.signers) signatures.push(await validateCadesSigner(sig, si, ctx));
  } else {
    // The XML stack (parser, C14N, XML-DSig) is loaded on first use, so a CAdES-only
    // browser bundle does not carry it (bundlers split it into its own chunk; `npm run size` checks).
    const [{ findSignatures, validateXadesSignature }, { parseXml }, { indexIds }] = await Promise.all([
      import('../xades/validate.js'),
      import('../xml/parse.js'),
      import('../xades/dom.js'),
    ]);
    const doc = parseXml(detected.bytes, ctx.xmlLimits);
    const found = findSignatures(doc);
    if (found.length === 0) throw new InputFormatError('XML input contains no ds:Signature');
    // Each signature may canonicalize the whole document: their number is bounded like CMS SignerInfos.
    if (found.length > ctx.limits.maxSigners) throw new LimitExceededError('xml.signatures', ctx.limits.maxSigners);
    seen.push(...xmlCertificates(doc));
    const detachedContent = xmlDetachedContent(options, ctx.detachedContent);
    signatures = [];
    // One work budget for the whole document: its signatures share it (limits.maxXmlWork).
    const budget = new WorkBudget(ctx.limits.maxXmlWork);
    // The Id index is one walk of the document, shared by its signatures (validation never changes the DOM).
    const ids = indexIds(doc);
    for (let i = 0; i < found.length; i++) signatures.push(await validateXadesSignature({ doc, signature: found[i]!, index: i, detachedContent, budget, ids }, ctx));
  }
  if (trust) {
    // Listing every anchor is a pass over the whole trust set: only the fallback for an unresolved chain asks for it.
    const allSeen = () => [...ctx.intermediates, ...[...ctx.anchors.values()].map((a) => a.certificate), ...seen.slice(ctx.intermediates.length)];
    signatures = await addRecognition(signatures, trust, allSeen);
  }
  return {
    tool: { name: 'ots-esig', version: VERSION },
    validationTime: ctx.time.toISOString(),
    signatures,
    warnings: ctx.warnings,
    ...(trust ? { trust: trust.report } : {}),
    policy: await policyIdentity(ctx.policy),
  };
}

/** Named detached files (by reference URI) when given; else the single detachedContent blob. */
function xmlDetachedContent(options: VerifyOptions, single: Uint8Array | undefined): DetachedContent | undefined {
  if (!options.detachedFiles) return single;
  const map = new Map<string, Uint8Array>();
  const entries = options.detachedFiles instanceof Map ? [...options.detachedFiles] : Object.entries(options.detachedFiles);
  for (const [name, bytes] of entries) map.set(name, toBytes(bytes));
  if (single && !map.has('')) map.set('', single);
  return map;
}
