import type { Rule } from '../rule.js';
import type { Runtime } from '../model/runtime.js';
import { writableMountFor } from '../model/runtime.js';
import { normalizePath } from '../model/image.js';
import { runtimeUvCalls, healthcheckUvCalls, withEdits, type RuntimeUvCall } from './_helpers.js';
import { addListItem } from './_compose.js';
import { isTruthy } from '../model/uv.js';

/** The directory uv will create and lock its cache in, for one call (uv 0.12 resolution order). */
export function uvCacheDir(c: RuntimeUvCall): { dir: string; why: string } {
  const opt = c.inv.options.find((o) => o.name === '--cache-dir' && o.value);
  if (opt?.value) return { dir: normalizePath(opt.value), why: '--cache-dir' };
  const noCache = c.inv.options.some((o) => o.name === '--no-cache' || o.name === '-n') || isTruthy(c.env('UV_NO_CACHE'));
  if (noCache) return { dir: normalizePath(c.env('TMPDIR') || '/tmp'), why: 'a temporary cache (UV_NO_CACHE/--no-cache) under $TMPDIR' };
  const explicit = c.env('UV_CACHE_DIR');
  if (explicit) return { dir: normalizePath(explicit), why: 'UV_CACHE_DIR' };
  const xdg = c.env('XDG_CACHE_HOME');
  if (xdg) return { dir: normalizePath(`${xdg}/uv`), why: '$XDG_CACHE_HOME/uv' };
  return { dir: normalizePath(`${home(c.rt)}/.cache/uv`), why: '$HOME/.cache/uv' };
}

function home(rt: Runtime): string {
  return rt.env.get('HOME')?.value || rt.user.home || '/';
}

export const rule: Rule = {
  id: 'UV203',
  name: 'uv-cache-not-writable',
  severity: 'error',
  summary: 'a read-only service runs uv without a writable uv cache',
  rationale:
    'uv creates its cache directory and takes a lock file in it at every invocation, `uv run --no-sync` included; with `--no-cache` it writes a temporary cache under $TMPDIR instead. On a read-only root filesystem that fails at start-up unless a tmpfs or volume covers the directory.',
  fix: 'tmpfs: ["<home>/.cache:uid=U,gid=G"]',
  examples: { lang: 'yaml', bad: "services:\n  api:\n    build: .\n    read_only: true", good: "services:\n  api:\n    build: .\n    read_only: true\n    tmpfs:\n      - \"/home/appuser/.cache:uid=1001,gid=1001\"" },
  check(ctx) {
    const seen = new Set<string>();
    for (const c of [...runtimeUvCalls(ctx.project), ...healthcheckUvCalls(ctx.project)]) {
      const rt = c.rt;
      if (!rt.service || !rt.readOnly || !rt.service.readOnly) continue;
      const { dir, why } = uvCacheDir(c);
      if (writableMountFor(rt, dir)) continue;
      const key = `${rt.service.loc.file}\0${rt.service.name}\0${dir}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const owner = rt.user.uid !== undefined && rt.user.uid !== 0 ? `:uid=${rt.user.uid},gid=${rt.user.gid ?? rt.user.uid}` : '';
      const mountDir = why === '$HOME/.cache/uv' ? dir.replace(/\/uv$/, '') : dir;
      ctx.report(rt.service.readOnly.loc, {
        ...withEdits(addListItem(ctx.project, rt.service, 'tmpfs', JSON.stringify(`${mountDir}${owner}`))),
        message: `${rt.label} is read-only and runs uv, but uv's cache directory ${dir} (${why}) is not on a tmpfs or volume: uv cannot create and lock its cache`,
        fix: `tmpfs: ["${mountDir}${owner}"]`,
      });
    }
  },
};
