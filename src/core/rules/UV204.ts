import type { Rule } from '../rule.js';
import { msg, literal } from '../message.js';
import { runtimeUvCalls, subLoc } from './_helpers.js';
import { isSub } from '../model/uv.js';

export const rule: Rule = {
  id: 'UV204',
  name: 'uv-at-runtime',
  severity: 'notice',
  summary: 'the container starts the app through uv',
  rationale:
    'uv initialises and locks its cache at every invocation, even with `--no-sync`, so a read-only container needs a writable cache directory just to start. Putting the venv first on PATH and running the app directly needs none, starts faster, and delivers signals to the app.',
  fix: 'ENV PATH="/app/.venv/bin:$PATH" and CMD ["uvicorn", …]',
  examples: { lang: 'dockerfile', bad: "CMD [\"uv\", \"run\", \"--no-sync\", \"uvicorn\", \"app.main:app\"]", good: "ENV PATH=\"/app/.venv/bin:$PATH\"\nCMD [\"uvicorn\", \"app.main:app\"]" },
  check(ctx) {
    for (const c of runtimeUvCalls(ctx.project)) {
      if (!isSub(c.inv, 'run') && !isSub(c.inv, 'tool', 'run')) continue;
      const what = isSub(c.inv, 'run') ? literal('`uv run`') : literal('`uvx`');
      ctx.report(subLoc(c.inv), { message: msg`${c.rt.label} starts its app through ${what}; running the venv's executable directly needs no uv at run time` });
    }
  },
};
