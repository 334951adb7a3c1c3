/** The OpenAPI 3.1 description of the service (served at /openapi.json). */
import { VERSION } from '../version.js';

const error = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: error } } });
const base64 = { type: 'string', contentEncoding: 'base64' };

export const VERIFY_BODY_SCHEMA = {
  type: 'object',
  required: ['signature'],
  additionalProperties: false,
  properties: {
    signature: { ...base64, description: 'The signature (CMS/CAdES as DER, PEM or base64 text; XAdES XML), base64.' },
    documents: {
      type: 'array',
      maxItems: 64,
      description: 'Detached signed data: one document for a detached CAdES signature, named documents for XAdES references.',
      items: { type: 'object', required: ['content'], additionalProperties: false, properties: { name: { type: 'string', maxLength: 1024 }, content: base64 } },
    },
    relyingParty: { type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166 alpha-2 relying party; default the service configuration.' },
    validationTime: { type: 'string', description: 'ISO-8601 date-time with zone; default now.' },
    policy: { description: 'A preset name (default, lenient) or a policy object (policies/policy.schema.json).', oneOf: [{ type: 'string' }, { type: 'object' }] },
  },
} as const;

export const DSS_BODY_SCHEMA = {
  type: 'object',
  required: ['signedDocument'],
  properties: {
    signedDocument: { $ref: '#/components/schemas/RemoteDocument' },
    originalDocuments: { type: ['array', 'null'], maxItems: 64, items: { $ref: '#/components/schemas/RemoteDocument' } },
    policy: { oneOf: [{ type: 'null' }, { $ref: '#/components/schemas/RemoteDocument' }] },
    signatureId: { type: ['string', 'null'] },
    validationTime: { type: ['string', 'integer', 'null'] },
    tokenExtractionStrategy: { type: ['string', 'null'] },
  },
} as const;

const REMOTE_DOCUMENT = {
  type: 'object',
  properties: {
    bytes: { type: ['string', 'null'], contentEncoding: 'base64' },
    name: { type: ['string', 'null'] },
    digestAlgorithm: { type: ['string', 'null'] },
  },
} as const;

export function openApiDocument(): Record<string, unknown> {
  const verifyResponses = {
    '200': {
      description: 'The validation report, as `ots-esig verify --format json` prints it (or the ETSI TS 119 102-2 XML with ?format=etsi-xml).',
      content: { 'application/json': { schema: { type: 'object' } }, 'application/xml': { schema: { type: 'string' } } },
    },
    '400': errorResponse('Malformed JSON, base64 or fields; unknown policy; a DSS policy document that is not mapped.'),
    '413': errorResponse('The body is over the configured limit.'),
    '422': errorResponse('Not a signature (ERR_INPUT_FORMAT), or over a resource limit of the library.'),
    '503': { ...errorResponse('The verification queue is full (Retry-After) or no usable trust material is loaded.'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
    '504': errorResponse('The verification took longer than the per-request time limit; its worker was stopped.'),
  };
  return {
    openapi: '3.1.0',
    info: { title: 'ots-esig validation service', version: VERSION, description: 'CAdES/XAdES validation (ETSI EN 319 102-1) and OTS recognition over HTTP.' },
    paths: {
      '/v1/verify': {
        post: {
          summary: 'Validate a signature',
          parameters: [{ name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'etsi-xml'], default: 'json' } }],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/VerifyRequest' } },
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['signature'],
                  properties: {
                    signature: { type: 'string', format: 'binary' },
                    document: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'Detached documents (file name = reference name).' },
                    relyingParty: { type: 'string' },
                    validationTime: { type: 'string' },
                    policy: { type: 'string', description: 'A preset name or a policy as JSON text.' },
                  },
                },
              },
            },
          },
          responses: verifyResponses,
        },
      },
      '/services/rest/validation/validateSignature': {
        post: {
          summary: 'EU DSS-compatible validation (DataToValidateDTO → WSReportsDTO with a SimpleReport)',
          parameters: [{ name: 'relyingParty', in: 'query', schema: { type: 'string', pattern: '^[A-Z]{2}$' } }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DataToValidate' } } } },
          responses: { ...verifyResponses, '200': { description: 'WSReportsDTO: simpleReport (recognition in OtsRecognition per signature), validationReportDataHandler = base64 ETSI XML', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      '/v1/trust-lists': { get: { summary: 'Trusted lists in force, the last refresh and each online list (source URL, fetched at, ETag, last result, failures)', responses: { '200': { description: 'Lists', content: { 'application/json': { schema: { type: 'object' } } } } } } },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': { description: 'The process answers' } } } },
      '/readyz': { get: { summary: 'Readiness: usable trust material is loaded', responses: { '200': { description: 'Ready' }, '503': errorResponse('Not ready') } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'Text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
        },
        VerifyRequest: VERIFY_BODY_SCHEMA,
        DataToValidate: DSS_BODY_SCHEMA,
        RemoteDocument: REMOTE_DOCUMENT,
      },
    },
  };
}

/** The DSS body schema with its $refs inlined, for Fastify's validator. */
export function dssBodyValidationSchema(): Record<string, unknown> {
  const json = JSON.stringify(DSS_BODY_SCHEMA).replaceAll('{"$ref":"#/components/schemas/RemoteDocument"}', JSON.stringify(REMOTE_DOCUMENT));
  return JSON.parse(json) as Record<string, unknown>;
}
