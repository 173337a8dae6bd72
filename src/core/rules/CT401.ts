import type { Rule } from '../rule.js';
import { msg } from '../message.js';
import { stageLoc, byPlace, labels } from './_helpers.js';
import type { Runtime } from '../model/runtime.js';

export const rule: Rule = {
  id: 'CT401',
  name: 'runs-as-root',
  severity: 'error',
  stacks: 'production',
  summary: 'the container runs as root',
  rationale:
    'A process running as root inside the container owns every file the image has and is one kernel bug away from the host. A read-only filesystem does not stop root from remounting or changing what it owns. ' +
    'The user is compose `user` when set (CT406 judges it), else the final stage\'s last USER, else the base image\'s default: official library images (python, debian, ubuntu, alpine, …), uv\'s images, distroless without a nonroot tag, Bitnami python and minideb, nvidia/cuda, pytorch, conda and Microsoft dev container images run as root (an error); Chainguard, distroless nonroot, Red Hat UBI and Software Collections language images (uid 1001), other Bitnami images (uid 1001) and Jupyter images (jovyan) do not (no finding). ' +
    'An app started through `gosu USER` or `su-exec USER` (an entrypoint that drops root) does not run as root. ' +
    'For any other third-party base image (or a `FROM ${ARG}` that cannot be expanded) the user cannot be told from the repository: CT401 is then a notice that says so, not an error.',
  fix: 'add a user (`useradd --uid 1001 --create-home appuser`) and `USER appuser`',
  examples: { lang: 'dockerfile', bad: "FROM python:3.12-slim\nCMD [\"/app/.venv/bin/app\"]", good: "FROM python:3.12-slim\nRUN useradd --uid 1001 --create-home appuser\nUSER appuser\nCMD [\"/app/.venv/bin/app\"]" },
  check(ctx) {
    const unknown: Runtime[] = [];
    const root: Runtime[] = [];
    for (const rt of ctx.project.runtimes) {
      if (!rt.stage) continue;
      if (rt.service?.user) continue; // compose decides the user: CT406 speaks for it
      // The app is started through `gosu USER` / `su-exec USER` (an entrypoint that drops root): it does not run as
      // root, whatever the image's USER (an expansion such as "$PUID" is taken as the drop it is written to be).
      const start = rt.commands[rt.commands.length - 1];
      if (start?.dropsTo !== undefined && !/^(root|0)(:.*)?$/.test(start.dropsTo ?? '')) continue;
      if (rt.user.root === undefined && rt.baseUser && !rt.baseUser.known) unknown.push(rt);
      else if (rt.user.root === true) root.push(rt);
    }
    // One finding per image (its USER line or final FROM), naming every service that runs it.
    const verb = (items: Runtime[]): string => (new Set(items.map((r) => r.label)).size > 1 ? 'run' : 'runs');
    for (const { loc, items } of byPlace(unknown, (rt) => stageLoc(rt.stage!))) {
      const base = items[0]!.baseUser!.image;
      ctx.report(loc, {
        severity: 'notice',
        message: `the final stage sets no USER: ${labels(items)} ${verb(items)} as the default user of ${base || 'its base image'}, which ro-uv-check does not know (root, unless that image sets a USER)`,
        fix: msg`check the image's user (\`docker image inspect -f '{{.Config.User}}' IMAGE\`); if it is empty or root, add a user and \`USER appuser\``,
      });
    }
    for (const { loc, items } of byPlace(root, (rt) => rt.stage!.user?.loc ?? stageLoc(rt.stage!))) {
      const user = items[0]!.stage!.user;
      if (user) ctx.report(loc, { message: `USER ${user.value} makes ${labels(items)} run as root` });
      else ctx.report(loc, { message: `the final stage sets no USER: ${labels(items)} ${verb(items)} as root` });
    }
  },
};
