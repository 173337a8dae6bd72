import type { Rule } from '../rule.js';
import type { Runtime } from '../model/runtime.js';
import { executedCommands, runtimeUvCalls, writablePath, spanLoc } from './_helpers.js';
import { isTruthy } from '../model/uv.js';
import { basename, shellWords } from '../parse/shell.js';

function tmpDir(rt: Runtime, env: (n: string) => string | undefined): string {
  return env('TMPDIR') || rt.env.get('TMPDIR')?.value || '/tmp';
}

/** `--worker-tmp-dir X` / `--worker-tmp-dir=X` in the arguments or GUNICORN_CMD_ARGS. */
function workerTmpDir(words: string[], env: (n: string) => string | undefined): string | undefined {
  const all = [...words, ...(shellWords(env('GUNICORN_CMD_ARGS') ?? '') ?? [])];
  for (let i = 0; i < all.length; i++) {
    if (all[i] === '--worker-tmp-dir') return all[i + 1];
    if (all[i]!.startsWith('--worker-tmp-dir=')) return all[i]!.slice('--worker-tmp-dir='.length);
  }
  return undefined;
}

export const rule: Rule = {
  id: 'PY303',
  name: 'tmp-not-writable',
  severity: 'error',
  summary: 'a read-only service needs a writable /tmp and has none',
  rationale:
    "gunicorn's workers heartbeat through a file in the temporary directory unless --worker-tmp-dir points elsewhere (/dev/shm is writable in every container), and uv with UV_NO_CACHE writes a temporary cache there. On a read-only root filesystem without a tmpfs on /tmp (or $TMPDIR) they fail at start-up: 'No usable temporary directory'.",
  fix: 'tmpfs: ["/tmp"]',
  examples: { lang: 'yaml', bad: 'services:\n  api:\n    read_only: true\n    command: ["gunicorn", "app:app"]', good: 'services:\n  api:\n    read_only: true\n    tmpfs: ["/tmp"]\n    command: ["gunicorn", "app:app"]' },
  check(ctx) {
    for (const c of executedCommands(ctx.project)) {
      const rt = c.rt;
      if (!rt.service || !rt.readOnly) continue;
      const tmp = tmpDir(rt, c.env);
      if (writablePath(rt, tmp)) continue;
      const t = c.words.map((w) => w.text ?? '');
      const gunicorn = basename(t[0] ?? '') === 'gunicorn' ? 0 : /^python/.test(basename(t[0] ?? '')) && t[1] === '-m' && t[2] === 'gunicorn' ? 2 : -1;
      if (gunicorn >= 0) {
        const dir = workerTmpDir(t.slice(gunicorn + 1), c.env);
        if (dir && (dir === '/dev/shm' || dir.startsWith('/dev/shm/') || writablePath(rt, dir))) continue;
        ctx.report(spanLoc(c.words[gunicorn]!), { message: `gunicorn in read-only ${rt.label} needs a writable ${tmp} for its worker heartbeat files${dir ? ` (--worker-tmp-dir ${dir} is not writable)` : ''}`, fix: 'tmpfs: ["/tmp"], or --worker-tmp-dir /dev/shm' });
      }
    }
    for (const u of runtimeUvCalls(ctx.project)) {
      const rt = u.rt;
      if (!rt.service || !rt.readOnly) continue;
      const noCache = u.inv.options.some((o) => o.name === '--no-cache' || o.name === '-n') || isTruthy(u.env('UV_NO_CACHE'));
      if (!noCache) continue;
      const tmp = tmpDir(rt, u.env);
      if (!writablePath(rt, tmp)) ctx.report(spanLoc(u.inv.tool), { message: `uv without a cache (UV_NO_CACHE) in read-only ${rt.label} writes a temporary cache under ${tmp}, which is not writable` });
    }
  },
};
