import type { Rule } from '../rule.js';
import { stageLoc } from './_helpers.js';
import { insertAfter } from '../fix.js';
import { unknownInclude } from '../model/image.js';

/** Any non-empty PYTHONDONTWRITEBYTECODE (even "0") stops Python writing __pycache__. */
export const rule: Rule = {
  id: 'PY301',
  name: 'bytecode-written-at-runtime',
  severity: 'warning',
  summary: 'Python will try to write __pycache__ at run time',
  rationale:
    'On import Python writes compiled bytecode next to the source. On a read-only filesystem it silently skips that and recompiles in memory; on a writable one it changes the image at run time. PYTHONDONTWRITEBYTECODE with any non-empty value turns the writes off; compile at build time instead.',
  fix: 'ENV PYTHONDONTWRITEBYTECODE=1',
  examples: { lang: 'dockerfile', bad: "FROM python:3.12-slim\nCOPY --from=builder /app /app", good: "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1\nCOPY --from=builder /app /app" },
  check(ctx) {
    for (const rt of ctx.project.runtimes) {
      const v = rt.env.get('PYTHONDONTWRITEBYTECODE');
      if (v && v.value !== '') continue;
      if (v) {
        ctx.report(v.loc, { message: `PYTHONDONTWRITEBYTECODE is set to an empty value for ${rt.label}, which leaves bytecode writing on` });
      } else if (rt.stage && rt.image) {
        if (unknownInclude(rt.stage, rt.image) !== undefined) continue; // what the included Dockerfile sets is unknown
        const end = rt.stage.loc;
        const lines = rt.image.parsed.lines;
        const lineText = lines.lineText(end.endLine).slice(0, end.endColumn - 1);
        // A new line after FROM, indented as FROM is (a dockerfile_inline block).
        const indent = /^\s*/.exec(lines.lineText(end.line))![0];
        const edits = [insertAfter(end.file, end.endLine, end.endColumn, lineText, `\n${indent}ENV PYTHONDONTWRITEBYTECODE=1`)];
        ctx.report(stageLoc(rt.stage), { edits, message: `the final stage${rt.stage.name ? ` "${rt.stage.name}"` : ''} does not set PYTHONDONTWRITEBYTECODE: Python writes __pycache__ at run time` });
      } else if (rt.service) {
        ctx.report(rt.service.loc, { message: `${rt.label} does not set PYTHONDONTWRITEBYTECODE: Python writes __pycache__ at run time` });
      }
    }
  },
};
