import type { Rule } from '../rule.js';
import { msg } from '../message.js';

export const rule: Rule = {
  id: 'CT406',
  name: 'compose-user-root',
  severity: 'error',
  stacks: 'production',
  summary: 'compose runs the service as root',
  rationale: "A compose `user: root` (or 0, 0:0) overrides the image's non-root USER: the hardening in the Dockerfile is undone at deploy time.",
  fix: 'remove it',
  examples: { lang: 'yaml', bad: "services:\n  api:\n    build: .\n    user: \"0\"", good: "services:\n  api:\n    build: .  # the image's USER appuser applies" },
  check(ctx) {
    for (const rt of ctx.project.runtimes) {
      const s = rt.service;
      if (!s?.user) continue;
      const [u = ''] = s.user.value.split(':');
      if (u === 'root' || u === '0') ctx.report(s.user.loc, { message: msg`service "${s.name}" sets \`user: ${s.user.value}\`: it runs as root` });
    }
  },
};
