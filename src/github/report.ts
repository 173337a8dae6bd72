/** The job summary and the sticky PR comment: one Markdown renderer, two sizes. */
import type { Finding } from '../core/types.js';
import { findingsMarkdown, counts, escapeMd, codeBlock, codeSpan, type MarkdownOptions } from '../report/markdown.js';

export interface ReportInput {
  findings: Finding[];
  failOn: string;
  failed: boolean;
  /** Link to a repository file line at the head commit. */
  fileLink?: (file: string, line: number) => string | undefined;
  /** The workflow run, for "see the job summary". */
  runUrl?: string;
  /** Scanned folder, relative to the repository (shown when not the root). */
  scope: string;
  /** Root-relative path → repository-relative path. */
  displayPath?: (file: string) => string;
  notes: string[];
  /** The smoke section (Markdown), when the smoke test ran. */
  smoke?: string;
  /** The proposed fixes as a unified diff (repository-relative paths). */
  patch?: string;
  /** Where the annotations went: a check run (all of them) or workflow commands (and why). */
  annotations?: { path: 'checks'; url: string; count: number } | { path: 'commands'; reason: string; count: number; published: number };
  /** Which stacks were judged as production, what was left out and why (Markdown, src/report/scope.ts). */
  judged?: string;
}

function patchSection(patch: string): string {
  return `<details><summary>Proposed fixes (<code>ro-uv-check --fix</code> applies them)</summary>\n\n${codeBlock(patch.trimEnd(), 'diff')}\n\n</details>`;
}

export const COMMENT_LIMIT = 65_536;
export const SUMMARY_LIMIT = 1_000_000;

export function verdict(r: ReportInput): string {
  const c = counts(r.findings);
  // Every severity is counted, whatever the gate: with `fail-on: never` the errors are findings too.
  const all = `${c.error} errors, ${c.warning} warnings, ${c.notice} notices`;
  const where = r.scope && r.scope !== '.' ? ` in ${codeSpan(r.scope, { inTable: false })}` : '';
  if (r.failed) return `❌ **ro-uv-check failed**${where}: findings at or above \`${r.failOn}\` (${all}).`;
  if (r.findings.length === 0) return `✅ **ro-uv-check passed**${where}: no findings. This pull request is clean.`;
  if (r.failOn === 'never') return `✅ **ro-uv-check passed**${where}: \`fail-on: never\` fails on nothing (${all}).`;
  return `✅ **ro-uv-check passed**${where}: nothing at or above \`${r.failOn}\` (${all}).`;
}

export function summaryMarkdown(r: ReportInput, hidden: Record<string, number>): string {
  const parts = ['## ro-uv-check', '', verdict(r), ''];
  parts.push(findingsMarkdown(r.findings, mdOptions(r, SUMMARY_LIMIT - 10_000, 'the summary is limited to 1 MiB; run the CLI locally for all of them')));
  const a = r.annotations;
  if (a?.path === 'checks') parts.push('', `Annotations: all ${a.count} are on the ${/^https?:\/\/[^\s()<>]+$/.test(a.url) ? `[check run](${a.url})` : 'check run'} (Checks API).`);
  else if (a) parts.push('', `Annotations: ${a.count} as workflow commands${a.published ? ` (${a.published} reached the check run first)` : ''}: ${escapeMd(a.reason)}.`);
  const h = Object.entries(hidden).filter(([, n]) => n > 0);
  if (r.judged) parts.push('', r.judged);
  if (h.length) parts.push('', `GitHub shows 10 annotations of each type per step: ${h.map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`).join(', ')} not shown as annotations (all are listed above).`);
  if (r.patch) parts.push('', patchSection(r.patch));
  if (r.smoke) parts.push('', r.smoke);
  for (const n of r.notes) parts.push('', `> ⚠️ ${escapeMd(n)}`);
  return parts.join('\n') + '\n';
}

export function commentMarker(key: string): string {
  return `<!-- ro-uv-check:${key.replace(/[^A-Za-z0-9_./-]/g, '_')} -->`;
}

/** The PR comment, kept under GitHub's 65,536-character limit (a smaller `limit` is used again after a 422). */
export function commentBody(r: ReportInput, marker: string, limit = COMMENT_LIMIT): string {
  const head = [marker, '### ro-uv-check', '', verdict(r), ''].join('\n');
  const link = r.runUrl ? `\n\n[Workflow run and job summary](${r.runUrl})` : '';
  const smoke = r.smoke && r.smoke.length < limit / 2 ? `\n\n${r.smoke}` : r.smoke ? '\n\n_The smoke test report is too long for a comment: see the job summary._' : '';
  const patch = r.patch ? (r.patch.length < limit / 4 ? `\n\n${patchSection(r.patch)}` : '\n\n_The proposed fixes are too long for a comment: see the job summary._') : '';
  const tail = `${patch}${smoke}${link}`;
  const note = r.runUrl ? `see the [job summary](${r.runUrl})` : 'see the job summary';
  const budget = limit - head.length - tail.length - 200;
  const table = findingsMarkdown(r.findings, mdOptions(r, Math.max(500, budget), note));
  return `${head}${table}${tail}\n`;
}

function mdOptions(r: ReportInput, maxChars: number, truncatedNote: string): MarkdownOptions {
  const o: MarkdownOptions = { maxChars, truncatedNote };
  if (r.fileLink) o.fileLink = r.fileLink;
  if (r.displayPath) o.displayPath = r.displayPath;
  return o;
}
