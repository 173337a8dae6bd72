import type { Rule } from '../rule.js';
import { literal, msg } from '../message.js';
import type { Stage } from '../model/image.js';
import { buildUvCalls, subLoc, truthyOption, spanLoc } from './_helpers.js';
import { flagEdit, withEdits } from './_helpers.js';
import { isSub } from '../model/uv.js';
import { uvProjectFiles, isPackaged, lockRootVirtual, installedMembers, flagOrEnv, normName } from '../model/uvproject.js';

/**
 * The final stage copies a venv (and nothing else) from another stage: no other stage's files and nothing from the
 * build context (where the editable install's source could come back: `COPY ./app /code/app`).
 */
function copiesOnlyVenv(final: Stage): boolean {
  const fromStages = final.copies.filter((c) => c.fromStage !== undefined);
  const fromContext = final.copies.some((c) => c.fromStage === undefined && c.from === undefined);
  return !fromContext && fromStages.length > 0 && fromStages.every((c) => c.sources.every((s) => /(^|\/)\.?venv\/?$/.test(s.path)));
}

/** An editable install points the venv at the source tree instead of copying the project into site-packages. */
export const rule: Rule = {
  id: 'UV102',
  name: 'sync-editable',
  severity: 'warning',
  stacks: 'production',
  summary: '`uv sync` installs the project in editable mode',
  rationale:
    'By default uv installs the project itself (and the workspace members it depends on) as editable: the venv only points at the source folder. uv compiles site-packages only, so the project source is not pre-compiled, and an image that copies just the venv from a builder stage ends up with a venv pointing at source that is not there. (A virtual project, one without a `[build-system]` or with `tool.uv.package = false`, is never installed, so this does not apply to it; `uv pip install -e` is the same editable install.)',
  fix: 'add `--no-editable`',
  examples: { lang: 'dockerfile', bad: "# pyproject.toml has a [build-system]\nRUN uv sync --locked", good: "RUN uv sync --locked --no-editable" },
  check(ctx) {
    for (const c of buildUvCalls(ctx.project)) {
      const venvOnly = c.stage !== c.use.final && copiesOnlyVenv(c.use.final);
      const severity = venvOnly ? { severity: 'error' as const } : {};
      if (isSub(c.inv, 'pip', 'install')) {
        // `uv pip install -e PATH` / `--editable PATH` / `-ePATH`: an editable install of local source.
        const e = c.inv.options.find((o) => o.name === '-e' || o.name === '--editable' || /^-e[^-]/.test(o.name));
        if (!e) continue;
        ctx.report(spanLoc(c.inv.tool, e.word), {
          ...severity,
          message: venvOnly
            ? literal('`uv pip install -e` installs local source editable, and the final stage copies only the venv: the source it points at is not in the image')
            : literal('`uv pip install -e` installs local source editable (the venv points at the source tree, which uv does not compile)'),
          fix: literal('install it without `-e` (`uv pip install .`)'),
        });
        continue;
      }
      if (!isSub(c.inv, 'sync') || c.inv.unknownArgs) continue; // a word we cannot evaluate may be any flag: no claim
      if (truthyOption(c.inv, c.env, ['--no-editable'], ['UV_NO_EDITABLE'])) continue;
      if (flagOrEnv(c.inv, c.env, ['--no-install-workspace', '--no-install-local'], ['UV_NO_INSTALL_WORKSPACE', 'UV_NO_INSTALL_LOCAL'])) continue;
      // The project the sync reads: without it (not found in the build context), nothing is claimed.
      if (!c.dirs) continue; // where it runs is unknown (`cd "$DIR"`)
      const files = uvProjectFiles(c.use, c.stage, c.run, c.dirs.project);
      const py = files.pyproject?.toml;
      if (!py) continue;
      const noProject = flagOrEnv(c.inv, c.env, ['--no-install-project', '--only-dev', '--only-group'], ['UV_NO_INSTALL_PROJECT']);
      // With --frozen uv installs what uv.lock says, whatever pyproject.toml says now.
      const frozen = flagOrEnv(c.inv, c.env, ['--frozen'], ['UV_FROZEN']);
      const virtual = !isPackaged(py) || (frozen && files.lock !== undefined && lockRootVirtual(files.lock.text));
      // `--package NAME`: that member is the project the sync installs (the root only when it is NAME).
      const pkg = c.inv.options.find((o) => o.name === '--package')?.value;
      const rootName = (py.project as { name?: unknown } | undefined)?.name;
      const isRoot = pkg === undefined || (typeof rootName === 'string' && normName(rootName) === normName(pkg));
      const root = !noProject && !virtual && isRoot;
      const members = isRoot || noProject ? installedMembers(c.use, c.stage, c.run, files, c.inv.options.some((o) => o.name === '--all-packages')) : installedMembers(c.use, c.stage, c.run, files, false, pkg);
      if (!root && members.length === 0) continue;
      const what = root ? (members.length ? `the project and workspace members ${members.join(', ')}` : 'the project') : `workspace member${members.length > 1 ? 's' : ''} ${members.join(', ')}`;
      ctx.report(subLoc(c.inv), {
        ...withEdits(flagEdit(c.inv, '--no-editable')),
        message: venvOnly
          ? msg`\`uv sync\` installs ${what} editable, and the final stage copies only the venv: the source it points at is not in the image`
          : msg`\`uv sync\` installs ${what} editable (the venv points at the source tree, which uv does not compile)`,
        ...severity,
      });
    }
  },
};
