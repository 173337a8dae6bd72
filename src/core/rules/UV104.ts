import type { Rule } from '../rule.js';
import { msg } from '../message.js';
import { buildUvCalls, subLoc, truthyOption, seesStage, callEnv, type BuildUvCall } from './_helpers.js';
import { flagEdit, withEdits } from './_helpers.js';
import { isSub } from '../model/uv.js';
import { uvProjectFiles, dependencyGroups, defaultGroups, normName, sameEnv } from '../model/uvproject.js';

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
    const syncs = buildUvCalls(ctx.project).filter((c) => isSub(c.inv, 'sync'));
    const status = new Map<BuildUvCall, ReturnType<typeof devGroup>>(syncs.map((c) => [c, devGroup(c)]));
    // uv sync is exact: a later sync of the same environment (in the stage, one built from it, or one that copies
    // from those) removes what it
    // does not install. So the last one decides: an earlier sync that installed dev is covered by a later
    // `--no-dev`, and where both lack it, one finding at the last (adding `--no-dev` there removes the group).
    const covered = new Map<BuildUvCall, BuildUvCall[]>();
    const skip = new Set<BuildUvCall>();
    syncs.forEach((c, i) => {
      if (status.get(c)?.installs === undefined) return;
      const env = callEnv(c);
      const later = syncs.slice(i + 1).find((d) => d.use === c.use && seesStage(d.stage, c.stage, c.use.image.stages) && sameEnv(env, callEnv(d)));
      if (!later || later.inv.options.some((o) => o.name === '--inexact')) return;
      skip.add(c);
      if (status.get(later)?.installs) covered.set(later, [...(covered.get(c) ?? []), c, ...(covered.get(later) ?? [])]);
    });
    for (const c of syncs) {
      const st = status.get(c)!;
      if (!st.installs || skip.has(c)) continue;
      const earlier = covered.get(c) ?? [];
      const also = earlier.length ? msg` (the \`uv sync\` at line ${earlier.map((e) => e.run.loc.line).join(', ')} installed it too; \`--no-dev\` here removes it, as uv sync is exact)` : '';
      ctx.report(subLoc(c.inv), { ...withEdits(flagEdit(c.inv, '--no-dev')), message: msg`\`uv sync\` without \`--no-dev\` installs the dev dependency group of ${st.installs} into the image${also}` });
    }
  },
};

/**
 * Whether the sync installs the project's dev group: `installs` names the pyproject.toml that defines it; undefined
 * when it does not, or when that cannot be told (a word we cannot evaluate may be `--no-dev`; the project is not found).
 */
function devGroup(c: BuildUvCall): { installs?: string } {
  if (c.inv.unknownArgs) return {};
  if (truthyOption(c.inv, c.env, ['--no-dev', '--no-default-groups', '--only-group'], ['UV_NO_DEV', 'UV_NO_DEFAULT_GROUPS'])) return {};
  if (c.inv.options.some((o) => o.name === '--no-group' && o.value && normName(o.value) === 'dev')) return {};
  if (!c.dirs) return {}; // where it runs is unknown (`cd "$DIR"`)
  const files = uvProjectFiles(c.use, c.stage, c.run, c.dirs.project);
  if (!files.pyproject) return {};
  const groups = dependencyGroups(files.pyproject.toml);
  if (!groups.has('dev')) return {};
  const asked = c.inv.options.some((o) => o.name === '--all-groups' || o.name === '--only-dev' || o.name === '--dev' || (o.name === '--group' && o.value !== undefined && normName(o.value) === 'dev'));
  if (!asked && !defaultGroups(files, groups)?.has('dev')) return {};
  return { installs: files.pyproject.file };
}
