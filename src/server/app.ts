/**
 * The HTTP service as a Fastify instance (not listening: `buildService` returns it for tests and
 * embedding; `startService` listens). Requests are checked on the event loop (JSON schema,
 * base64), then verified in the worker pool under the trust snapshot current when the request
 * arrived.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { POLICY_PRESETS } from '../policy/presets.js';
import type { ServiceConfig } from './config.js';
import type { DssDataToValidate } from './dss.js';
import { HttpError, statusForCode } from './errors.js';
import { createMetrics, type ServiceMetrics } from './metrics.js';
import { dssBodyValidationSchema, openApiDocument, VERIFY_BODY_SCHEMA } from './openapi.js';
import { VerifyPool } from './pool.js';
import type { VerifyTask } from './task.js';
import { TrustStore } from './trust-store.js';

export interface ServiceOptions {
  readonly config: ServiceConfig;
  /** The built worker module (dist/server-worker.js); default the one beside this module. */
  readonly workerFile?: URL | string;
}

export interface Service {
  readonly app: FastifyInstance;
  readonly trust: TrustStore;
  readonly pool: VerifyPool;
  readonly metrics: ServiceMetrics;
  /** Stops accepting requests, lets the ones in flight finish, stops the refresh timer and the workers. */
  close(): Promise<void>;
  /** SIGTERM: not ready at once, still serving for config.drainDelayMs, then close(). */
  shutdown(): Promise<void>;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Strict base64 (RFC 4648 alphabet, padding, whitespace allowed): Buffer.from alone accepts anything. */
export function decodeBase64(s: string, field: string): Uint8Array {
  // Whitespace is rare (clients send one line): the string is copied without it only when it has some.
  const t = /\s/.test(s) ? s.replace(/\s+/g, '') : s;
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) throw new HttpError(400, 'ERR_BAD_REQUEST', `${field} is not valid base64`);
  return new Uint8Array(Buffer.from(t, 'base64'));
}

function checkTime(s: string | undefined, field: string): string | undefined {
  if (s === undefined) return undefined;
  if (!ISO_TIME.test(s) || Number.isNaN(Date.parse(s))) throw new HttpError(400, 'ERR_BAD_REQUEST', `${field} must be an ISO-8601 date-time with zone (got "${s.slice(0, 64)}")`);
  return new Date(s).toISOString();
}

