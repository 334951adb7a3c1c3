/**
 * `npm run fuzz [-- --count N --seconds S --seed X --timeout-ms T --jobs J --no-diff --c14n N --record --only I]`
 *
 * Also: a differential oracle (every TOTAL-PASSED re-verified by openssl cms / xmlsec1, see
 * scripts/fuzz/differential.ts) and metamorphic mutations of revocation data, trust lists,
 * agreements, time-stamp tokens and validation times (scripts/fuzz/metamorphic.ts). Seeds: the
 * fixture manifests, GOST fixtures, recognition/revocation scenarios, and the DSS samples and trust
 * lists of the shared corpus ($OTS_CORPUS, default ../shared/corpus; read, never copied). Findings
 * are saved to scripts/fuzz/findings/<seed>-<index>-<outcome>/ with a description (inputs derived
 * from the shared corpus are not saved: reproduce them with --seed/--only). --jobs J runs J worker
 * processes on interleaved indices: the outcome of each index does not depend on J.
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
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  jobs: number;
  differential: boolean;
  /** Documents of the C14N differential against xmlsec1 (scripts/fuzz/c14n-xmlsec.ts) run after the mutants. */
  c14n?: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { count: 10_000, seconds: 600, seed: 'ots-esig', timeoutMs: 5_000, record: false, out: '', jobs: 1, differential: true };
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
    else if (k === '--jobs') a.jobs = Number(v());
    else if (k === '--no-diff') a.differential = false;
    else if (k === '--c14n') a.c14n = Number(v());
    else throw new Error(`unknown option ${k} (--count N --seconds S --seed X --timeout-ms T --jobs J --no-diff --c14n N --record --only I --out DIR)`);
  }
  if (!(a.count > 0) || !(a.seconds > 0) || !(a.timeoutMs > 0) || !(a.jobs >= 1)) throw new Error('--count, --seconds, --timeout-ms and --jobs must be positive');
  // Default: one generated hostile-namespace document per 50 mutants, 100..2,000 (0 turns it off).
  a.c14n ??= Math.min(2000, Math.max(100, Math.round(a.count / 50)));
  if (!(a.c14n >= 0)) throw new Error('--c14n must be a count (0 = off)');
  a.out ||= join(tmpdir(), `ots-esig-fuzz-${a.seed}`);
  return a;
}

async function reproduce(a: Args): Promise<void> {
  const { loadCorpus } = await import('./fuzz/corpus.js');
  const { fuzzOne, mutationFor } = await import('./fuzz/engine.js');
  const corpus = await loadCorpus(fileURLToPath(new URL('../fixtures/', import.meta.url)));
  const m = mutationFor(corpus, a.seed, a.only!);
  const r = await fuzzOne(corpus, a.seed, a.only!, a.timeoutMs, { differential: a.differential });
  mkdirSync(a.out, { recursive: true });
  const file = join(a.out, `${a.only}.bin`);
  if (m.bytes) writeFileSync(file, m.bytes);
  const o = m.option?.options;
  if (o) writeFileSync(join(a.out, `${a.only}.options.json`), JSON.stringify({ ...o, validationTime: o.validationTime }, (k, v) => (v instanceof Uint8Array ? `<${v.length} bytes>` : k === 'registry' ? '<registry>' : v), 2));
  console.log(JSON.stringify({ index: a.only, seed: r.seed, family: r.family, note: r.note, outcome: r.outcome, ms: Math.round(r.ms), detail: r.detail, diff: r.diff, file }, null, 2));
}

