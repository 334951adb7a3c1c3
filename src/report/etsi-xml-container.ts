/**
 * The ots-esig extension of the ETSI TS 119 102-2 report for ASiC containers (EN 319 162-1). TS 119 102-2 has
 * no element for a container, so it goes where the schema admits foreign content:
 * - the container itself: one vr:ValidationObject of ObjectType `urn:ots-esig:validationObject:container`
 *   whose vr:ValidationObjectRepresentation/vr:direct (xs:anyType) holds an `ots:Container` element
 *   (namespace OTS_XML_NS): type, mimetype, overall result, entries, what each signature and time-stamp
 *   covers, uncovered / partially covered entries, manifest mismatches, findings, warnings, inner containers;
 * - every data object: a vr:ValidationObject of ObjectType `urn:etsi:019102:validationObject:signedData`
 *   with its SHA-256 (so a relying party can match the file it holds), referenced from ots:Entry and
 *   ots:Covers by VOReference;
 * - per signature, in its vr:SignatureValidationReport/vr:OtherInformation: ots:ContainerCoverage (the file
 *   the signature is in, its ASiCManifest, the entries it covers).
 * docs/report-etsi-xml.md describes the shape.
 */
import { fromHex, toBase64 } from '../util/bytes.js';
import type { Check } from './check.js';
import type { ContainerCoverage, ContainerReport } from './container.js';
import { MAIN_INDICATION_URI, subIndicationUri } from './indication.js';

/** Namespace of the ots-esig elements inside the TS 119 102-2 report. */
export const OTS_XML_NS = 'urn:ots-esig:etsi-report-extension:1';
/** vr:ObjectType of the container's validation object. */
export const CONTAINER_OBJECT_TYPE = 'urn:ots-esig:validationObject:container';
const SIGNED_DATA_TYPE = 'urn:etsi:019102:validationObject:signedData';
const SHA256_URI = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** XML text and attribute escaping for the report writers. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A check's (or a time-stamp's) status as a TS 119 102-2 main indication URI; a skipped check did not fail. */
export const CHECK_STATUS_URI: Record<Check['status'], string> = {
  PASSED: 'urn:etsi:019102:mainindication:passed',
  FAILED: 'urn:etsi:019102:mainindication:failed',
  INDETERMINATE: 'urn:etsi:019102:mainindication:indeterminate',
  SKIPPED: 'urn:etsi:019102:mainindication:passed',
};

/**
 * The validation-object ids of a container's data objects (and those of its inner containers): `E-<n>`, in
 * report order, assigned once so the container element and the signatures' coverage name the same objects.
 * Keyed by the container path (`""` for the outer one, `inner.asice` for an inner one) and the entry name.
 */
export class ContainerObjectIds {
  private readonly ids = new Map<string, string>();
  readonly objects: { id: string; sha256: string }[] = [];
  constructor(container: ContainerReport | undefined) {
    if (container) this.add(container, '');
  }
  private add(c: ContainerReport, path: string): void {
    for (const e of c.entries) {
      if (e.role !== 'data') continue;
      const id = `E-${this.objects.length}`;
      this.ids.set(`${path}\u0000${e.name}`, id);
      this.objects.push({ id, sha256: e.sha256 });
    }
    for (const i of c.inner ?? []) this.add(i.container, path ? `${path}/${i.entry}` : i.entry);
  }
  get(path: string, name: string): string | undefined {
    return this.ids.get(`${path}\u0000${name}`);
  }
}

/** The signedData validation objects and the container's own, for vr:SignatureValidationObjects. */
export function containerObjects(container: ContainerReport, ids: ContainerObjectIds, indent: string): string[] {
  const o: string[] = [];
  for (const d of ids.objects) {
    o.push(`${indent}<vr:ValidationObject id="${d.id}">`);
    o.push(`${indent}  <vr:ObjectType>${SIGNED_DATA_TYPE}</vr:ObjectType>`);
    o.push(`${indent}  <vr:ValidationObjectRepresentation>`);
    o.push(`${indent}    <vr:DigestAlgAndValue>`);
    o.push(`${indent}      <ds:DigestMethod Algorithm="${SHA256_URI}"/>`);
    o.push(`${indent}      <ds:DigestValue>${toBase64(fromHex(d.sha256))}</ds:DigestValue>`);
    o.push(`${indent}    </vr:DigestAlgAndValue>`);
    o.push(`${indent}  </vr:ValidationObjectRepresentation>`);
    o.push(`${indent}</vr:ValidationObject>`);
  }
  o.push(`${indent}<vr:ValidationObject id="CONTAINER">`);
  o.push(`${indent}  <vr:ObjectType>${CONTAINER_OBJECT_TYPE}</vr:ObjectType>`);
  o.push(`${indent}  <vr:ValidationObjectRepresentation>`);
  o.push(`${indent}    <vr:direct>`);
  o.push(...containerElement(container, ids, '', `${indent}      `, true));
  o.push(`${indent}    </vr:direct>`);
  o.push(`${indent}  </vr:ValidationObjectRepresentation>`);
  o.push(`${indent}</vr:ValidationObject>`);
  return o;
}

function ref(ids: ContainerObjectIds, path: string, name: string): string {
  const id = ids.get(path, name);
  return id ? ` VOReference="${id}"` : '';
}

