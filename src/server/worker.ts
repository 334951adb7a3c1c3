/**
 * The worker-thread side of the service pool (piscina): verifies one signature per task, so
 * parsing and cryptography never run on the HTTP event loop. Options are built once per trust
 * snapshot id and reused; a newer snapshot replaces them.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { OtsEsigError } from '../errors.js';
import { formatEtsiXml } from '../report/etsi-xml.js';
import type { VerifyOptions } from '../validation/options.js';
import { verify } from '../validation/verify.js';
import { decodeMaterial, optionsFromMaterial, resolveRequestPolicy } from './material.js';
import { dssReports } from './dss.js';
import type { VerdictTally, VerifyResult, VerifyTask } from './task.js';
import type { SignatureReport } from '../report/model.js';

/**
 * A result whose `transfer` buffer is moved to the main thread with it (piscina's movable protocol: the
 * value and its transfer list behind piscina's symbols), not copied by the structured clone.
 */
function movedResult(value: VerifyResult, transfer: ArrayBufferLike): VerifyResult {
  return move({
    get [transferableSymbol]() {
      return transfer;
    },
    get [valueSymbol]() {
      return value;
    },
  } as unknown as ArrayBuffer) as unknown as VerifyResult;
}

let cached: { id: string; options: Promise<VerifyOptions> } | undefined;

function optionsFor(task: VerifyTask): Promise<VerifyOptions> {
  if (cached?.id !== task.snapshot.id) {
    const options = optionsFromMaterial(decodeMaterial(task.snapshot.material));
    cached = { id: task.snapshot.id, options };
    // A snapshot that failed to build is not kept: the next task tries again.
    options.catch(() => {
      if (cached?.options === options) cached = undefined;
    });
  }
  return cached.options;
}

export default async function verifyTask(task: VerifyTask): Promise<VerifyResult> {
  try {
    const base = await optionsFor(task);
    const options: VerifyOptions = { ...base };
    const docs = task.documents;
    if (docs.length === 1 && !docs[0]!.name) Object.assign(options, { detachedContent: docs[0]!.content });
    else if (docs.length) {
      Object.assign(options, {
        detachedContent: docs[0]!.content,
        detachedFiles: Object.fromEntries(docs.map((d, i) => [d.name ?? `document-${i}`, d.content])),
      });
    }
    if (task.relyingParty !== undefined) Object.assign(options, { relyingParty: task.relyingParty });
    if (task.validationTime !== undefined) Object.assign(options, { validationTime: new Date(task.validationTime) });
    const policy = resolveRequestPolicy(task.policy);
    if (policy !== undefined) Object.assign(options, { policy });
    const report = await verify(task.signature, options);
    const verdicts: VerdictTally[] = [];
    const tally = (s: SignatureReport) => {
      verdicts.push({ indication: s.indication, recognition: s.recognition?.status ?? 'none' });
      for (const c of s.counterSignatures ?? []) tally(c);
    };
    report.signatures.forEach(tally);
    const out = task.output;
    const text =
      out === 'json'
        ? JSON.stringify(report, null, 2) + '\n'
        : out === 'etsi-xml'
          ? formatEtsiXml(report)
          : JSON.stringify(dssReports(report, formatEtsiXml(report), out.dss.documentName, out.dss.signatureId));
    const body = new TextEncoder().encode(text);
    return movedResult({ ok: true, body, verdicts }, body.buffer);
  } catch (e) {
    if (e instanceof OtsEsigError) return { ok: false, error: { code: e.code, message: e.message } };
    return { ok: false, error: { code: 'ERR_INTERNAL', message: (e as Error).message ?? String(e) } };
  }
}
