import type { Rule } from '../rule.js';
import { msg } from '../message.js';
import { withEdits } from './_helpers.js';
import { addKey, replaceValue, repeatsBase } from './_compose.js';

export const rule: Rule = {
  id: 'CT402',
  name: 'not-read-only',
  severity: 'error',
  stacks: 'production',
  summary: 'the service does not run with a read-only root filesystem',
  rationale:
    'With `read_only: true` nothing in the container can change the image at run time: no dropped binaries, no modified code, no state hidden in the image layer. Writable paths are then declared explicitly as tmpfs or volumes.',
  fix: 'read_only: true',
  examples: { lang: 'yaml', bad: "services:\n  api:\n    build: .", good: "services:\n  api:\n    build: .\n    read_only: true" },
  check(ctx) {
    for (const rt of ctx.project.runtimes) {
      const s = rt.service;
      if (!s || s.readOnly?.value === true) continue;
      if (repeatsBase(ctx.project, s, ['read_only'])) continue; // reported on the base file's own stack
      const edits = s.readOnly ? replaceValue(ctx.project, s, 'read_only', 'true') : addKey(ctx.project, s, 'read_only', 'true');
      ctx.report(s.readOnly?.loc ?? s.loc, { ...withEdits(edits), message: msg`service "${s.name}" does not set \`read_only: true\`` });
    }
  },
};
