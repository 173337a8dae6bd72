import type { Rule } from '../rule.js';
import { msg } from '../message.js';
import { buildUvCalls, subLoc, truthyOption, descendsFrom, type BuildUvCall } from './_helpers.js';
import { flagEdit, withEdits } from './_helpers.js';
import { isSub, uvAddEffect } from '../model/uv.js';

/** `uv sync` in a RUN must enforce the lockfile, or the image may install versions nobody reviewed. */
export const rule: Rule = {
  id: 'UV101',
  name: 'sync-not-locked',
  severity: 'error',
  summary: '`uv sync` (or `uv add`) in a RUN does not enforce the lockfile',
  rationale:
    'Without `--locked` (or `--frozen`), `uv sync` re-resolves when uv.lock is stale and installs whatever it finds, so the image is not built from the reviewed lockfile. `--locked` fails the build instead when uv.lock is missing or out of date. `uv add PKG` in a RUN always re-locks and syncs (unless `--frozen`, `--no-sync` or `--locked`): the package and its dependencies are resolved at build time; add it in the repository and sync the lock instead.',
  fix: 'add `--locked`',
  examples: { lang: 'dockerfile', bad: "RUN uv sync --no-dev", good: "RUN uv sync --locked --no-dev" },
  check(ctx) {
    for (const c of buildUvCalls(ctx.project)) {
      if (!uvAddEffect(c.inv, c.env)?.resolves) continue;
      ctx.report(subLoc(c.inv), {
        message: msg`\`uv add\` in a RUN re-locks and installs what it resolves at build time: the image is not built from a reviewed uv.lock`,
        fix: msg`add the dependency in the repository (\`uv add\` there updates pyproject.toml and uv.lock), then install with \`uv sync --locked\``,
        unfixable: '`--locked` would make this `uv add` fail (it changes uv.lock)',
      });
    }
    // (A word we cannot evaluate may be `--locked`: no claim there.)
    const unlocked = buildUvCalls(ctx.project).filter((c) => isSub(c.inv, 'sync') && !c.inv.unknownArgs && !truthyOption(c.inv, c.env, ['--locked', '--frozen'], ['UV_LOCKED', 'UV_FROZEN']));
    // The two-step pattern (dependencies first, then the project, same project folder, the later sync in the same
    // stage or one built from it): both unlocked is one problem, with one fix (`ENV UV_LOCKED=1`, or --locked on each).
    const second = new Map<BuildUvCall, BuildUvCall>();
    const taken = new Set<BuildUvCall>();
    unlocked.forEach((c, i) => {
      if (taken.has(c) || !truthyOption(c.inv, c.env, ['--no-install-project', '--no-install-workspace', '--no-install-local'], ['UV_NO_INSTALL_PROJECT', 'UV_NO_INSTALL_WORKSPACE', 'UV_NO_INSTALL_LOCAL'])) return;
      const dir = c.dirs?.project;
      const image = c.use.image;
      const next = dir === undefined ? undefined : unlocked.slice(i + 1, i + 4).find((d) => d.use === c.use && !taken.has(d) && descendsFrom(d.stage, c.stage, image.stages) && d.dirs?.project === dir);
      if (!next) return;
      second.set(c, next);
      taken.add(next);
    });
    for (const c of unlocked) {
      if (taken.has(c)) continue;
      const d = second.get(c);
      const first = flagEdit(c.inv, '--locked');
      const then = d && flagEdit(d.inv, '--locked');
      // Both edits when both can be made; else the first's (the finding says what the second needs).
      const edits = Array.isArray(first) && Array.isArray(then) ? [...first, ...then] : first;
      const both = d ? msg`, nor does the \`uv sync\` at line ${d.run.loc.line} after it (\`ENV UV_LOCKED=1\` before them fixes both)` : '';
      ctx.report(subLoc(c.inv), { ...withEdits(edits), message: msg`\`uv sync\` without \`--locked\` or \`--frozen\`: the build does not enforce uv.lock${both}` });
    }
  },
};
