import type { Rule } from '../rule.js';
import { stageLoc, byPlace, labels } from './_helpers.js';
import { insertAfter } from '../fix.js';
import { unknownInclude } from '../model/image.js';
import type { Runtime } from '../model/runtime.js';

/** Any non-empty PYTHONDONTWRITEBYTECODE (even "0") stops Python writing __pycache__. */
export const rule: Rule = {
  id: 'PY301',
  name: 'bytecode-written-at-runtime',
  severity: 'warning',
  stacks: 'production',
  summary: 'Python will try to write __pycache__ at run time',
  rationale:
    'On import Python writes compiled bytecode next to the source. On a read-only filesystem it silently skips that and recompiles in memory; on a writable one it changes the image at run time. PYTHONDONTWRITEBYTECODE with any non-empty value turns the writes off; compile at build time instead.',
  fix: 'ENV PYTHONDONTWRITEBYTECODE=1',
  examples: { lang: 'dockerfile', bad: "FROM python:3.12-slim\nCOPY --from=builder /app /app", good: "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1\nCOPY --from=builder /app /app" },
  check(ctx) {
    const empty: Runtime[] = [];
    const unset: Runtime[] = [];
    for (const rt of ctx.project.runtimes) {
      const v = rt.env.get('PYTHONDONTWRITEBYTECODE');
      if (v && v.value !== '') continue;
      if (v) empty.push(rt);
      else if (rt.stage && rt.image) {
        if (unknownInclude(rt.stage, rt.image) === undefined) unset.push(rt); // what an included Dockerfile sets is unknown
      }
      else if (rt.service) ctx.report(rt.service.loc, { message: `${rt.label} does not set PYTHONDONTWRITEBYTECODE: Python writes __pycache__ at run time` });
    }
    // One finding per place (the ENV line, the final stage): an image that several services run is one problem.
    for (const { loc, items } of byPlace(empty, (rt) => rt.env.get('PYTHONDONTWRITEBYTECODE')!.loc)) {
      ctx.report(loc, { message: `PYTHONDONTWRITEBYTECODE is set to an empty value for ${labels(items)}, which leaves bytecode writing on` });
    }
    for (const { items } of byPlace(unset, (rt) => stageLoc(rt.stage!))) {
      const rt = items[0]!;
      const stage = rt.stage!;
      const end = stage.loc;
      const lines = rt.image!.parsed.lines;
      const lineText = lines.lineText(end.endLine).slice(0, end.endColumn - 1);
      // A new line after FROM, indented as FROM is (a dockerfile_inline block).
      const indent = /^\s*/.exec(lines.lineText(end.line))![0];
      const edits = [insertAfter(end.file, end.endLine, end.endColumn, lineText, `\n${indent}ENV PYTHONDONTWRITEBYTECODE=1`)];
      const who = items.some((r) => r.service) ? ` (run by ${labels(items)})` : '';
      ctx.report(stageLoc(stage), { edits, message: `the final stage${stage.name ? ` "${stage.name}"` : ''} does not set PYTHONDONTWRITEBYTECODE: Python writes __pycache__ at run time${who}` });
    }
  },
};
