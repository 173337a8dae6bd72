import type { Rule } from '../rule.js';
import { stageLoc } from './_helpers.js';

export const rule: Rule = {
  id: 'CT401',
  name: 'runs-as-root',
  severity: 'error',
  summary: 'the container runs as root',
  rationale:
    'A process running as root inside the container owns every file the image has and is one kernel bug away from the host. A read-only filesystem does not stop root from remounting or changing what it owns.',
  fix: 'add a user (`useradd --uid 1001 --create-home appuser`) and `USER appuser`',
  examples: { lang: 'dockerfile', bad: "FROM python:3.12-slim\nCMD [\"/app/.venv/bin/app\"]", good: "FROM python:3.12-slim\nRUN useradd --uid 1001 --create-home appuser\nUSER appuser\nCMD [\"/app/.venv/bin/app\"]" },
  check(ctx) {
    for (const rt of ctx.project.runtimes) {
      if (!rt.stage) continue;
      if (rt.service?.user) continue; // compose decides the user: CT406 speaks for it
      if (rt.user.root !== true) continue;
      if (rt.stage.user) ctx.report(rt.stage.user.loc, { message: `USER ${rt.stage.user.value} makes ${rt.label} run as root` });
      else ctx.report(stageLoc(rt.stage), { message: `the final stage sets no USER: ${rt.label} runs as root` });
    }
  },
};
