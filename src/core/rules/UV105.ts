import type { Rule } from '../rule.js';
import { buildUvCalls, subLoc, truthyOption, inContext } from './_helpers.js';
import { isSub } from '../model/uv.js';
import { normalizePath } from '../model/image.js';
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
    for (const c of buildUvCalls(ctx.project)) {
      if (!isSub(c.inv, 'sync')) continue;
      if (!truthyOption(c.inv, c.env, ['--locked', '--frozen'], ['UV_LOCKED', 'UV_FROZEN'])) continue;
      const dirOpt = c.inv.options.find((o) => (o.name === '--directory' || o.name === '--project') && o.value)?.value;
      const project = dirOpt ? (dirOpt.startsWith('/') ? dirOpt : `${c.stage.workdir}/${dirOpt}`) : c.stage.workdir;
      const lockPath = normalizePath(`${project}/uv.lock`);
      // A bind mount of uv.lock itself, or of a folder that holds it (`--mount=type=bind,target=/app`).
      let src: ContextFile | undefined;
      for (const m of c.run.mounts) {
        if (m.type !== 'bind' || m.from || !m.target) continue;
        const target = normalizePath(m.target.startsWith('/') ? m.target : `${c.stage.workdir}/${m.target}`);
        if (lockPath === target || lockPath.startsWith(`${target}/`)) src = c.use.contextFile(`${m.source ?? '.'}${lockPath.slice(target.length)}`);
      }
      // In a uv workspace the lockfile sits at the workspace root, above the member the sync runs in.
      // (A whole-context COPY maps every path, so keep looking up past a mapped file that does not exist.)
      if (!src) {
        for (let dir = normalizePath(project); ; dir = normalizePath(`${dir}/..`)) {
          const here = c.use.sourceOf(c.stage, normalizePath(`${dir}/uv.lock`), c.run.loc.line);
          if (here?.exists) {
            src = here;
            break;
          }
          src ??= here;
          if (dir === '/') break;
        }
      }
      if (!src) ctx.report(subLoc(c.inv), { message: `uv.lock is enforced but nothing copies or bind-mounts it to ${lockPath} before this RUN` });
      else if (!src.exists) ctx.report(subLoc(c.inv), inContext(c.use, `uv.lock is enforced but ${src.file} does not exist in the build context`, 'warning'));
      else if (src.ignored) ctx.report(subLoc(c.inv), inContext(c.use, `uv.lock is enforced but .dockerignore excludes ${src.file} from the build context`, 'warning'));
    }
  },
};
