/** One Markdown renderer for the job summary and the PR comment. Everything from the repository is escaped. */
import type { Finding, Severity } from '../core/types.js';
import { docsUrl } from '../core/rule.js';

/** Escapes text for a Markdown table cell or paragraph: no markup, no HTML, no @mentions, no line breaks. */
export function escapeMd(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/@/g, '@\u200b');
}

/** A fenced code block whose fence is longer than any backtick run inside the text. */
export function codeBlock(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text.replace(/@/g, '@\u200b')}\n${fence}`;
}

const ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', notice: '🔵' };

export interface MarkdownOptions {
  /** Builds a link to a file line (at the head commit); none → plain text. */
  fileLink?: (file: string, line: number) => string | undefined;
  /** How a finding's file is shown (e.g. relative to the repository instead of the scanned root). */
  displayPath?: (file: string) => string;
  /** Stop adding table rows past this many characters. */
  maxChars?: number;
  truncatedNote?: string;
}

export function counts(findings: Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

export function findingsMarkdown(findings: Finding[], opts: MarkdownOptions = {}): string {
  const c = counts(findings);
  const lines: string[] = [];
  lines.push(`**${c.error}** errors, **${c.warning}** warnings, **${c.notice}** notices`);
  if (!findings.length) return lines.join('\n');
  lines.push('', '| | Rule | Location | Message | Fix |', '|---|---|---|---|---|');
  let size = lines.join('\n').length;
  let shown = 0;
  for (const f of findings) {
    const where = `${opts.displayPath ? opts.displayPath(f.file) : f.file}:${f.line}`;
    const link = opts.fileLink?.(f.file, f.line);
    const loc = link ? `[${escapeMd(where)}](${link})` : escapeMd(where);
    const row = `| ${ICON[f.severity]} ${f.severity} | [${f.ruleId}](${docsUrl(f.ruleId)}) ${f.name} | ${loc} | ${escapeMd(f.message)} | ${escapeMd(f.fix)} |`;
    if (opts.maxChars && size + row.length + 1 > opts.maxChars) break;
    lines.push(row);
    size += row.length + 1;
    shown++;
  }
  if (shown < findings.length) lines.push('', `_${findings.length - shown} more findings not shown${opts.truncatedNote ? `: ${opts.truncatedNote}` : ''}._`);
  return lines.join('\n');
}
