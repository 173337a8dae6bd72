import type { Rule } from '../rule.js';
import { buildUvCalls, subLoc, truthyOption, inContext, type BuildUvCall } from './_helpers.js';
import { isSub, writesLockfile } from '../model/uv.js';
import { normalizePath, externalBaseOf, isPublicBase } from '../model/image.js';
import type { ContextFile } from '../model/project.js';

export const rule: Rule = {
  id: 'UV105',
  name: 'lockfile-missing',
  severity: 'error',
  summary: 'the lockfile is enforced, but no uv.lock reaches the build before the sync',
  rationale:
    '`uv sync --locked` fails when uv.lock is missing, and `--frozen` has nothing to install from: the build breaks. uv.lock must be committed, inside the build context, not excluded by .dockerignore, and copied (or bind-mounted) into the project folder before the RUN.',
  fix: 'commit uv.lock and `COPY pyproject.toml uv.lock ./` before the sync',
  examples: { lang: 'dockerfile', bad: 'WORKDIR /app\nCOPY pyproject.toml ./\nRUN uv sync --locked', good: 'WORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked' },
  check(ctx) {
    const calls = buildUvCalls(ctx.project);
    // The commands that write uv.lock, per image use (looked up for each locked sync).
    const writers = new Map<BuildUvCall['use'], BuildUvCall[]>();
    for (const w of calls) {
      if (!w.dirs || !writesLockfile(w.inv, w.env)) continue;
      const list = writers.get(w.use);
      if (list) list.push(w);
      else writers.set(w.use, [w]);
    }
    for (const c of calls) {
      if (!isSub(c.inv, 'sync')) continue;
      if (!truthyOption(c.inv, c.env, ['--locked', '--frozen'], ['UV_LOCKED', 'UV_FROZEN'])) continue;
      // Where the sync runs is unknown (`cd "$DIR"`, `--project $X`): no claim.
      if (!c.dirs) continue;
      const project = c.dirs.project;
      const lockPath = normalizePath(`${project}/uv.lock`);
      // An earlier `uv lock` or unlocked sync of this project (or its workspace) in the stage wrote the lockfile.
      if (writers.get(c.use)?.some((w) => (project === w.dirs!.project || project.startsWith(`${w.dirs!.project}/`)) && runsBefore(w, c))) continue;
      // A bind mount of uv.lock itself, or of a folder that holds it (`--mount=type=bind,target=/app`).
      let src: ContextFile | undefined;
      for (const m of c.run.mounts) {
        if (m.type !== 'bind' || m.from || !m.target) continue;
        const target = normalizePath(m.target.startsWith('/') ? m.target : `${c.run.workdir}/${m.target}`);
        if (lockPath === target || lockPath.startsWith(`${target}/`)) src = c.use.contextFile(`${m.source ?? '.'}${lockPath.slice(target.length)}`);
      }
      // In a uv workspace the lockfile sits at the workspace root, above the member the sync runs in.
      // (A whole-context COPY maps every path, so keep looking up past a mapped file that does not exist.)
      if (!src) {
        for (let dir = project; ; dir = normalizePath(`${dir}/..`)) {
          const here = c.use.sourceOf(c.stage, normalizePath(`${dir}/uv.lock`), c.run.loc.line);
          if (here?.exists) {
            src = here;
            break;
          }
          src ??= here;
          if (dir === '/') break;
        }
      }
      // Nothing copies it: the base image may hold it, unless it is a public image (one this repository builds
      // from another Dockerfile, or any other, has unknown content).
      const publicBase = isPublicBase(externalBaseOf(c.stage, c.use.image.stages));
      if (!src) {
        if (publicBase) ctx.report(subLoc(c.inv), { message: `uv.lock is enforced but nothing copies or bind-mounts it to ${lockPath} before this RUN` });
        continue;
      }
      if (!src.exists) {
        // The build context is only assumed: the lockfile may well be in the one the build really uses.
        if (c.use.contextAssumed) continue;
        // A folder copied whole (`COPY . /app`) adds only what the context holds: an earlier COPY may have put the
        // lockfile there, and a base image of unknown content may already have it.
        const held = c.use.sourceOf(c.stage, lockPath, c.run.loc.line, true);
        if (held?.exists || (!held && !publicBase)) continue;
      }
      if (!src.exists) ctx.report(subLoc(c.inv), inContext(c.use, `uv.lock is enforced but ${src.file} does not exist in the build context`, 'warning'));
      else if (src.ignored) ctx.report(subLoc(c.inv), inContext(c.use, `uv.lock is enforced but .dockerignore excludes ${src.file} from the build context`, 'warning'));
    }
  },
};

/** Whether `w` runs before `c` in the same build: an earlier command of the same RUN, an earlier RUN, a parent stage. */
function runsBefore(w: BuildUvCall, c: BuildUvCall): boolean {
  if (w.stage === c.stage) return w.run === c.run ? c.run.commands.indexOf(w.cmd) < c.run.commands.indexOf(c.cmd) : w.run.loc.line < c.run.loc.line;
  for (let s = c.stage.parent; s !== undefined; s = c.use.image.stages[s]?.parent) if (s === w.stage.index) return true;
  return false;
}
