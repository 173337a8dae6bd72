/** What a uv command line means: subcommand, options, and for `uv run` the command it starts. uv 0.12 semantics. */
import type { Word } from '../parse/shell.js';
import { basename } from '../parse/shell.js';

/** uv's boolean environment values (case-insensitive). */
const TRUE = new Set(['1', 'true', 't', 'yes', 'y', 'on']);
const FALSE = new Set(['0', 'false', 'f', 'no', 'n', 'off']);

export function boolValue(v: string | undefined | null): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  const s = v.toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return undefined;
}
export const isTruthy = (v: string | undefined | null): boolean => boolValue(v) === true;

/** Options of any uv subcommand that take a value (so the next word is not a positional argument). */
const VALUE_OPTIONS = new Set(
  (
    '--cache-dir --directory --project --config-file --color --python -p --allow-insecure-host --python-preference ' +
    '--index --default-index --index-url -i --extra-index-url --find-links -f --index-strategy --keyring-provider ' +
    '--resolution --prerelease --exclude-newer --exclude-newer-package --link-mode --config-setting -C ' +
    '--no-build-isolation-package --no-build-package --no-binary-package --refresh-package --reinstall-package ' +
    '--upgrade-package -P --extra --group --no-group --only-group --package --env-file --with --with-editable ' +
    '--with-requirements --from -w --python-platform --output-format --fork-strategy --script --requirements -r ' +
    '--constraints -c --overrides --build-constraints -b --target --prefix -o --output-file --only-binary ' +
    '--no-binary --torch-backend --emit-index-url --install-dir --bin-dir'
  ).split(' '),
);

export interface UvOption {
  name: string;
  value?: string;
  word: Word;
}

export interface UvInvocation {
  /** `uv` / `uvx` word. */
  tool: Word;
  /** Subcommand path: ['sync'], ['pip', 'install'], ['run'], ['tool', 'run'] (uvx), … */
  sub: string[];
  subWords: Word[];
  options: UvOption[];
  positionals: Word[];
  /** For `uv run` / `uvx`: the command it starts (after uv's own options). */
  command: Word[];
  /**
   * A word of uv's own arguments has a value we cannot evaluate (`$(…)`, a variable with no known value): it may
   * supply any flag, so no rule claims one is missing.
   */
  unknownArgs?: true;
}

const NESTED = new Set(['pip', 'tool', 'python', 'cache', 'self', 'auth', 'workspace']);

function isUvTool(w: Word | undefined): 'uv' | 'uvx' | undefined {
  const t = w?.text;
  if (!t) return undefined;
  const b = basename(t);
  return b === 'uv' || b === 'uv.exe' ? 'uv' : b === 'uvx' ? 'uvx' : undefined;
}

const parsedInvocations = new WeakMap<readonly Word[], UvInvocation | null>();

/** Reads a uv command line; undefined when the words do not start uv (`python -m uv` counts). Memoised per argv. */
export function uvInvocation(words: readonly Word[]): UvInvocation | undefined {
  const hit = parsedInvocations.get(words);
  if (hit !== undefined) return hit ?? undefined;
  const inv = readInvocation(words);
  parsedInvocations.set(words, inv ?? null);
  return inv;
}

function readInvocation(words: readonly Word[]): UvInvocation | undefined {
  let start = 0;
  if (/^python(\d(\.\d+)?)?$/.test(basename(words[0]?.text ?? '')) && words[1]?.text === '-m' && words[2]?.text === 'uv') start = 2;
  const kind = isUvTool(words[start]);
  if (!kind) return undefined;
  const inv: UvInvocation = { tool: words[start]!, sub: kind === 'uvx' ? ['tool', 'run'] : [], subWords: [], options: [], positionals: [], command: [] };
  const runLike = (): boolean => (inv.sub[0] === 'run' && inv.sub.length === 1) || (inv.sub[0] === 'tool' && inv.sub[1] === 'run');
  for (let i = start + 1; i < words.length; i++) {
    const w = words[i]!;
    const t = w.text ?? '';
    if (w.text === null) inv.unknownArgs = true;
    if (t === '--') {
      if (runLike()) inv.command = words.slice(i + 1);
      else inv.positionals.push(...words.slice(i + 1));
      break;
    }
    if (t.startsWith('-') && t.length > 1 && w.text !== null) {
      if (runLike() && (t === '-m' || t === '--module')) {
        // `uv run -m mod …` runs `python -m mod …`: the command is that python's (a word standing at the flag).
        inv.command = [{ ...w, text: 'python' }, { ...w, text: '-m' }, ...words.slice(i + 1)];
        break;
      }
      const eq = t.indexOf('=');
      if (t.startsWith('--') && eq > 0) inv.options.push({ name: t.slice(0, eq), value: t.slice(eq + 1), word: w });
      else if (VALUE_OPTIONS.has(t)) {
        const v = words[i + 1];
        inv.options.push(v?.text != null ? { name: t, value: v.text, word: w } : { name: t, word: w });
        i++;
      } else if (/^-[a-zA-Z]{2,}$/.test(t)) for (const ch of t.slice(1)) inv.options.push({ name: `-${ch}`, word: w });
      else inv.options.push({ name: t, word: w });
      continue;
    }
    const needsSub = inv.sub.length === 0 || (inv.sub.length === 1 && NESTED.has(inv.sub[0]!));
    if (needsSub) {
      inv.sub.push(t);
      inv.subWords.push(w);
      continue;
    }
    if (runLike()) {
      inv.command = words.slice(i);
      break;
    }
    inv.positionals.push(w);
  }
  return inv;
}

