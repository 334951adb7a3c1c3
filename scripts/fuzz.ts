/**
 * `npm run fuzz [-- --count N --seconds S --seed X --timeout-ms T --record --only I]`
 *
 * Mutates every fixture signature (byte flips, truncation, length-field
 * corruption, ASN.1 re-nesting/duplication/grafts, XML moves/duplications/Id
 * changes ...) and verifies each mutant with its fixture's options. Asserts:
 * no crash other than our typed errors (OtsEsigError), no input past the
 * per-input timeout, and no TOTAL-PASSED unless the signed bytes are intact
 * (scripts/fuzz/oracle.ts). Bounded by count and time; seeded, so any input
 * is reproducible with `--seed X --only I`. Exit 1 when anything bad was seen.
 * Not part of `npm test` (test/fuzz-smoke.test.ts runs a short seeded run).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BAD_OUTCOMES, Tally } from './fuzz/engine.js';
import type { WorkerConfig, WorkerMessage } from './fuzz/worker.js';

interface Args {
  count: number;
  seconds: number;
  seed: string;
  timeoutMs: number;
  record: boolean;
  only?: number;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { count: 10_000, seconds: 600, seed: 'ots-esig', timeoutMs: 5_000, record: false, out: '' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    if (k === '--count') a.count = Number(v());
    else if (k === '--seconds') a.seconds = Number(v());
    else if (k === '--seed') a.seed = v();
    else if (k === '--timeout-ms') a.timeoutMs = Number(v());
    else if (k === '--record') a.record = true;
    else if (k === '--only') a.only = Number(v());
    else if (k === '--out') a.out = v();
    else throw new Error(`unknown option ${k} (--count N --seconds S --seed X --timeout-ms T --record --only I --out DIR)`);
  }
  if (!(a.count > 0) || !(a.seconds > 0) || !(a.timeoutMs > 0)) throw new Error('--count, --seconds and --timeout-ms must be positive');
  a.out ||= join(tmpdir(), `ots-esig-fuzz-${a.seed}`);
  return a;
}

async function reproduce(a: Args): Promise<void> {
  const { loadCorpus } = await import('./fuzz/corpus.js');
  const { fuzzOne, mutationFor } = await import('./fuzz/engine.js');
  const corpus = await loadCorpus(fileURLToPath(new URL('../fixtures/', import.meta.url)));
  const m = mutationFor(corpus, a.seed, a.only!);
  const r = await fuzzOne(corpus, a.seed, a.only!, a.timeoutMs);
  mkdirSync(a.out, { recursive: true });
  const file = join(a.out, `${a.only}.bin`);
  if (m.bytes) writeFileSync(file, m.bytes);
  console.log(JSON.stringify({ index: a.only, seed: r.seed, family: r.family, outcome: r.outcome, ms: Math.round(r.ms), detail: r.detail, file }, null, 2));
}

async function run(a: Args): Promise<boolean> {
  const tally = new Tally();
  const findings: string[] = [];
  const deadline = Date.now() + a.seconds * 1000;
  const hangMs = 2 * a.timeoutMs + 10_000;
  const started = Date.now();
  let next = 0;
  let hangs = 0;
  mkdirSync(a.out, { recursive: true });
  const workerFile = fileURLToPath(new URL('./fuzz/worker.ts', import.meta.url));

  while (next < a.count && Date.now() < deadline) {
    const cfg: WorkerConfig = { seed: a.seed, start: next, end: a.count, deadline, timeoutMs: a.timeoutMs };
    const child: ChildProcess = fork(workerFile, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, OTS_FUZZ_CONFIG: JSON.stringify(cfg) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let current = -1;
    let lastBeat = Date.now();
    let ended = false;
    child.on('message', (m: WorkerMessage) => {
      lastBeat = Date.now();
      if (m.t === 'ready') console.error(`fuzz: ${m.seeds} seeds, ${m.valid} valid signed tuples, seed "${a.seed}", inputs ${next}..${a.count}`);
      else if (m.t === 'start') current = m.i;
      else if (m.t === 'done') {
        tally.add(m.f, m.o);
        next = m.i + 1;
        if (BAD_OUTCOMES.has(m.o)) {
          const line = `#${m.i} ${m.s} ${m.f} → ${m.o}: ${m.d ?? ''}`;
          findings.push(line);
          console.error(`FINDING ${line}`);
          if (m.b) writeFileSync(join(a.out, `${m.i}-${m.s}-${m.f}-${m.o}.bin`), Buffer.from(m.b, 'base64'));
        }
        if (tally.total % 5000 === 0) console.error(`fuzz: ${tally.total} inputs, ${Math.round((Date.now() - started) / 1000)} s`);
      } else if (m.t === 'end') {
        ended = true;
        next = m.next;
      }
    });
    const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const watchdog = setInterval(() => {
      if (Date.now() - lastBeat > hangMs) {
        hangs++;
        const line = `#${current} HANG: no progress for ${hangMs} ms (worker killed)`;
        findings.push(line);
        tally.add('(any)', 'HANG');
        console.error(`FINDING ${line}`);
        child.kill('SIGKILL');
      }
    }, 1000);
    const code = await exit;
    clearInterval(watchdog);
    if (!ended) {
      // Killed for a hang, or crashed outright (out of memory, native abort): skip the input it was on.
      if (code !== null && code !== 0) {
        const line = `#${current} WORKER-EXIT ${code}`;
        findings.push(line);
        tally.add('(any)', 'WORKER-EXIT');
        console.error(`FINDING ${line}`);
      }
      next = Math.max(next, current + 1);
    } else break;
  }

  const secs = (Date.now() - started) / 1000;
  const summary = [
    `Seed \`${a.seed}\`, ${tally.total} inputs in ${secs.toFixed(0)} s (${((secs * 1000) / Math.max(1, tally.total)).toFixed(1)} ms/input), per-input timeout ${a.timeoutMs} ms, hangs ${hangs}.`,
    '',
    tally.table(),
    '',
    findings.length ? `Findings (${findings.length}, grouped; first input of each group shown):\n\n${groupFindings(findings)}` : 'Findings: none (no crash, no timeout, no false accept).',
  ].join('\n');
  console.log(summary);
  if (a.record) {
    const file = fileURLToPath(new URL('./fuzz/LAST_RUN.md', import.meta.url));
    writeFileSync(
      file,
      `# Last recorded fuzz run\n\n\`npm run fuzz -- --count ${a.count} --seconds ${a.seconds} --seed ${a.seed} --timeout-ms ${a.timeoutMs} --record\` at ${new Date().toISOString()}\n\n${summary}\n\nOutcome legend: \`error:ERR_*\` = a typed OtsEsigError (expected for unreadable input); TOTAL-FAILED / INDETERMINATE = a report; \`TOTAL-PASSED (signed bytes intact)\` = passed and the oracle (scripts/fuzz/oracle.ts) confirms the signed bytes equal a valid sample's; \`unchanged\` = the mutation produced the seed itself (not verified). Bad outcomes: FALSE-ACCEPT, CRASH, TIMEOUT, SLOW, HANG, WORKER-EXIT.\n`,
    );
    console.error(`fuzz: recorded ${file}`);
  }
  return findings.length === 0;
}

/** Groups findings by outcome, seed and first line of detail (the same bug found many times is one line). */
function groupFindings(findings: readonly string[]): string {
  const groups = new Map<string, { n: number; first: string }>();
  for (const f of findings) {
    const m = /^#(-?\d+) (\S+) (\S+) → (\S+): ([^\n]*)(?:\n\s*(at [^\n]*))?/.exec(f);
    const key = m ? `${m[4]} ${m[4] === 'FALSE-ACCEPT' ? `${m[2]} ${m[3]}` : ''} ${m[5]!.replace(/\d+/g, 'N')} ${m[6] ?? ''}` : f;
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { n: 1, first: f });
  }
  return [...groups.values()].map((g) => `- ${g.n} × ${g.first.split('\n').slice(0, 3).join(' / ')}`).join('\n');
}

const args = parseArgs(process.argv.slice(2));
if (args.only !== undefined) await reproduce(args);
else process.exitCode = (await run(args)) ? 0 : 1;
