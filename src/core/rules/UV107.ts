import type { Rule } from '../rule.js';
import { isIgnored } from '../parse/dockerignore.js';
import { inContext } from './_helpers.js';

const WHOLE_CONTEXT = new Set(['.', './', '*', './*']);

export const rule: Rule = {
  id: 'UV107',
  name: 'venv-not-dockerignored',
  severity: 'warning',
  summary: 'the whole build context is copied while .dockerignore does not exclude .venv',
  rationale:
    "A host .venv copied into the image (by `COPY . .`) overwrites or shadows the image's environment with one built for another machine: its interpreter links and compiled extensions break in the container. uv's Docker guide excludes .venv in .dockerignore.",
  fix: 'add `.venv` to .dockerignore',
  examples: { lang: 'dockerfile', bad: '# .dockerignore has no .venv entry\nCOPY . .', good: '# .dockerignore:\n#   .venv\nCOPY . .' },
  check(ctx) {
    for (const use of ctx.project.imageUses) {
      // `.venv` itself, or what is in it (`.venv/**` leaves the folder but none of its files: every venv has a
      // pyvenv.cfg at its top).
      if (isIgnored(use.dockerignore, '.venv') || isIgnored(use.dockerignore, '.venv/pyvenv.cfg')) continue;
      for (const stage of use.image.stages) {
        if (!use.reachable.has(stage.index)) continue;
        for (const c of stage.copies) {
          if (c.from !== undefined || !c.sources.some((s) => WHOLE_CONTEXT.has(s.path))) continue;
          const where = use.dockerignore ? `${use.dockerignore.file} does not exclude .venv` : 'there is no .dockerignore';
          ctx.report(c.loc, inContext(use, `${c.keyword} copies the whole build context and ${where}: a host .venv would be copied into the image`, 'notice'));
        }
      }
    }
  },
};
