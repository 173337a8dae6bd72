import type { Finding } from '../core/types.js';

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', notice: '\x1b[36m' } as const;
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** `file:line:col severity ID name message`, grouped by file, with the fix indented below; colour on a TTY. */
export function toText(findings: Finding[], color: boolean): string {
  const out: string[] = [];
  let file: string | undefined;
  for (const f of findings) {
    if (f.file !== file) {
      if (file !== undefined) out.push('');
      file = f.file;
    }
    const sev = color ? `${COLORS[f.severity]}${f.severity}${RESET}` : f.severity;
    out.push(`${f.file}:${f.line}:${f.column} ${sev} ${f.ruleId} ${f.name} ${oneLine(f.message)}`);
    out.push(`${color ? DIM : ''}    fix: ${oneLine(f.fix)}${color ? RESET : ''}`);
  }
  const count = (s: Finding['severity']): number => findings.filter((f) => f.severity === s).length;
  if (findings.length) out.push('');
  out.push(`${count('error')} errors, ${count('warning')} warnings, ${count('notice')} notices`);
  return out.join('\n') + '\n';
}

/** Repository text printed to a terminal: no control characters (escape sequences could rewrite the screen). */
export function oneLine(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ');
}