export function buildService(options: ServiceOptions): Service {
  const config = options.config;
  const trust = new TrustStore(config);
  const pool = new VerifyPool({
    workerFile: options.workerFile ?? new URL('./server-worker.js', import.meta.url),
    workers: config.workers,
    maxQueue: config.maxQueue,
    requestTimeoutMs: config.requestTimeoutMs,
  });
  const metrics = createMetrics(pool, trust);
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, strict: false } },
    return503OnClosing: true,
  });
  void app.register(multipart, {
    limits: { fileSize: config.bodyLimitBytes, files: 65, fields: 8, fieldSize: 1024 * 1024, parts: 80 },
  });

  // DSS policy documents the operator mapped (sha256 → preset or policy JSON), read once.
  const dssPolicies = new Map<string, unknown>();
  for (const [digest, target] of Object.entries(config.dssPolicies)) {
    dssPolicies.set(digest, POLICY_PRESETS[target] ? target : JSON.parse(readFileSync(target, 'utf8')));
  }

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, req, reply) => {
    if (err instanceof HttpError) return sendError(reply, err.status, err.code, err.message, err.headers);
    if (err.validation) return sendError(reply, 400, 'ERR_BAD_REQUEST', err.message);
    const status = err.statusCode ?? 500;
    if (status === 413) return sendError(reply, 413, 'ERR_BODY_TOO_LARGE', `the request body is over ${config.bodyLimitBytes} bytes`);
    if (status >= 400 && status < 500) return sendError(reply, status, status === 415 ? 'ERR_UNSUPPORTED_MEDIA_TYPE' : 'ERR_BAD_REQUEST', err.message);
    req.log.error(err);
    return sendError(reply, 500, 'ERR_INTERNAL', 'internal error');
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, 'ERR_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`));

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, status: String(reply.statusCode) });
    metrics.latency.observe({ route }, reply.elapsedTime / 1000);
  });

  /** Verifies under the snapshot in force now; a failed verification becomes an HttpError. */
  async function run(task: Omit<VerifyTask, 'snapshot'>): Promise<Buffer> {
    const snapshot = trust.current;
    if (!snapshot?.usable) throw new HttpError(503, 'ERR_NOT_READY', 'no usable trust material is loaded', { 'retry-after': '5' });
    const result = await pool.run({ ...task, snapshot: { id: snapshot.id, material: snapshot.shared } });
    if (!result.ok) throw new HttpError(statusForCode(result.error.code), result.error.code, result.error.message);
    for (const v of result.verdicts) metrics.verdicts.inc(v);
    // A view of the transferred bytes (no copy): Fastify writes a Buffer as it is.
    return Buffer.from(result.body.buffer, result.body.byteOffset, result.body.byteLength);
  }

  app.post<{ Querystring: { format?: string } }>(
    '/v1/verify',
    { schema: { body: { content: { 'application/json': { schema: VERIFY_BODY_SCHEMA } } }, querystring: { type: 'object', properties: { format: { type: 'string', enum: ['json', 'etsi-xml'] } } } } },
    async (req, reply) => {
      const etsiXml = req.query.format === 'etsi-xml';
      const task = req.isMultipart() ? await multipartTask(req, config.bodyLimitBytes) : jsonTask(req.body as JsonVerifyBody);
      const body = await run({ ...task, output: etsiXml ? 'etsi-xml' : 'json' });
      return reply.type(etsiXml ? 'application/xml; charset=utf-8' : 'application/json; charset=utf-8').send(body);
    },
  );

  app.post<{ Body: DssDataToValidate; Querystring: { relyingParty?: string } }>(
    '/services/rest/validation/validateSignature',
    { schema: { body: dssBodyValidationSchema(), querystring: { type: 'object', properties: { relyingParty: { type: 'string', pattern: '^[A-Z]{2}$' } } } } },
    async (req, reply) => {
      const body = req.body;
      const signed = body.signedDocument;
      if (!signed?.bytes) throw new HttpError(400, 'ERR_BAD_REQUEST', 'signedDocument.bytes is required (digest-only documents are not supported)');
      let policy: unknown;
      if (body.policy) {
        const bytes = body.policy.bytes ? decodeBase64(body.policy.bytes, 'policy.bytes') : new Uint8Array();
        const digest = createHash('sha256').update(bytes).digest('hex');
        if (!dssPolicies.has(digest)) {
          throw new HttpError(
            400,
            'ERR_DSS_POLICY',
            `a DSS validation policy document (sha256 ${digest}) is not supported: ots-esig validates under its own policies (default, lenient or a policy JSON); send no policy, or ask the operator to map this document (config dssPolicies)`,
          );
        }
        policy = dssPolicies.get(digest);
      }
      const documents = (body.originalDocuments ?? []).map((d, i) => {
        if (!d.bytes) throw new HttpError(400, 'ERR_BAD_REQUEST', `originalDocuments[${i}].bytes is required (digest-only documents are not supported)`);
        return { ...(d.name ? { name: d.name } : {}), content: decodeBase64(d.bytes, `originalDocuments[${i}].bytes`) };
      });
      let validationTime: string | undefined;
      if (typeof body.validationTime === 'number') {
        const t = new Date(body.validationTime);
        if (Number.isNaN(t.getTime())) throw new HttpError(400, 'ERR_BAD_REQUEST', 'validationTime is not a valid time');
        validationTime = t.toISOString();
      }
      else if (typeof body.validationTime === 'string') validationTime = checkTime(body.validationTime, 'validationTime');
      const result = await run({
        signature: decodeBase64(signed.bytes, 'signedDocument.bytes'),
        documents: documents.length === 1 ? [{ content: documents[0]!.content }] : documents,
        ...(req.query.relyingParty ? { relyingParty: req.query.relyingParty } : {}),
        ...(validationTime ? { validationTime } : {}),
        ...(policy !== undefined ? { policy } : {}),
        output: { dss: { documentName: signed.name ?? null, signatureId: body.signatureId ?? null } },
      });
      return reply.type('application/json; charset=utf-8').send(result);
    },
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  let draining = false;
  app.get('/readyz', async (_req, reply) => {
    if (draining) return sendError(reply, 503, 'ERR_DRAINING', 'shutting down');
    const s = trust.current;
    if (!s?.usable) return sendError(reply, 503, 'ERR_NOT_READY', trust.lastRefresh?.error ?? 'no usable trust material is loaded', { 'retry-after': '5' });
    return { status: 'ready', snapshot: s.id, loadedAt: s.loadedAt };
  });
  app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  const openapi = openApiDocument();
  app.get('/openapi.json', async () => openapi);
  app.get('/v1/trust-lists', async () => {
    const s = trust.current;
    const last = trust.lastRefresh;
    const online = trust.online;
    const onlineState = new Map((online?.lists ?? []).map((o) => [o.url, o]));
    return {
      snapshot: s ? { id: s.id, loadedAt: s.loadedAt, trustAnchors: s.material.trustAnchors.length, agreements: s.material.agreements.length } : null,
      lastRefresh: last ?? null,
      lists: (s?.lists ?? []).map((l) => {
        const o = onlineState.get(l.source);
        // An online list's own refresh outcome: one list failing does not make the others' refresh fail.
        if (o) {
          const r = o.lastRefresh;
          return { ...l, fetchedAt: o.fetchedAt, etag: o.etag, lastModified: o.lastModified, lastRefresh: r ? { at: r.at, ok: r.result !== 'failed', result: r.result, ...(r.error ? { error: r.error } : {}) } : null };
        }
        return { ...l, lastRefresh: last ? { at: last.at, ok: last.ok, ...(last.error ? { error: last.error } : {}) } : null };
      }),
      // Every online list, also one that has no verified copy yet (not in the snapshot), with its failures since start.
      ...(online ? { online: online.lists.map((o) => ({ ...o, refreshFailures: online.failures.get(o.url) ?? 0 })) } : {}),
    };
  });

  let closing: Promise<void> | undefined;
  return {
    app,
    trust,
    pool,
    metrics,
    close() {
      closing ??= (async () => {
        trust.stop();
        await app.close();
        await pool.close();
      })();
      return closing;
    },
    async shutdown() {
      draining = true;
      if (config.drainDelayMs > 0) await new Promise((r) => setTimeout(r, config.drainDelayMs));
      await this.close();
    },
  };
}

