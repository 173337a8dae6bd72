import type { Rule } from '../rule.js';
import { buildUvCalls, subLoc, truthyOption } from './_helpers.js';
import { flagEdit, withEdits } from './_helpers.js';
import { isSub } from '../model/uv.js';

/** `uv sync` includes the `dev` dependency group unless told otherwise. */
export const rule: Rule = {
  id: 'UV104',
  name: 'dev-deps-installed',
  severity: 'warning',
  summary: '`uv sync` installs the dev dependency group into the image',
  rationale:
    '`uv sync` installs the `dev` group by default. Test and lint tools in a production image add size and attack surface.',
  fix: 'add `--no-dev`',
  examples: { lang: 'dockerfile', bad: "RUN uv sync --locked", good: "RUN uv sync --locked --no-dev" },
  check(ctx) {
    for (const c of buildUvCalls(ctx.project)) {
      if (!isSub(c.inv, 'sync')) continue;
      if (truthyOption(c.inv, c.env, ['--no-dev', '--no-default-groups', '--only-group'], ['UV_NO_DEV', 'UV_NO_DEFAULT_GROUPS'])) continue;
      if (c.inv.options.some((o) => o.name === '--no-group' && o.value === 'dev')) continue;
      const groups = c.use.uvSettings.defaultGroups;
      if (Array.isArray(groups) && !groups.includes('dev') && !c.inv.options.some((o) => o.name === '--all-groups' || (o.name === '--group' && o.value === 'dev'))) continue;
      ctx.report(subLoc(c.inv), { ...withEdits(flagEdit(c.inv, '--no-dev')), message: '`uv sync` without `--no-dev` installs the dev dependency group into the image' });
    }
  },
};
