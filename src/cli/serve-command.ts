import { registerHelp } from './help.js';
import { parseCommandArgs } from './args.js';
import { UsageError } from './errors.js';
import { VERIFY_FLAGS, type VerifyFlagValues } from './verify-options.js';

registerHelp('serve', {
  summary: 'run the validation service (REST, DSS-compatible route, metrics)',
  text: `Usage: ots-esig serve [--host 127.0.0.1] [--port 8080] [--config FILE] [trust flags]

Routes: POST /v1/verify, POST /services/rest/validation/validateSignature (DSS), GET /healthz, /readyz, /metrics,
/openapi.json, /v1/trust-lists. Trust flags as for verify: --trust-list, --list-signer, --agreement, --trust-anchor,
--tsa-anchor, --crl, --policy, --relying-party (the default for requests). Binds 127.0.0.1 unless --host says
otherwise; SIGTERM finishes in-flight requests and exits 0.

Online lists (opt-in): with --online-lists a --trust-list may be an https URL (the list of lists, its operator pinned
with --list-signer; the lists it points to are followed one level). Every refresh (refreshIntervalSeconds, default 300)
fetches with ETag/Last-Modified, verifies each list completely and swaps the new set in atomically; a list whose fetch
or verification fails keeps its last good copy, and the failure shows in GET /v1/trust-lists and /metrics.
--list-cache DIR keeps the copies across restarts; --list-ca CERT names the servers' TLS roots; --list-allow-private
allows loopback/private hosts; --list-allow-http allows plain http (tests and labs only).`,
});


type ServerModule = typeof import('../server/index.js');


/** The verify flags that make sense for a service (not per-file ones: --content, --at, --jobs). */
/** The verify flags that describe trust material and policy (not a file's content or a validation time): serve and queue take them. */
const { content: _content, at: _at, ...trustFlags } = VERIFY_FLAGS;
export const TRUST_FLAGS = trustFlags;

/** TRUST_FLAGS values as the service configuration names them (relying party in upper case, as the CLI accepts any case). */
export function trustConfigOf(values: VerifyFlagValues) {
  return {
    trustLists: values['trust-list'],
    listSigners: values['list-signer'],
    agreements: values.agreement,
    trustAnchors: values['trust-anchor'],
    tsaAnchors: values['tsa-anchor'],
    intermediates: values.intermediates,
    crls: values.crl,
    ocsp: values.ocsp,
    policy: values.policy,
    relyingParty: values['relying-party']?.toUpperCase(),
    purpose: values.purpose,
    algorithms: values.algorithms,
    online: values.online,
    requireRevocation: values['require-revocation'],
    onlineTrustLists: values['online-lists'],
    trustListCacheDir: values['list-cache'],
    trustListCa: values['list-ca'],
    trustListAllowHttp: values['list-allow-http'],
    trustListAllowPrivateNetwork: values['list-allow-private'],
  };
}

/**
 * The server module, loaded only by `serve` and `queue`. The CLI build maps this import to the
 * separately built dist/server.js (tsup.config.ts), so dist/cli.js does not contain it and
 * `verify` never loads Fastify, piscina or BullMQ.
 */
export async function loadServerModule(): Promise<ServerModule> {
  try {
    return await import('../server/index.js');
  } catch (e) {
    // Fastify, piscina, BullMQ, ... are optional peer dependencies: a usage problem (exit 2) naming them all.
    if ((e as { code?: unknown }).code === 'ERR_SERVER_PACKAGES_MISSING') throw new UsageError((e as Error).message);
    throw e;
  }
}

/** `ots-esig serve`: the validation service until SIGTERM / SIGINT (in-flight requests finish; exit 0). */
export async function runServe(args: string[], cliUrl: URL): Promise<number> {
  const { values, positionals } = parseCommandArgs('serve', args, { ...TRUST_FLAGS, host: { type: 'string' }, port: { type: 'string' }, config: { type: 'string' } });
  if (positionals.length) throw new UsageError(`serve takes no positional arguments (got "${positionals[0]}")`);
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535 (got "${values.port}")`);
  }
  const server = await loadServerModule();
  const fromFile = values.config ? server.readConfigFile(values.config) : {};
  const fromFlags = {
    host: values.host,
    port,
    ...trustConfigOf(values),
  };
  const config = server.resolveConfig(fromFile, fromFlags);
  const service = server.buildService({ config, workerFile: new URL('./server-worker.js', cliUrl) });
  const address = await server.startService(service, config);
  process.stdout.write(`ots-esig: listening on ${address}\n`);
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`ots-esig: ${signal}: draining in-flight requests\n`);
      // Anything still holding the loop after the drain must not keep the process up.
      service.shutdown().then(
        () => {
          setTimeout(() => process.exit(0), 200).unref();
          resolve(0);
        },
        (e) => {
          process.stderr.write(`ots-esig: shutdown error: ${(e as Error).message}\n`);
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
