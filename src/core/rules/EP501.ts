import type { Rule } from '../rule.js';
import { msg } from '../message.js';
import { spanLoc } from './_helpers.js';
import type { SimpleCommand } from '../parse/shell.js';

/** Commands that end a script without being the app. */
const NOT_AN_APP = new Set(['exit', 'true', 'false', ':', 'echo', 'printf', 'wait', 'set', 'return', 'trap', 'cd', 'sleep', 'test', '[', 'shift', 'unset', 'umask', 'ulimit', 'source', '.']);

export const rule: Rule = {
  id: 'EP501',
  name: 'no-exec-final-command',
  severity: 'notice',
  stacks: 'production',
  summary: "the entrypoint script starts the app without exec",
  rationale:
    'Without `exec`, the shell stays PID 1 and the app runs as its child: `docker stop` sends SIGTERM to the shell, which does not pass it on, so the app gets no chance to shut down and is killed after the grace period. ' +
    'A last command that calls a function of the script (`main "$@"`) is followed into that function. A service whose container is meant to exit (another service waits for it with `condition: service_completed_successfully`, or it sets `restart: "no"`: a migration or seed job) does not start the app: its scripts are not judged. Neither is a last command where the script `exec`s a program elsewhere (`[ "$1" = serve ] && exec server`), which is the path for other arguments.',
  fix: 'prefix the last command with `exec`',
  examples: { lang: 'sh', bad: '#!/bin/sh\nset -e\nuv run --no-sync app', good: '#!/bin/sh\nset -e\nexec uv run --no-sync app' },
  check(ctx) {
    for (const rt of ctx.project.runtimes) {
      // A container meant to exit (migrations, seed data) does not start the app: no signal waits on it.
      if (rt.service?.oneShot) continue;
      for (const script of rt.scripts) {
        const lastOf = (top: number): SimpleCommand | undefined => script.parse.commands.filter((c) => c.topIndex === top && c.loc.file === script.file).pop();
        let last = lastOf(script.parse.topCount - 1);
        // `main "$@"`: a function of the script runs; its last command is the one that starts the app.
        const seen = new Set<string>();
        for (let fn = script.parse.functions?.get(last?.words[0]?.text ?? ''); fn !== undefined && last && !last.exec; fn = script.parse.functions?.get(last?.words[0]?.text ?? '')) {
          const name = last.words[0]!.text!;
          if (seen.has(name)) break;
          seen.add(name);
          last = lastOf(fn);
        }
        if (!last || last.exec || last.words.length === 0) continue;
        // An `exec` of a program elsewhere in the script (`[ "$1" = serve ] && exec server`, or in a function defined
        // anywhere): the last command is the path for other arguments (a one-off command), not certainly the app's start.
        const end = last;
        if (script.parse.commands.some((c) => c !== end && c.exec && c.words.length > 0 && c.loc.file === script.file)) continue;
        const name = last.words[0]!.text ?? '';
        if (NOT_AN_APP.has(name) || script.parse.functions?.has(name)) continue;
        ctx.report(spanLoc(last.words[0]!, last.words[last.words.length - 1]!), { message: msg`the last command of ${script.file} runs without exec: signals from \`docker stop\` do not reach it` });
      }
    }
  },
};
