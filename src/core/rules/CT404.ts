import type { Rule } from '../rule.js';
import { msg } from '../message.js';
import { withEdits } from './_helpers.js';
import { addListItem, repeatsBase } from './_compose.js';

export const rule: Rule = {
  id: 'CT404',
  name: 'new-privileges-allowed',
  severity: 'notice',
  stacks: 'production',
  summary: 'processes in the service may gain new privileges',
  rationale: 'Without `no-new-privileges`, a setuid binary in the image can raise a process to root. The flag makes the kernel refuse any privilege gain (setuid, file capabilities) for the life of the container.',
  fix: 'security_opt: ["no-new-privileges:true"]',
  examples: { lang: 'yaml', bad: 'services:\n  api:\n    build: .', good: 'services:\n  api:\n    build: .\n    security_opt: ["no-new-privileges:true"]' },
  check(ctx) {
    for (const rt of ctx.project.runtimes) {
      const s = rt.service;
      if (!s || repeatsBase(ctx.project, s, ['security_opt'])) continue; // (a base stack's finding is reported there)
      if (s.securityOpt.some((o) => /^no-new-privileges(?:[:=]true)?$/i.test(o.value.replace(/\s+/g, '')))) continue;
      const at = s.node.entries.get('security_opt')?.keyLoc ?? s.loc;
      // An explicit `no-new-privileges:false` is a decision to change by hand, not to contradict with a second entry.
      const explicit = s.securityOpt.some((o) => /^no-new-privileges/i.test(o.value));
      ctx.report(at, { ...withEdits(explicit ? undefined : addListItem(ctx.project, s, 'security_opt', '"no-new-privileges:true"')), message: msg`service "${s.name}" does not set \`no-new-privileges:true\`` });
    }
  },
};
