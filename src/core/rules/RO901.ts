import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'RO901',
  name: 'parse-error',
  severity: 'error',
  summary: 'a file cannot be parsed',
  rationale: 'A Dockerfile, compose file, entrypoint script or config file that cannot be read is not analysed: the check would pass without having looked at it.',
  fix: 'fix the syntax at the reported line',
  examples: { lang: 'yaml', bad: "services:\n  api:\n    build: [.", good: "services:\n  api:\n    build: ." },
  check(ctx) {
    for (const p of ctx.project.problems) if (p.ruleId === 'RO901') ctx.report(p.loc, { message: p.message, ...(p.severity ? { severity: p.severity } : {}) });
    for (const rt of ctx.project.runtimes) {
      for (const s of rt.scripts) {
        if (s.parse.error) ctx.report({ file: s.file, line: s.parse.error.line, column: s.parse.error.column, endLine: s.parse.error.line, endColumn: s.parse.error.column }, { message: `shell syntax error: ${s.parse.error.message}` });
      }
    }
    for (const use of ctx.project.imageUses) {
      for (const st of use.image.stages) for (const r of st.runs) {
        if (r.shellError) ctx.report({ file: use.image.file, line: r.shellError.line, column: r.shellError.column, endLine: r.shellError.line, endColumn: r.shellError.column }, { message: `shell syntax error in RUN: ${r.shellError.message}` });
      }
    }
  },
};
