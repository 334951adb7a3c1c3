/**
 * The help registry: each command module registers its own help text under its
 * command path ("verify", "trust-list lint"), so `ots-esig <command> --help`
 * works for every command without main.ts knowing their texts, and a new
 * command adds its help where it is defined.
 */
export interface CommandHelp {
  /** One line for the command list of `ots-esig --help`. */
  readonly summary: string;
  /** The full text printed by `ots-esig <command> --help`: usage line(s), then the flags and what they do. */
  readonly text: string;
}

const registry = new Map<string, CommandHelp>();

export function registerHelp(path: string, help: CommandHelp): void {
  registry.set(path, help);
}

export function helpFor(path: string): CommandHelp | undefined {
  return registry.get(path);
}

/** Registered command paths, sorted (for the command list and for suggesting a near command). */
export function commandPaths(): string[] {
  return [...registry.keys()].sort();
}

/**
 * The help a command line asks for, or undefined when it asks for none:
 * `--help`/`-h` anywhere before `--`, answered for the longest registered
 * command path made of the line's leading words (`trust-list lint x.xml --help`
 * → "trust-list lint"; `trust-list --help` → "trust-list").
 */
export function requestedHelp(argv: readonly string[]): string | undefined {
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  if (!args.some((a) => a === '--help' || a === '-h')) return undefined;
  const words = args.filter((a) => !a.startsWith('-'));
  for (let n = words.length; n > 0; n--) {
    const path = words.slice(0, n).join(' ');
    if (registry.has(path)) return path;
  }
  return undefined;
}

/** Levenshtein distance (insert, delete, substitute), for "did you mean". */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The candidate nearest to `word`, when near enough to be a plausible typo
 * (at most a third of its length edited, at least 2) or when `word` is a prefix of it.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.startsWith(word) && word.length >= 3 ? 0.5 : editDistance(word, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
