import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'RO902',
  name: 'unresolved-reference',
  severity: 'warning',
  summary: 'a reference between files cannot be followed',
  rationale: 'A compose build that points at a missing context or Dockerfile, or an entrypoint script copied from a path that does not exist, breaks the build, and leaves part of the project unanalysed.',
  fix: 'fix the path',
  examples: { lang: 'yaml', bad: "services:\n  api:\n    build: ./servces/api   # typo", good: "services:\n  api:\n    build: ./services/api" },
  check(ctx) {
    for (const p of ctx.project.problems) if (p.ruleId === 'RO902') ctx.report(p.loc, { message: p.message, ...(p.severity ? { severity: p.severity } : {}) });
  },
};
