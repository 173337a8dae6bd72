import type { Rule } from '../rule.js';
import { msg } from '../message.js';
import { executedCommands, spanLoc } from './_helpers.js';
import { uvInvocation, isSub } from '../model/uv.js';
import { basename, type Word } from '../parse/shell.js';

function installs(words: Word[]): string | undefined {
  const inv = uvInvocation(words);
  if (inv) {
    for (const sub of [['sync'], ['pip', 'install'], ['pip', 'sync'], ['add'], ['lock'], ['tool', 'install'], ['python', 'install']]) if (isSub(inv, ...sub)) return `uv ${sub.join(' ')}`;
    return undefined;
  }
  const t = words.map((w) => w.text ?? '');
  const b = basename(t[0] ?? '');
  if (/^pip3?(\.\d+)?$/.test(b) && t[1] === 'install') return 'pip install';
  if (/^python3?(\.\d+)?$/.test(b) && t[1] === '-m' && t[2] === 'pip' && t[3] === 'install') return 'python -m pip install';
  return undefined;
}

export const rule: Rule = {
  id: 'UV202',
  name: 'installs-at-start',
  severity: 'error',
  stacks: 'production',
  summary: 'the container installs packages when it starts',
  rationale: 'Installing at start-up (uv sync, uv pip install, uv add, uv lock, pip install, …) writes into the image, which fails on a read-only filesystem, needs the network, and makes every start slower and different. Install at build time.',
  fix: 'move it into a RUN of the Dockerfile',
  examples: { lang: 'sh', bad: '#!/bin/sh\nuv sync --locked\nexec uv run --no-sync app', good: '#!/bin/sh\n# uv sync runs in the Dockerfile\nexec uv run --no-sync app' },
  check(ctx) {
    for (const c of executedCommands(ctx.project)) {
      const what = installs(c.words);
      if (what) ctx.report(spanLoc(c.words[0]!, c.words[Math.min(c.words.length - 1, what.split(' ').length - 1)]!), { message: msg`${c.rt.label} runs \`${what}\` at start` });
    }
  },
};
