import type { Rule } from '../rule.js';
import { msg } from '../message.js';
import { withEdits } from './_helpers.js';
import { addListItem, repeatsBase } from './_compose.js';

export const rule: Rule = {
  id: 'CT403',
  name: 'capabilities-not-dropped',
  severity: 'warning',
  stacks: 'production',
  summary: 'the service keeps the default Linux capabilities',
  rationale:
    'Docker gives containers a default set of capabilities (chown, setuid, net_raw, …). A Python web app needs none of them; dropping ALL removes what an attacker could use after a compromise.',
  fix: 'cap_drop: [ALL]',
  examples: { lang: 'yaml', bad: "services:\n  api:\n    build: .", good: "services:\n  api:\n    build: .\n    cap_drop: [ALL]" },
  check(ctx) {
    for (const rt of ctx.project.runtimes) {
      const s = rt.service;
      if (!s || repeatsBase(ctx.project, s, ['cap_drop'])) continue; // (a base stack's finding is reported there)
      if (s.capDrop.some((c) => c.value.toUpperCase() === 'ALL')) continue;
      const at = s.node.entries.get('cap_drop')?.keyLoc ?? s.loc;
      ctx.report(at, { ...withEdits(addListItem(ctx.project, s, 'cap_drop', 'ALL')), message: msg`service "${s.name}" does not drop all capabilities (\`cap_drop: [ALL]\`)` });
    }
  },
};