function sendError(reply: FastifyReply, status: number, code: string, message: string, headers: Readonly<Record<string, string>> = {}): FastifyReply {
  return reply.code(status).headers(headers).type('application/json; charset=utf-8').send({ error: { code, message } });
}

interface JsonVerifyBody {
  readonly signature: string;
  readonly documents?: readonly { readonly name?: string; readonly content: string }[];
  readonly relyingParty?: string;
  readonly validationTime?: string;
  readonly policy?: unknown;
}

function jsonTask(body: JsonVerifyBody): Omit<VerifyTask, 'snapshot' | 'output'> {
  const documents = (body.documents ?? []).map((d, i) => ({ ...(d.name ? { name: d.name } : {}), content: decodeBase64(d.content, `documents[${i}].content`) }));
  const validationTime = checkTime(body.validationTime, 'validationTime');
  return {
    signature: decodeBase64(body.signature, 'signature'),
    documents,
    ...(body.relyingParty ? { relyingParty: body.relyingParty } : {}),
    ...(validationTime ? { validationTime } : {}),
    ...(body.policy !== undefined ? { policy: body.policy } : {}),
  };
}

/** multipart/form-data: a `signature` file, `document` files (their file names name them), text fields. */
async function multipartTask(req: FastifyRequest, limit: number): Promise<Omit<VerifyTask, 'snapshot' | 'output'>> {
  let signature: Uint8Array | undefined;
  const documents: { name?: string; content: Uint8Array }[] = [];
  const fields: Record<string, string> = {};
  let total = 0;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const bytes = new Uint8Array(await part.toBuffer());
      total += bytes.byteLength;
      if (total > limit) throw new HttpError(413, 'ERR_BODY_TOO_LARGE', `the request body is over ${limit} bytes`);
      if (part.fieldname === 'signature') {
        if (signature) throw new HttpError(400, 'ERR_BAD_REQUEST', 'more than one signature file');
        signature = bytes;
      } else if (part.fieldname === 'document' || part.fieldname === 'documents') {
        documents.push({ ...(part.filename ? { name: part.filename } : {}), content: bytes });
      } else {
        throw new HttpError(400, 'ERR_BAD_REQUEST', `unexpected file field "${part.fieldname}" (signature, document)`);
      }
    } else {
      if (!['relyingParty', 'validationTime', 'policy'].includes(part.fieldname)) throw new HttpError(400, 'ERR_BAD_REQUEST', `unexpected field "${part.fieldname}"`);
      fields[part.fieldname] = String(part.value);
    }
  }
  if (!signature) throw new HttpError(400, 'ERR_BAD_REQUEST', 'the multipart body has no "signature" file');
  if (fields.relyingParty !== undefined && !/^[A-Z]{2}$/.test(fields.relyingParty)) throw new HttpError(400, 'ERR_BAD_REQUEST', 'relyingParty must be an ISO 3166 alpha-2 code');
  let policy: unknown;
  if (fields.policy !== undefined) {
    const p = fields.policy.trim();
    try {
      policy = p.startsWith('{') ? JSON.parse(p) : p;
    } catch {
      throw new HttpError(400, 'ERR_BAD_REQUEST', 'policy is neither a preset name nor JSON');
    }
  }
  const validationTime = checkTime(fields.validationTime, 'validationTime');
  return {
    signature,
    documents: documents.length === 1 && !documents[0]!.name ? documents : documents,
    ...(fields.relyingParty ? { relyingParty: fields.relyingParty } : {}),
    ...(validationTime ? { validationTime } : {}),
    ...(policy !== undefined ? { policy } : {}),
  };
}

/** Loads the trust material, starts its refresh timer and listens; returns the bound address. */
export async function startService(service: Service, config: ServiceConfig): Promise<string> {
  const first = await service.trust.refresh();
  if (!first.ok) service.app.log.warn(`trust material not loaded: ${first.error}`);
  service.trust.start();
  return service.app.listen({ host: config.host, port: config.port });
}
