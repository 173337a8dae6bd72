/**
 * One Markdown renderer for the job summary and the PR comment. Everything from the repository is escaped; the code
 * spans of our own message templates (core/message.ts) are shown as code, with whatever values they hold as literal
 * code text.
 */
import type { Finding, Severity } from '../core/types.js';
import type { MessagePart } from '../core/message.js';
import { docsUrl } from '../core/rule.js';

/**
 * Escapes text for a Markdown table cell or paragraph: no markup, no HTML, no @mentions, no line breaks, and no
 * GFM autolink literals (`http://…`, `www.…`, `name@host`: the escaped `:` or `.` and the zero-width space after `@`
 * break them).
 */
export function escapeMd(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/@/g, '@\u200b')
    .replace(/:\/\//g, '\\://')
    .replace(/\b(www)\./gi, '$1\\.');
}

/**
 * A code span that shows `text` literally, whatever it holds: the fence is one backtick longer than the longest run
 * inside; a space pads text that starts or ends with a backtick or a space (CommonMark strips one from each side);
 * line breaks become spaces (a span is one line, and a table row must stay one). In a table cell every `|` is
 * written `\|`: GFM splits the row before it reads code spans and gives the pipe back inside the span.
 */
export function codeSpan(text: string, opts: { inTable: boolean }): string {
  let t = text.replace(/\r\n|[\r\n]/g, ' ');
  if (!t) return '';
  // A backslash run before a pipe is doubled and one added, so the pipe is escaped for every GFM parser (cmark-gfm
  // and micromark disagree on `\\|`); the code then shows those backslashes doubled, a rare and harmless change.
  if (opts.inTable) t = t.replace(/(\\*)\|/g, (_, bs: string) => `${bs}${bs}\\|`);
  const longest = Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(t) && t.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/**
 * A finding's message or fix: with parts (built by `msg`), our code spans as code and the prose escaped; without
 * (a plain string, or untrusted findings from a file), all of it escaped.
 */
export function messageMd(text: string, parts: readonly MessagePart[] | undefined, opts: { inTable: boolean } = { inTable: true }): string {
  if (!parts) return escapeMd(text);
  return parts.map((p) => (p.code ? codeSpan(p.text, opts) : escapeMd(p.text))).join('');
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

/** A URL as a link destination: parentheses, angle brackets and blanks percent-encoded (a `)` would end the link). */
export function linkDestination(url: string): string {
  return url.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
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
    const loc = link ? `[${escapeMd(where)}](${linkDestination(link)})` : escapeMd(where);
    const row = `| ${ICON[f.severity]} ${f.severity} | [${f.ruleId}](${docsUrl(f.ruleId)}) ${f.name} | ${loc} | ${messageMd(f.message, f.messageParts)} | ${messageMd(f.fix, f.fixParts)} |`;
    if (opts.maxChars && size + row.length + 1 > opts.maxChars) break;
    lines.push(row);
    size += row.length + 1;
    shown++;
  }
  if (shown < findings.length) lines.push('', `_${findings.length - shown} more findings not shown${opts.truncatedNote ? `: ${opts.truncatedNote}` : ''}._`);
  return lines.join('\n');
}