async function run(a: Args): Promise<boolean> {
  const tally = new Tally();
  const diffTally = new Tally();
  const findings: string[] = [];
  const deadline = Date.now() + a.seconds * 1000;
  const hangMs = 2 * a.timeoutMs + 10_000;
  const started = Date.now();
  let hangs = 0;
  mkdirSync(a.out, { recursive: true });
  const workerFile = fileURLToPath(new URL('./fuzz/worker.ts', import.meta.url));
  const findingsDir = fileURLToPath(new URL('./fuzz/findings/', import.meta.url));

  const record = (m: Extract<WorkerMessage, { t: 'done' }>) => {
    tally.add(m.f, m.o);
    for (const x of m.x ?? []) diffTally.add(x.split(':')[0]!, x.split(':').slice(1, 2).join(':'));
    if (!BAD_OUTCOMES.has(m.o)) return;
    const line = `#${m.i} ${m.s} ${m.f} → ${m.o}: ${m.n ? `[${m.n}] ` : ''}${m.d ?? ''}`;
    findings.push(line);
    console.error(`FINDING ${line}`);
    if (m.b) writeFileSync(join(a.out, `${m.i}-${m.s.replace(/[^\w.-]+/g, '_')}-${m.f}-${m.o}.bin`), Buffer.from(m.b, 'base64'));
    if (m.o === 'CRASH' || m.o === 'TIMEOUT' || m.o === 'SLOW') return;
    // Oracle findings (false accept, disagreement, broken property) are kept in the repository with a description.
    const dir = join(findingsDir, `${a.seed}-${m.i}-${m.o}`.replace(/[^\w.-]+/g, '_'));
    mkdirSync(dir, { recursive: true });
    const fromCorpus = m.s.startsWith('dss:') || m.s.startsWith('tl:dss:');
    if (m.b && !fromCorpus) writeFileSync(join(dir, 'input.bin'), Buffer.from(m.b, 'base64'));
    for (const [k, v] of Object.entries(m.a ?? {})) if (!fromCorpus) writeFileSync(join(dir, k.replace(/[^\w.-]+/g, '_')), Buffer.from(v, 'base64'));
    writeFileSync(
      join(dir, 'description.md'),
      [
        `# ${m.o}: ${m.s} (${m.f})`,
        '',
        `Reproduce: \`npm run fuzz -- --seed ${a.seed} --only ${m.i}\``,
        '',
        `- seed: \`${m.s}\`${fromCorpus ? ' (from the shared corpus: input not saved here)' : ''}`,
        `- family: \`${m.f}\``,
        m.n ? `- mutation: ${m.n}` : '',
        `- outcome: ${m.o}`,
        '',
        '```',
        m.d ?? '',
        '```',
        '',
      ].join('\n'),
    );
  };

  /** One shard: inputs i ≡ shard (mod jobs), in a worker process restarted past any input that hangs or crashes it. */
  const shard = async (k: number) => {
    let next = k;
    while (next < a.count && Date.now() < deadline) {
      const cfg: WorkerConfig = { seed: a.seed, start: next, end: a.count, deadline, timeoutMs: a.timeoutMs, stride: a.jobs, differential: a.differential };
      const child: ChildProcess = fork(workerFile, [], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, OTS_FUZZ_CONFIG: JSON.stringify(cfg) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      let current = -1;
      let lastBeat = Date.now();
      let ended = false;
      let ready = false;
      child.on('message', (m: WorkerMessage) => {
        lastBeat = Date.now();
        if (m.t === 'ready') ready = true;
        if (m.t === 'ready') console.error(`fuzz[${k}]: ${m.seeds} seeds, ${m.valid} valid signed tuples, seed "${a.seed}", inputs ${next}..${a.count} step ${a.jobs}`);
        else if (m.t === 'start') current = m.i;
        else if (m.t === 'done') {
          record(m);
          next = m.i + a.jobs;
          if (tally.total % 1000 === 0) console.error(`fuzz: ${tally.total} inputs, ${Math.round((Date.now() - started) / 1000)} s`);
        } else if (m.t === 'end') {
          ended = true;
          next = m.next;
        }
      });
      const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
      const watchdog = setInterval(() => {
        // Loading the corpus (baselines of every seed, the shared corpus) may take minutes on a busy machine.
        if (Date.now() - lastBeat > (ready ? hangMs : 600_000)) {
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
        next = Math.max(next, current + a.jobs);
      } else break;
    }
  };
  await Promise.all(Array.from({ length: a.jobs }, (_, k) => shard(k)));

  // C14N differential (issue #24): generated documents with hostile namespace layouts, signed by xmlsec1 and
  // verified by our canonicalizer; a disagreement is a finding like any other.
  let c14nLine = 'C14N differential against xmlsec1: off (--c14n 0).';
  if (a.c14n) {
    const { crossCheckRun, xmlsecAvailable } = await import('./fuzz/c14n-xmlsec.js');
    if (!xmlsecAvailable()) c14nLine = 'C14N differential against xmlsec1: skipped (xmlsec1 not installed).';
    else {
      const c = await crossCheckRun(a.c14n, a.seed);
      const disagree = c.others.filter((o) => o.status === 'disagree');
      for (const o of disagree) {
        findings.push(`#c14n ${a.seed} c14n-xmlsec → DIFF-DISAGREE: ${o.description}\n  ${o.detail}`);
        console.error(`FINDING c14n ${o.description}: ${o.detail}`);
      }
      c14nLine = `C14N differential against xmlsec1 (scripts/fuzz/c14n-xmlsec.ts, hostile namespace layouts): ${c.agree}/${a.c14n} agree, ${disagree.length} disagree, ${c.others.length - disagree.length} refused by xmlsec1.`;
    }
  }

  const secs = (Date.now() - started) / 1000;
  const summary = [
    `Seed \`${a.seed}\`, ${tally.total} inputs in ${secs.toFixed(0)} s (${((secs * 1000) / Math.max(1, tally.total)).toFixed(1)} ms/input), per-input timeout ${a.timeoutMs} ms, hangs ${hangs}.`,
    '',
    tally.table(),
    '',
    c14nLine,
    '',
    a.differential ? `Differential oracle (one count per TOTAL-PASSED signature re-checked; \`pass-der-attrs\` = openssl passes only with the signed attributes DER-sorted, see findings/non-der-signed-attrs; \`pass-own-chain\` = only with the chain ots-esig built; \`pass-digest-algorithms\` = only once SignedData.digestAlgorithms lists the signer's digest; \`pass-inclusive-notafter\` = only 1 s before a chain certificate's notAfter, which RFC 5280 counts as valid; \`pass-sid-name-match\` = only with the unsigned sid issuer spelled as in the certificate):\n\n${diffTally.table()}` : 'Differential oracle: off (--no-diff).',
    '',
    findings.length ? `Findings (${findings.length}, grouped; first input of each group shown):\n\n${groupFindings(findings)}` : 'Findings: none (no crash, no timeout, no false accept).',
  ].join('\n');
  console.log(summary);
  if (a.record) {
    const file = fileURLToPath(new URL('./fuzz/LAST_RUN.md', import.meta.url));
    // The how-to header (everything before the first "# Last recorded fuzz run") is kept; the previous runs move below.
    const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const cut = before.indexOf('# Last recorded fuzz run');
    const header = cut >= 0 ? before.slice(0, cut) : '';
    const previous = cut >= 0 ? before.slice(cut).replace('# Last recorded fuzz run', '# Previous run') : '';
    writeFileSync(
      file,
      `${header}# Last recorded fuzz run\n\n\`npm run fuzz -- --count ${a.count} --seconds ${a.seconds} --seed ${a.seed} --timeout-ms ${a.timeoutMs} --jobs ${a.jobs}${a.differential ? '' : ' --no-diff'} --c14n ${a.c14n} --record\` at ${new Date().toISOString()}\n\n${summary}\n\nOutcome legend: \`error:ERR_*\` = a typed OtsEsigError (expected for unreadable input); TOTAL-FAILED / INDETERMINATE = a report; \`TOTAL-PASSED (signed bytes intact)\` = passed and the oracle (scripts/fuzz/oracle.ts) confirms the signed bytes equal a valid sample's; \`unchanged\` = the mutation produced the seed itself (not verified). \`TOTAL-PASSED (options mutated)\` = a pass of an unmutated signature under mutated options (checked by the properties and the differential oracle); \`list-*\` = a mutated trust list loaded alone. Bad outcomes: FALSE-ACCEPT, DIFF-DISAGREE, PROPERTY-VIOLATION, CRASH, TIMEOUT, SLOW, HANG, WORKER-EXIT.\n${previous ? `\n---\n\n${previous}` : ''}`,
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
