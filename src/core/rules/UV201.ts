import type { Rule } from '../rule.js';
import { msg } from '../message.js';
import { runtimeUvCalls, healthcheckUvCalls, subLoc, runSyncs } from './_helpers.js';
import { flagEdit, withEdits } from './_helpers.js';

/** `uv run` locks and syncs the project before running unless told not to. */
export const rule: Rule = {
  id: 'UV201',
  name: 'run-syncs-at-start',
  severity: 'error',
  stacks: 'production',
  summary: '`uv run` at container start re-syncs the environment',
  rationale:
    '`uv run` locks and syncs the project before running the command (writing .venv, and including the dev group) unless `--no-sync` or UV_NO_SYNC is set. `--locked`/`--frozen` do not stop the sync. In a read-only container this fails at start-up; in a writable one it installs packages at every start. A HEALTHCHECK that runs `uv run` does the same at every check. (Outside a project, with no pyproject.toml where it runs or above, as in an image installed with `uv pip install -r requirements.txt`, `uv run` syncs nothing: not reported.)',
  fix: 'add `--no-sync`',
  examples: { lang: 'dockerfile', bad: "CMD [\"uv\", \"run\", \"uvicorn\", \"app.main:app\"]", good: "CMD [\"uv\", \"run\", \"--no-sync\", \"uvicorn\", \"app.main:app\"]" },
  check(ctx) {
    const calls = [...runtimeUvCalls(ctx.project).map((c) => ({ c, where: 'the runtime command', when: 'start' })), ...healthcheckUvCalls(ctx.project).map((c) => ({ c, where: 'the healthcheck', when: 'check' }))];
    for (const { c, where, when } of calls) {
      // `--no-project` and `--script` do not touch the project environment, and outside a project there is none.
      if (!runSyncs(c, ctx.project)) continue;
      ctx.report(subLoc(c.inv), { ...withEdits(flagEdit(c.inv, '--no-sync')), message: msg`\`uv run\` without \`--no-sync\` in ${where} of ${c.rt.label}: it syncs the environment at every ${when}` });
    }
  },
};
