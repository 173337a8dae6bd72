/**
 * What was judged as production, what was not and why (docs/adr/0001-production-stack.md): a few plain lines for
 * the text output, the job summary and the Markdown report.
 */
import type { Project } from '../core/model/project.js';
import { escapeMd } from './markdown.js';
import { projectFor } from '../core/model/scope.js';

export interface ScopeStatement {
  production: string[];
  development: string[];
  leftOut: string[];
  unknownValues: string[];
}

const stackName = (files: string[]): string => files.join(' + ');

export function scopeStatement(project: Project): ScopeStatement {
  const seen = new Set<string>();
  const once = (s: string): boolean => !seen.has(s) && (seen.add(s), true);
  const production = project.stacks.filter((s) => s.production).map((s) => `${stackName(s.files)} (${s.reason})`).filter(once);
  const development = project.stacks.filter((s) => !s.production).map((s) => `${stackName(s.files)} (${s.reason})`).filter(once);
  const leftOut = project.leftOut.map((l) => `${l.what}: ${l.why}`).filter(once);
  // Env files of services in scope only (a postgres service's is not this check's business).
  const inScope = new Set(projectFor(project, 'uv').services.map((s) => s.service));
  const unknownValues = project.unknownEnvFiles.filter((l) => !l.service || inScope.has(l.service)).map((l) => `${l.what}: ${l.why}`).filter(once);
  return { production, development, leftOut, unknownValues };
}

/** Whether anything was judged other than as production, or has unknown values: then the statement is worth a line. */
export function hasNews(s: ScopeStatement): boolean {
  return s.development.length + s.leftOut.length + s.unknownValues.length > 0;
}

const HEADS = {
  production: 'Judged as production',
  development: 'Development stacks, analysed without the production-only rules',
  leftOut: 'Not judged as the production runtime',
  unknownValues: 'Values unknown (env files created at deploy time)',
} as const;

/** Plain lines (text output); none when everything was judged as production and nothing is unknown. */
export function scopeText(s: ScopeStatement): string {
  if (!hasNews(s)) return '';
  const out: string[] = [''];
  for (const k of Object.keys(HEADS) as (keyof typeof HEADS)[]) {
    if (!s[k].length) continue;
    out.push(`${HEADS[k]}:`);
    for (const x of s[k]) out.push(`  - ${x.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ')}`);
  }
  return out.join('\n') + '\n';
}

/** A Markdown section (job summary, `--format markdown`): which stacks were judged as production, always when any. */
export function scopeMarkdown(s: ScopeStatement): string {
  if (!s.production.length && !hasNews(s)) return '';
  const out: string[] = [];
  for (const k of Object.keys(HEADS) as (keyof typeof HEADS)[]) {
    if (!s[k].length) continue;
    out.push('', `**${HEADS[k]}:**`, '');
    for (const x of s[k]) out.push(`- ${escapeMd(x)}`);
  }
  return out.join('\n').trimStart();
}
