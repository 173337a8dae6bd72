import type { Rule } from '../rule.js';
import { msg, literal } from '../message.js';
import { executedCommands } from './_helpers.js';
import { basename } from '../parse/shell.js';

export const rule: Rule = {
  id: 'PY302',
  name: 'precompiled-bytecode-ignored',
  severity: 'warning',
  stacks: 'production',
  summary: 'the runtime ignores the bytecode compiled at build time',
  rationale:
    "PYTHONPYCACHEPREFIX or `-X pycache_prefix` makes Python look for .pyc files in another tree, so the __pycache__ that the build compiled is never used; PYTHONOPTIMIZE or `python -O` needs .opt-N.pyc files, which uv does not write. Either way every start compiles in memory again.",
  fix: 'remove it',
  examples: { lang: 'dockerfile', bad: 'ENV PYTHONPYCACHEPREFIX=/tmp/pycache', good: 'ENV PYTHONDONTWRITEBYTECODE=1' },
  check(ctx) {
    for (const rt of ctx.project.runtimes) {
      const prefix = rt.env.get('PYTHONPYCACHEPREFIX');
      if (prefix && prefix.value !== '') ctx.report(prefix.loc, { message: `PYTHONPYCACHEPREFIX=${prefix.value} for ${rt.label}: the bytecode compiled at build time is not used` });
      const opt = rt.env.get('PYTHONOPTIMIZE');
      if (opt && opt.value !== '' && opt.value !== '0') ctx.report(opt.loc, { message: `PYTHONOPTIMIZE=${opt.value} for ${rt.label}: Python needs .opt-N.pyc files, which uv does not compile` });
    }
    for (const c of executedCommands(ctx.project)) {
      if (!/^python(\d(\.\d+)?)?$/.test(basename(c.words[0]?.text ?? ''))) continue;
      for (let i = 1; i < c.words.length; i++) {
        const t = c.words[i]!.text ?? '';
        if (!t.startsWith('-') || t === '-m' || t === '-c') break;
        if (/^-O+$/.test(t)) ctx.report(c.words[i]!.loc, { message: msg`\`python ${t}\` needs .opt-N.pyc files, which uv does not compile: every start compiles in memory` });
        if ((t === '-X' && /^pycache_prefix=/.test(c.words[i + 1]?.text ?? '')) || /^-Xpycache_prefix=/.test(t)) ctx.report(c.words[i]!.loc, { message: literal('`-X pycache_prefix` makes Python ignore the __pycache__ compiled at build time') });
      }
    }
  },
};
