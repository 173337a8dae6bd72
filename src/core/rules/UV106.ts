import type { Rule } from '../rule.js';
import { isUvImage } from '../model/uv.js';
import { pipUvVersion } from '../model/image.js';
import { spanLoc } from './_helpers.js';

/** A uv reference pins an exact version when its tag starts with X.Y.Z or it has a digest. */
export function uvRefPinned(ref: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/i.test(ref)) return true;
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', slash + 1);
  if (colon < 0) return false;
  return /^v?\d+\.\d+\.\d+(-|$)/.test(ref.slice(colon + 1));
}

export const rule: Rule = {
  id: 'UV106',
  name: 'uv-unpinned',
  severity: 'warning',
  summary: 'uv is installed without an exact version',
  rationale:
    'A uv image tag such as `latest` or `0.12`, or `pip install uv` without `==X.Y.Z`, gives a different uv on each build: flags, defaults and the environment variables it understands change between releases.',
  fix: 'pin `ghcr.io/astral-sh/uv:X.Y.Z`',
  examples: { lang: 'dockerfile', bad: "COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/", good: "COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/" },
  check(ctx) {
    for (const use of ctx.project.imageUses) {
      for (const stage of use.image.stages) {
        if (isUvImage(stage.base.ref) && !uvRefPinned(stage.base.ref)) {
          ctx.report(stage.base.loc, { message: `FROM ${stage.base.ref} names no exact uv version` });
        }
        for (const c of stage.copies) {
          if (c.from && c.fromStage === undefined && isUvImage(c.from) && !uvRefPinned(c.from)) {
            ctx.report({ ...c.loc, endLine: c.loc.line, endColumn: c.loc.line === c.loc.endLine ? c.loc.endColumn : c.loc.column + 4 }, { message: `COPY --from=${c.from} names no exact uv version` });
          }
        }
        for (const run of stage.runs) {
          for (const m of run.mounts) {
            if (m.from && isUvImage(m.from) && !uvRefPinned(m.from)) ctx.report({ ...run.loc, endLine: run.loc.line, endColumn: run.loc.column + 3 }, { message: `RUN --mount from=${m.from} names no exact uv version` });
          }
          for (const cmd of run.commands) {
            if (pipUvVersion(cmd.words) === '') {
              const w = cmd.words.find((x) => /^uv(\[|$|[<>=~])/.test(x.text ?? '')) ?? cmd.words[0]!;
              ctx.report(w.loc, { message: 'uv is installed with pip without `==X.Y.Z`', fix: 'pin it: `pip install uv==X.Y.Z`' });
            }
            for (const w of cmd.words) {
              const t = w.text ?? '';
              if (/astral\.sh\/uv\/(.*\/)?install\.(sh|ps1)/.test(t) && !/astral\.sh\/uv\/v?\d+\.\d+\.\d+\//.test(t)) {
                ctx.report(spanLoc(w), { message: 'the uv installer script is fetched without a version', fix: 'use `https://astral.sh/uv/X.Y.Z/install.sh`, or copy uv from `ghcr.io/astral-sh/uv:X.Y.Z`' });
              }
            }
          }
        }
      }
    }
  },
};
