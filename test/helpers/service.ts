import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildService, resolveConfig, startService, type Service, type ServiceConfig } from '../../src/server/index.js';
import { CLI, ROOT } from './cli.js';
import { FIXTURES, FIXTURE_CRL_FILES } from './fixtures.js';

/** The built worker module (npm test builds before vitest; ensureBuilt() when run alone). */
export const WORKER = pathToFileURL(join(ROOT, 'dist/server-worker.js'));

/**
 * Pilot lists (OTS list of lists + KZ list) copied to a fresh folder (refresh tests change them),
 * the LOTL operator pinned, the fixture PKI's current CRLs plus the one revoking kz-revoked.
 */
export function pilotTrustConfig(): Partial<ServiceConfig> & { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ots-service-'));
  for (const f of ['ots-lotl.xml', 'kz-tl.xml']) copyFileSync(join(ROOT, 'trust-lists', f), join(dir, f));
  return {
    dir,
    trustLists: [join(dir, 'ots-lotl.xml'), join(dir, 'kz-tl.xml')],
    listSigners: [join(FIXTURES, 'pki/ots-lotl-operator.pem')],
    crls: [...FIXTURE_CRL_FILES.map((f) => join(FIXTURES, f)), join(FIXTURES, 'crl/kz-ca.crl')],
    relyingParty: 'TR',
  };
}

export interface Running {
  readonly service: Service;
  readonly url: string;
}

export async function startTestService(config: Partial<ServiceConfig>): Promise<Running> {
  const resolved = resolveConfig({ host: '127.0.0.1', port: 0, logLevel: 'silent', workers: 1, refreshIntervalSeconds: 0 }, config);
  const service = buildService({ config: resolved, workerFile: WORKER });
  const url = await startService(service, resolved);
  return { service, url };
}

export interface SpawnedService {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exit: Promise<number | null>;
  stderr(): string;
}

/** `node dist/cli.js serve --port 0 ...`: resolves once it prints the bound address. */
export function spawnServe(args: readonly string[]): Promise<SpawnedService> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /ots-esig: listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, exit, stderr: () => err });
      }
    });
    void exit.then((code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}
