import type { Rule } from '../rule.js';
import { msg } from '../message.js';
import { buildUvCalls, subLoc, truthyOption } from './_helpers.js';
import { flagEdit, withEdits } from './_helpers.js';
import { isSub } from '../model/uv.js';
import { uvProjectDir, uvProjectFiles, dependencyGroups, defaultGroups, normName } from '../model/uvproject.js';

/** `uv sync` includes the `dev` dependency group unless told otherwise, when the project defines one. */
export const rule: Rule = {
  id: 'UV104',
  name: 'dev-deps-installed',
  severity: 'warning',
  stacks: 'production',
  summary: '`uv sync` installs the dev dependency group into the image',
  rationale:
    "`uv sync` installs the project's `dev` dependency group (`[dependency-groups] dev`, or the legacy `tool.uv.dev-dependencies`) by default, as long as `tool.uv.default-groups` keeps it. Test and lint tools in a production image add size and attack surface. (An optional-dependencies extra named `dev` is not a group: a plain sync never installs it.)",
  fix: 'add `--no-dev`',
  examples: { lang: 'dockerfile', bad: "# pyproject.toml: [dependency-groups] dev = [\"pytest\"]\nRUN uv sync --locked", good: "RUN uv sync --locked --no-dev" },
  check(ctx) {
    for (const c of buildUvCalls(ctx.project)) {
      if (!isSub(c.inv, 'sync') || c.inv.unknownArgs) continue; // a word we cannot evaluate may be `--no-dev`: no claim
      if (truthyOption(c.inv, c.env, ['--no-dev', '--no-default-groups', '--only-group'], ['UV_NO_DEV', 'UV_NO_DEFAULT_GROUPS'])) continue;
      if (c.inv.options.some((o) => o.name === '--no-group' && o.value && normName(o.value) === 'dev')) continue;
      // The project the sync reads: without it (not found in the build context), nothing is claimed.
      const files = uvProjectFiles(c.use, c.stage, c.run, uvProjectDir(c.inv, c.stage, c.env));
      if (!files.pyproject) continue;
      const groups = dependencyGroups(files.pyproject.toml);
      if (!groups.has('dev')) continue;
      const asked = c.inv.options.some((o) => o.name === '--all-groups' || o.name === '--only-dev' || o.name === '--dev' || (o.name === '--group' && o.value !== undefined && normName(o.value) === 'dev'));
      if (!asked && !defaultGroups(files, groups)?.has('dev')) continue;
      ctx.report(subLoc(c.inv), { ...withEdits(flagEdit(c.inv, '--no-dev')), message: msg`\`uv sync\` without \`--no-dev\` installs the dev dependency group of ${files.pyproject.file} into the image` });
    }
  },
};
