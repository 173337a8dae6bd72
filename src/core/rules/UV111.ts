import * as path from 'node:path';
import type { Rule } from '../rule.js';
import { buildUvCalls, subLoc } from './_helpers.js';
import { pipUnlockedSources } from '../model/uv.js';
import { normalizePath } from '../model/image.js';
import { msg } from '../message.js';

/** The image has uv.lock, but `uv pip install` resolves from the unpinned project metadata and never reads it. */
export const rule: Rule = {
  id: 'UV111',
  name: 'pip-ignores-lockfile',
  severity: 'warning',
  summary: '`uv pip install` resolves from pyproject.toml while the image has uv.lock',
  rationale:
    "uv's pip interface never reads uv.lock: `uv pip install -r pyproject.toml` (or `-r requirements.in`, or `.`) resolves the dependencies afresh at build time, so the image gets whatever versions are newest then, not the ones uv.lock pins, although the lock is copied into the image and looks enforced.",
  fix: 'install from the lock: `uv sync --locked`, or `uv export --frozen -o requirements.txt` and `uv pip install -r requirements.txt`',
  examples: { lang: 'dockerfile', bad: 'COPY pyproject.toml uv.lock ./\nRUN uv pip install --system -r pyproject.toml', good: 'COPY pyproject.toml uv.lock ./\nRUN uv sync --locked' },
  check(ctx) {
    for (const c of buildUvCalls(ctx.project)) {
      const sources = pipUnlockedSources(c.inv, c.env);
      if (!sources.length) continue;
      // Where it runs (the RUN's WORKDIR, its cd, --directory); unknown: no claim.
      if (!c.dirs) continue;
      const cwd = c.dirs.dir;
      for (const src of sources) {
        const dir = src === '.' || src === './' ? cwd : path.posix.dirname(src.startsWith('/') ? src : `${cwd}/${src}`);
        const lockPath = normalizePath(`${dir}/uv.lock`);
        // Only a lock that is really in the image: copied from a file the build context has and does not ignore.
        const lock = c.use.sourceOf(c.stage, lockPath, c.run.loc.line);
        if (!lock?.exists || lock.ignored) continue;
        const opt = src === '.' || src === './' ? '' : '-r ';
        ctx.report(subLoc(c.inv), { message: msg`\`uv pip install ${opt}${src}\` resolves the dependencies afresh and never reads uv.lock, which the image has at ${lockPath} (from ${lock.file}): what it installs is not what the lock pins` });
        break;
      }
    }
  },
};