function status(indication: ContainerReport['indication'], sub: ContainerReport['subIndication'], indent: string): string[] {
  return [`${indent}<ots:MainIndication>${MAIN_INDICATION_URI[indication]}</ots:MainIndication>`, ...(sub ? [`${indent}<ots:SubIndication>${subIndicationUri(sub)}</ots:SubIndication>`] : [])];
}

/** The ots:Container element (with its inner containers, recursively). */
function containerElement(c: ContainerReport, ids: ContainerObjectIds, path: string, indent: string, declare: boolean): string[] {
  const i2 = `${indent}  `;
  const o: string[] = [];
  o.push(`${indent}<ots:Container${declare ? ` xmlns:ots="${OTS_XML_NS}"` : ''} type="${c.type}"${c.mimetype !== null ? ` mimetype="${esc(c.mimetype)}"` : ''}>`);
  o.push(...status(c.indication, c.subIndication, i2));
  for (const e of c.entries) {
    const attrs = `name="${esc(e.name)}" role="${e.role}" size="${e.size}" compressedSize="${e.compressedSize}" method="${e.method}" sha256="${e.sha256}"${e.role === 'data' ? ref(ids, path, e.name) : ''}`;
    if (e.nested) o.push(`${i2}<ots:Entry ${attrs}><ots:Nested kind="${e.nested.kind}">${esc(e.nested.detail)}</ots:Nested></ots:Entry>`);
    else o.push(`${i2}<ots:Entry ${attrs}/>`);
  }
  for (const s of c.signatures) o.push(...coverageElement(s, ids, path, i2, 'ots:Signature', ` ref="${esc(s.signature)}"`));
  for (const t of c.timestamps) {
    o.push(`${i2}<ots:TimeStamp file="${esc(t.file)}"${t.genTime ? ` genTime="${t.genTime}"` : ''}${t.tsa ? ` tsa="${esc(t.tsa)}"` : ''}>`);
    o.push(`${i2}  <ots:MainIndication>${CHECK_STATUS_URI[t.status]}</ots:MainIndication>`);
    if (t.subIndication) o.push(`${i2}  <ots:SubIndication>${subIndicationUri(t.subIndication)}</ots:SubIndication>`);
    for (const n of t.covers) o.push(`${i2}  <ots:Covers${ref(ids, path, n)}>${esc(n)}</ots:Covers>`);
    o.push(`${i2}</ots:TimeStamp>`);
  }
  for (const n of c.notCovered) o.push(`${i2}<ots:NotCovered${ref(ids, path, n)}>${esc(n)}</ots:NotCovered>`);
  for (const n of c.partiallyCovered) o.push(`${i2}<ots:PartiallyCovered${ref(ids, path, n)}>${esc(n)}</ots:PartiallyCovered>`);
  for (const m of c.manifestMismatches) o.push(`${i2}<ots:ManifestMismatch manifest="${esc(m.manifest)}" entry="${esc(m.entry)}">${esc(m.detail)}</ots:ManifestMismatch>`);
  for (const f of c.checks) {
    o.push(`${i2}<ots:Finding id="${esc(f.id)}" block="${f.block}" status="${CHECK_STATUS_URI[f.status]}"${f.subIndication && f.status !== 'PASSED' ? ` subIndication="${subIndicationUri(f.subIndication)}"` : ''}>${esc(f.detail)}</ots:Finding>`);
  }
  for (const w of c.warnings) o.push(`${i2}<ots:Warning>${esc(w)}</ots:Warning>`);
  for (const inner of c.inner ?? []) {
    const p = path ? `${path}/${inner.entry}` : inner.entry;
    o.push(`${i2}<ots:InnerContainer entry="${esc(inner.entry)}"${ref(ids, path, inner.entry)}>`);
    o.push(...containerElement(inner.container, ids, p, `${i2}  `, false));
    o.push(`${i2}</ots:InnerContainer>`);
  }
  o.push(`${indent}</ots:Container>`);
  return o;
}

function coverageElement(s: ContainerCoverage, ids: ContainerObjectIds, path: string, indent: string, tag: string, extra: string): string[] {
  const o = [`${indent}<${tag}${extra} file="${esc(s.file)}"${s.manifest ? ` manifest="${esc(s.manifest)}"` : ''}>`];
  for (const n of s.covers) o.push(`${indent}  <ots:Covers${ref(ids, path, n)}>${esc(n)}</ots:Covers>`);
  o.push(`${indent}</${tag}>`);
  return o;
}

/** ots:ContainerCoverage for one signature (in its vr:OtherInformation), or nothing when no container covers it. */
export function signatureCoverage(container: ContainerReport | undefined, ids: ContainerObjectIds, signatureId: string, indent: string): string[] {
  if (!container) return [];
  const found = findCoverage(container, '', signatureId);
  if (!found) return [];
  return coverageElement(found.coverage, ids, found.path, indent, 'ots:ContainerCoverage', `${found.path ? ` container="${esc(found.path)}"` : ''}`);
}

function findCoverage(c: ContainerReport, path: string, id: string): { coverage: ContainerCoverage; path: string } | undefined {
  const hit = c.signatures.find((s) => s.signature === id);
  if (hit) return { coverage: hit, path };
  for (const i of c.inner ?? []) {
    const r = findCoverage(i.container, path ? `${path}/${i.entry}` : i.entry, id);
    if (r) return r;
  }
  return undefined;
}
