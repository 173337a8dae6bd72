import type { Rule } from '../rule.js';
import type { Word } from '../parse/shell.js';
import { basename } from '../parse/shell.js';
import { normalizePath } from '../model/image.js';
import { writablePath } from './_helpers.js';

/** The paths a command writes: redirect targets, touch/mkdir arguments, sed -i files, cp/mv/ln targets, chmod/chown. */
function written(words: Word[], redirects: { op: string; target?: Word }[]): Word[] {
  const out: Word[] = redirects.filter((r) => (r.op === 'write' || r.op === 'append') && r.target).map((r) => r.target!);
  const name = basename(words[0]?.text ?? '');
  const args = words.slice(1);
  const operands = args.filter((w) => !(w.text ?? '').startsWith('-'));
  switch (name) {
    case 'touch':
    case 'mkdir':
      out.push(...operands);
      break;
    case 'sed':
      if (args.some((w) => /^-[a-zA-Z]*i/.test(w.text ?? '') || (w.text ?? '').startsWith('--in-place'))) out.push(...operands.slice(1));
      break;
    case 'cp':
    case 'mv':
    case 'ln':
    case 'install':
      if (operands.length >= 2) out.push(operands[operands.length - 1]!);
      break;
    case 'chmod':
    case 'chown':
      out.push(...operands.slice(1));
      break;
  }
  return out;
}

export const rule: Rule = {
  id: 'EP502',
  name: 'script-writes-read-only-path',
  severity: 'warning',
  summary: 'the entrypoint script writes where the read-only filesystem forbids it',
  rationale: 'In a `read_only: true` service every write outside a tmpfs or volume fails with "Read-only file system", and with `set -e` the script, and so the container, stops.',
  fix: 'mount a tmpfs there, or write under an existing tmpfs',
  examples: { lang: 'sh', bad: '#!/bin/sh\necho "$CONFIG" > /app/config.json\nexec app', good: '#!/bin/sh\n# /run/app is a tmpfs\necho "$CONFIG" > /run/app/config.json\nexec app' },
  check(ctx) {
    for (const rt of ctx.project.runtimes) {
      if (!rt.service || !rt.readOnly) continue;
      const scriptFiles = new Set(rt.scripts.map((s) => s.file));
      for (const c of rt.commands) {
        if (c.origin !== 'script' || !scriptFiles.has(c.loc.file)) continue;
        for (const w of written(c.words, c.redirects)) {
          const t = w.text;
          if (!t || t.startsWith('/dev/') || t.startsWith('/proc/') || t === '-') continue;
          const p = t.startsWith('/') ? normalizePath(t) : normalizePath(`${rt.workdir}/${t}`);
          if (writablePath(rt, p)) continue;
          ctx.report(w.loc, { message: `${c.loc.file} writes ${p}, which is not on a tmpfs or volume of read-only ${rt.label}` });
        }
      }
    }
  },
};
