import type { Rule } from '../rule.js';
import type { Stage } from '../model/image.js';
import { buildUvCalls, subLoc, truthyOption } from './_helpers.js';
import { flagEdit, withEdits } from './_helpers.js';
import { isSub } from '../model/uv.js';

/** The final stage copies a venv (and nothing else) from another stage. */
function copiesOnlyVenv(final: Stage): boolean {
  const fromStages = final.copies.filter((c) => c.fromStage !== undefined);
  return fromStages.length > 0 && fromStages.every((c) => c.sources.every((s) => /(^|\/)\.?venv\/?$/.test(s.path)));
}

/** An editable install points the venv at the source tree instead of copying the project into site-packages. */
export const rule: Rule = {
  id: 'UV102',
  name: 'sync-editable',
  severity: 'warning',
  summary: '`uv sync` installs the project in editable mode',
  rationale:
    'By default uv installs the project itself as editable: the venv only points at the source folder. uv compiles site-packages only, so the project source is not pre-compiled, and an image that copies just the venv from a builder stage ends up with a venv pointing at source that is not there.',
  fix: 'add `--no-editable`',
  examples: { lang: 'dockerfile', bad: "RUN uv sync --locked", good: "RUN uv sync --locked --no-editable" },
  check(ctx) {
    for (const c of buildUvCalls(ctx.project)) {
      if (!isSub(c.inv, 'sync')) continue;
      if (truthyOption(c.inv, c.env, ['--no-editable', '--no-install-project', '--only-dev'], ['UV_NO_EDITABLE', 'UV_NO_INSTALL_PROJECT'])) continue;
      const venvOnly = c.stage !== c.use.final && copiesOnlyVenv(c.use.final);
      ctx.report(subLoc(c.inv), {
        ...withEdits(flagEdit(c.inv, '--no-editable')),
        message: venvOnly
          ? '`uv sync` installs the project editable, and the final stage copies only the venv: the project source it points at is not in the image'
          : '`uv sync` installs the project editable (the venv points at the source tree, which uv does not compile)',
        ...(venvOnly ? { severity: 'error' as const } : {}),
      });
    }
  },
};
