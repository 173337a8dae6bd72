/** The smoke test in the reports: text for the CLI, Markdown for the summary and the PR comment. */
import type { SmokeResult } from '../smoke/index.js';
import { escapeMd, codeBlock } from './markdown.js';
import { oneLine } from './text.js';

/** How the target ran and what compose started with it, in one line (empty when there is nothing to say). */
export function ranWith(r: SmokeResult): string {
  const parts: string[] = [];
  if (r.runner) parts.push(`ran with ${r.runner}`);
  if (r.dependencies?.length) parts.push(`dependencies: ${r.dependencies.map((d) => `${d.name} (${d.state})`).join(', ')}`);
  else if (r.dependencies) parts.push('no dependencies');
  return parts.join('; ');
}

export function diffText(results: SmokeResult[]): string {
  return results
    .flatMap((r) => [`# ${r.target}: ${r.result}${r.cause ? ` (${oneLine(r.cause)})` : ''}${ranWith(r) ? ` [${ranWith(r)}]` : ''}`, ...(r.note ? [`# note: ${oneLine(r.note)}`] : []), ...r.diff.map((d) => `${d.kind} ${d.path}  ${d.expected ? `(expected: ${d.why})` : '(UNEXPECTED)'}`)])
    .join('\n');
}

export function smokeText(results: SmokeResult[], error?: string): string {
  const out: string[] = ['', 'smoke test:'];
  if (error) out.push(`  failed: ${oneLine(error)}`);
  for (const r of results) {
    out.push(`  ${r.target}: ${r.result}${r.cause ? ` (${oneLine(r.cause)})` : ''}`);
    if (ranWith(r)) out.push(`    ${oneLine(ranWith(r))}`);
    if (r.note) out.push(`    note: ${oneLine(r.note)}`);
    if (r.serviceNotReadOnly) out.push('    note: the compose service lacks read_only: true; the test ran it read-only anyway');
    for (const q of r.quoted) out.push(`    | ${oneLine(q)}`);
    if (r.diff.length) out.push('    docker diff:', ...r.diff.map((d) => `      ${d.kind} ${oneLine(d.path)}  ${d.expected ? 'expected' : 'UNEXPECTED'}`));
    if (r.profile?.snippet) out.push('    proposed tmpfs (compose):', ...r.profile.snippet.split('\n').map((l) => `      ${l}`));
    for (const c of r.profile?.causes ?? []) out.push(`    write at ${oneLine(c.path)}: ${oneLine(c.cause)}`);
  }
  return out.join('\n') + '\n';
}

export function smokeMarkdown(results: SmokeResult[], error?: string, opts: { logChars?: number } = {}): string {
  const parts: string[] = ['### Read-only smoke test', ''];
  if (error) parts.push(`❌ ${escapeMd(error)}`, '');
  for (const r of results) {
    parts.push(`**${escapeMd(r.target)}**: ${r.result === 'passed' ? '✅ passed' : `❌ failed: ${escapeMd(r.cause ?? 'unknown cause')}`}`);
    if (ranWith(r)) parts.push('', escapeMd(`${ranWith(r).replace(/^./, (c) => c.toUpperCase())}.`));
    if (r.note) parts.push('', `> ⚠️ ${escapeMd(r.note)}`);
    if (r.serviceNotReadOnly) parts.push('', '_The compose service lacks `read_only: true`; the test ran it read-only anyway._');
    if (r.envKeys.length) parts.push('', `Environment passed (values not shown): ${r.envKeys.map(escapeMd).join(', ')}`);
    if (r.quoted.length) parts.push('', codeBlock(r.quoted.join('\n')));
    if (r.diff.length) parts.push('', '`docker diff`:', '', codeBlock(r.diff.map((d) => `${d.kind} ${d.path}    ${d.expected ? `# expected (${d.why})` : '# UNEXPECTED'}`).join('\n'), 'text'));
    if (r.profile?.snippet) parts.push('', 'Proposed tmpfs mounts (from a run without `--read-only`):', '', codeBlock(r.profile.snippet, 'yaml'));
    for (const c of r.profile?.causes ?? []) parts.push('', `- write at ${escapeMd(c.path)}: ${escapeMd(c.cause)}`);
    const logs = r.logTail.length > (opts.logChars ?? 4000) ? r.logTail.slice(r.logTail.length - (opts.logChars ?? 4000)) : r.logTail;
    if (logs.trim()) parts.push('', '<details><summary>Container logs (tail)</summary>', '', codeBlock(logs), '', '</details>');
    if (r.result === 'failed' && r.buildLog && r.cause === 'build failed') parts.push('', '<details><summary>Build log (tail)</summary>', '', codeBlock(r.buildLog), '', '</details>');
    parts.push('');
  }
  return parts.join('\n');
}
