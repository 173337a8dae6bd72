import type { Rule } from '../rule.js';
import { msg, literal } from '../message.js';
import { runtimeUvCalls, subLoc, byPlace, labels, type RuntimeUvCall } from './_helpers.js';
import type { Runtime } from '../model/runtime.js';
import { isSub } from '../model/uv.js';

export const rule: Rule = {
  id: 'UV204',
  name: 'uv-at-runtime',
  severity: 'notice',
  stacks: 'production',
  // Where `uv run` lacks --no-sync, UV201 says so at the same words: one finding.
  yieldsTo: ['UV201'],
  summary: 'the container starts the app through uv',
  rationale:
    'uv initialises and locks its cache at every invocation, even with `--no-sync`, so a read-only container needs a writable cache directory just to start. Putting the venv first on PATH and running the app directly needs none, starts faster, and delivers signals to the app.',
  fix: 'ENV PATH="/app/.venv/bin:$PATH" and CMD ["uvicorn", …]',
  examples: { lang: 'dockerfile', bad: "CMD [\"uv\", \"run\", \"--no-sync\", \"uvicorn\", \"app.main:app\"]", good: "ENV PATH=\"/app/.venv/bin:$PATH\"\nCMD [\"uvicorn\", \"app.main:app\"]" },
  check(ctx) {
    // Once per runtime, at the command that starts the app: the last `uv run`/`uvx` it executes (earlier ones run
    // migrations and the like, then the server).
    const starts = new Map<Runtime, RuntimeUvCall>();
    for (const c of runtimeUvCalls(ctx.project)) if (isSub(c.inv, 'run') || isSub(c.inv, 'tool', 'run')) starts.set(c.rt, c);
    for (const { loc, items } of byPlace(starts.values(), (c) => subLoc(c.inv))) {
      const what = isSub(items[0]!.inv, 'run') ? literal('`uv run`') : literal('`uvx`');
      const who = new Set(items.map((c) => c.rt.label)).size > 1 ? 'start their app' : 'starts its app';
      ctx.report(loc, { message: msg`${labels(items.map((c) => c.rt))} ${who} through ${what}; running the venv's executable directly needs no uv at run time` });
    }
  },
};
