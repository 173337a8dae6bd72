import type { Rule } from '../rule.js';
import { msg } from '../message.js';
import { spanLoc } from './_helpers.js';

/** Commands that end a script without being the app. */
const NOT_AN_APP = new Set(['exit', 'true', 'false', ':', 'echo', 'printf', 'wait', 'set', 'return', 'trap', 'cd', 'sleep', 'test', '[', 'shift', 'unset', 'umask', 'ulimit', 'source', '.']);

export const rule: Rule = {
  id: 'EP501',
  name: 'no-exec-final-command',
  severity: 'notice',
  summary: "the entrypoint script starts the app without exec",
  rationale:
    'Without `exec`, the shell stays PID 1 and the app runs as its child: `docker stop` sends SIGTERM to the shell, which does not pass it on, so the app gets no chance to shut down and is killed after the grace period.',
  fix: 'prefix the last command with `exec`',
  examples: { lang: 'sh', bad: '#!/bin/sh\nset -e\nuv run --no-sync app', good: '#!/bin/sh\nset -e\nexec uv run --no-sync app' },
  check(ctx) {
    for (const rt of ctx.project.runtimes) {
      for (const script of rt.scripts) {
        const last = script.parse.commands.filter((c) => c.topIndex === script.parse.topCount - 1 && c.loc.file === script.file).pop();
        if (!last || last.exec || last.words.length === 0) continue;
        const name = last.words[0]!.text ?? '';
        if (NOT_AN_APP.has(name)) continue;
        ctx.report(spanLoc(last.words[0]!, last.words[last.words.length - 1]!), { message: msg`the last command of ${script.file} runs without exec: signals from \`docker stop\` do not reach it` });
      }
    }
  },
};
