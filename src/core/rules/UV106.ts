import type { Rule } from '../rule.js';
import { literal } from '../message.js';
import { isUvImage } from '../model/uv.js';
import { pipUvVersion, uvInstallerUrl } from '../model/image.js';
import { spanLoc, withEdits } from './_helpers.js';
import type { Loc } from '../types.js';
import type { Edit } from '../fix.js';

/** A uv reference pins an exact version when its tag starts with X.Y.Z or it has a digest. */
export function uvRefPinned(ref: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/i.test(ref)) return true;
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', slash + 1);
  if (colon < 0) return false;
  return /^v?\d+\.\d+\.\d+(-|$)/.test(ref.slice(colon + 1));
}

/** `uv` / `uv:latest` / `uv:0.12` → `uv:X.Y.Z`; `uv:python3.12-bookworm` → `uv:X.Y.Z-python3.12-bookworm`. */
export function pinnedRef(ref: string, version: string): string {
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', slash + 1);
  if (colon < 0) return `${ref}:${version}`;
  const tag = ref.slice(colon + 1);
  const variant = /^(latest|v?\d+(\.\d+)?)(-(.*))?$/.exec(tag);
  const rest = variant ? variant[4] : tag;
  return `${ref.slice(0, colon)}:${version}${rest ? `-${rest}` : ''}`;
}

function pinEdit(ref: string, loc: Loc, version: string): Edit {
  return { file: loc.file, line: loc.line, column: loc.column, endLine: loc.line, endColumn: loc.column + ref.length, text: pinnedRef(ref, version), anchor: ref };
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
        const v = ctx.project.uvVersion;
        if (isUvImage(stage.base.ref) && !uvRefPinned(stage.base.ref)) {
          const edits = v && stage.baseRaw === stage.base.ref ? [pinEdit(stage.base.ref, stage.base.loc, v)] : undefined;
          ctx.report(stage.base.loc, { ...withEdits(edits), message: `FROM ${stage.base.ref} names no exact uv version` });
        }
        for (const c of stage.copies) {
          // uv's documented installer form: `ADD https://astral.sh/uv/install.sh /uv-installer.sh`, then `RUN sh /uv-installer.sh`.
          for (const src of c.keyword === 'ADD' ? c.sources : []) {
            if (uvInstallerUrl(src.path) === '') ctx.report(src.loc, { message: 'ADD fetches the uv installer script without a version', fix: literal('use `https://astral.sh/uv/X.Y.Z/install.sh`, or copy uv from `ghcr.io/astral-sh/uv:X.Y.Z`') });
          }
          if (c.from && c.fromStage === undefined && isUvImage(c.from) && !uvRefPinned(c.from)) {
            const edits = v && c.fromRaw && c.fromRaw.text === c.from ? [pinEdit(c.from, c.fromRaw.loc, v)] : undefined;
            ctx.report({ ...c.loc, endLine: c.loc.line, endColumn: c.loc.line === c.loc.endLine ? c.loc.endColumn : c.loc.column + 4 }, { ...withEdits(edits), message: `COPY --from=${c.from} names no exact uv version` });
          }
        }
        for (const run of stage.runs) {
          for (const m of run.mounts) {
            if (m.from && isUvImage(m.from) && !uvRefPinned(m.from)) ctx.report({ ...run.loc, endLine: run.loc.line, endColumn: run.loc.column + 3 }, { message: `RUN --mount from=${m.from} names no exact uv version` });
          }
          for (const cmd of run.commands) {
            if (pipUvVersion(cmd.words) === '') {
              const w = cmd.words.find((x) => /^uv(\[|$|[<>=~])/.test(x.text ?? '')) ?? cmd.words[0]!;
              ctx.report(w.loc, { message: literal('uv is installed with pip without `==X.Y.Z`'), fix: literal('pin it: `pip install uv==X.Y.Z`') });
            }
            for (const w of cmd.words) {
              const t = w.text ?? '';
              if (uvInstallerUrl(t) === '') {
                ctx.report(spanLoc(w), { message: 'the uv installer script is fetched without a version', fix: literal('use `https://astral.sh/uv/X.Y.Z/install.sh`, or copy uv from `ghcr.io/astral-sh/uv:X.Y.Z`') });
              }
            }
          }
        }
      }
    }
  },
};