export function hasOption(inv: UvInvocation, ...names: string[]): UvOption | undefined {
  return inv.options.find((o) => names.includes(o.name));
}

export function isSub(inv: UvInvocation, ...path: string[]): boolean {
  return path.length === inv.sub.length && path.every((p, i) => inv.sub[i] === p);
}

/** `ghcr.io/astral-sh/uv`, `astral/uv` (any tag or digest). */
export function isUvImage(ref: string): boolean {
  const noTag = ref.replace(/@.*$/, '').replace(/:[^/]*$/, '').toLowerCase();
  return noTag === 'ghcr.io/astral-sh/uv' || noTag === 'astral/uv' || noTag === 'docker.io/astral/uv';
}

/**
 * Whether the command writes uv.lock: `uv lock`, and `uv sync` / `add` / `remove` when not locked or frozen (they
 * lock first); `--check`, `--locked`, `--frozen` and `--dry-run` write nothing.
 */
export function writesLockfile(inv: UvInvocation, env: (name: string) => string | undefined): boolean {
  if (!['lock', 'sync', 'add', 'remove'].includes(inv.sub[0] ?? '') || inv.sub.length !== 1) return false;
  if (inv.options.some((o) => ['--check', '--locked', '--frozen', '--dry-run', '--check-exists'].includes(o.name))) return false;
  return !isTruthy(env('UV_LOCKED')) && !isTruthy(env('UV_FROZEN'));
}

/**
 * What a `uv add` does to the image (uv 0.12: it writes pyproject.toml, re-locks and syncs the project environment).
 * `--frozen` / UV_FROZEN adds the requirement verbatim without locking or syncing; `--no-sync` / UV_NO_SYNC re-locks
 * without installing; `--locked` / UV_LOCKED asserts uv.lock stays as it is (the build fails otherwise); `--script`
 * edits a script's inline metadata, not the project. `installs`: the environment is synced; `resolves`: what it
 * installs was resolved at build time instead of read from the reviewed uv.lock.
 */
export function uvAddEffect(inv: UvInvocation, env: (name: string) => string | undefined): { installs: boolean; resolves: boolean } | undefined {
  if (!isSub(inv, 'add') || hasOption(inv, '--script')) return undefined;
  const on = (flag: string, v: string): boolean => hasOption(inv, flag) !== undefined || isTruthy(env(v));
  const installs = !on('--frozen', 'UV_FROZEN') && !on('--no-sync', 'UV_NO_SYNC');
  return { installs, resolves: installs && !on('--locked', 'UV_LOCKED') };
}

/**
 * What a `uv pip install` resolves from unpinned project metadata instead of a pinned list: `-r pyproject.toml`
 * (or setup.py / setup.cfg), `-r requirements.in`, or the project folder itself (`.`, `-e .`). uv's pip interface
 * never reads uv.lock, so these resolve afresh. Empty when the install only takes pinned lists or package names, and
 * when `--no-deps` (the common "dependencies from the lock by `uv sync`, then the project alone" pattern) or a
 * constraints/overrides file (maybe exported from the lock) limits the resolution.
 */
export function pipUnlockedSources(inv: UvInvocation, env: (name: string) => string | undefined): string[] {
  if (!isSub(inv, 'pip', 'install')) return [];
  if (hasOption(inv, '--no-deps', '-c', '--constraints', '--constraint', '--overrides', '--override') || env('UV_CONSTRAINT') || env('UV_OVERRIDE')) return [];
  const out: string[] = [];
  for (const o of inv.options) {
    if ((o.name === '-r' || o.name === '--requirements' || o.name === '--requirement') && o.value && /(^|\/)(pyproject\.toml|setup\.py|setup\.cfg|[^/]*\.in)$/.test(o.value)) out.push(o.value);
  }
  for (const p of inv.positionals) if (p.text === '.' || p.text === './') out.push(p.text);
  return out;
}
