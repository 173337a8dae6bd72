import type { Finding } from '../core/types.js';

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', notice: '\x1b[36m' } as const;
export const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/**
 * Whether text output gets colour, as Node itself decides (`tty.WriteStream#getColorDepth`): `FORCE_COLOR` wins
 * (`0` or `false` turn colour off, anything else on), then `NO_COLOR` (any non-empty value: no colour), then a
 * terminal that is not `TERM=dumb`. Piped or redirected output stays plain.
 */
export function colorEnabled(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return isTTY && env.TERM !== 'dumb';
}

/** Wraps `s` in an ANSI style when `on`. */
export function paint(on: boolean, style: string, s: string): string {
  return on ? `${style}${s}${RESET}` : s;
}

export function severityStyle(severity: Finding['severity']): string {
  return COLORS[severity];
}

/** `file:line:col severity ID name message`, grouped by file, with the fix indented below; colour when asked. */
export function toText(findings: Finding[], color: boolean): string {
  const out: string[] = [];
  let file: string | undefined;
  for (const f of findings) {
    if (f.file !== file) {
      if (file !== undefined) out.push('');
      file = f.file;
    }
    const where = paint(color, BOLD, `${oneLine(f.file)}:${f.line}:${f.column}`);
    const sev = paint(color, COLORS[f.severity], f.severity);
    const id = paint(color, `${BOLD}${COLORS[f.severity]}`, f.ruleId);
    out.push(`${where} ${sev} ${id} ${f.name} ${oneLine(f.message)}`);
    out.push(paint(color, DIM, `    fix: ${oneLine(f.fix)}`));
  }
  const count = (s: Finding['severity']): number => findings.filter((f) => f.severity === s).length;
  if (findings.length) out.push('');
  const summary = `${count('error')} errors, ${count('warning')} warnings, ${count('notice')} notices`;
  out.push(paint(color && findings.length > 0, BOLD, summary));
  return out.join('\n') + '\n';
}

/** Repository text printed to a terminal: no control characters (escape sequences could rewrite the screen). */
export function oneLine(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ');
}
