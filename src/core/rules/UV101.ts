import type { Rule } from '../rule.js';
import { buildUvCalls, subLoc, truthyOption } from './_helpers.js';
import { flagEdit, withEdits } from './_helpers.js';
import { isSub } from '../model/uv.js';

/** `uv sync` in a RUN must enforce the lockfile, or the image may install versions nobody reviewed. */
export const rule: Rule = {
  id: 'UV101',
  name: 'sync-not-locked',
  severity: 'error',
  summary: '`uv sync` in a RUN does not enforce the lockfile',
  rationale:
    'Without `--locked` (or `--frozen`), `uv sync` re-resolves when uv.lock is stale and installs whatever it finds, so the image is not built from the reviewed lockfile. `--locked` fails the build instead when uv.lock is missing or out of date.',
  fix: 'add `--locked`',
  examples: { lang: 'dockerfile', bad: "RUN uv sync --no-dev", good: "RUN uv sync --locked --no-dev" },
  check(ctx) {
    for (const c of buildUvCalls(ctx.project)) {
      if (!isSub(c.inv, 'sync')) continue;
      if (truthyOption(c.inv, c.env, ['--locked', '--frozen'], ['UV_LOCKED', 'UV_FROZEN'])) continue;
      ctx.report(subLoc(c.inv), { ...withEdits(flagEdit(c.inv, '--locked')), message: '`uv sync` without `--locked` or `--frozen`: the build does not enforce uv.lock' });
    }
  },
};
