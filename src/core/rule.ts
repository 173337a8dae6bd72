/** The shape of a rule: metadata that docs, SARIF and `--list-rules` read, and one check over the linked project. */
import type { Loc, Severity } from './types.js';
import type { Project } from './model/project.js';
import type { Edit } from './fix.js';
import type { Message } from './message.js';

export interface RuleMeta {
  id: string;
  name: string;
  severity: Severity;
  /** One line: what the rule finds. */
  summary: string;
  /** Why it matters, with the fact behind it. */
  rationale: string;
  /** The fix users should see (our text: its backticks are code spans in the Markdown reports). */
  fix: string;
  /**
   * `production`: reported on the production runtime only (hardening and the production build recipe), not on
   * development stacks, dev-only services and images (docs/adr/0001-production-stack.md). Default: everywhere (what
   * breaks a stack breaks a development one too).
   */
  stacks?: 'production';
  /**
   * Rules this one gives way to: it is not reported where one of them is reported at the same place (after the config
   * and suppressions), so that one problem is one finding.
   */
  yieldsTo?: readonly string[];
  /** A failing and a passing snippet, for the rule's documentation page. */
  examples: { lang: 'dockerfile' | 'yaml' | 'sh'; bad: string; good: string };
}

export interface Report {
  /** A `msg` template when it has code spans (`` msg`\`uv sync\` in ${label}` ``); a plain string is shown escaped whole. */
  message: string | Message;
  /** A safe mechanical fix, when there is one (see fix.ts). */
  edits?: Edit[];
  /** Why a finding that has a mechanical fix elsewhere gets no edit here (see Finding.unfixable). */
  unfixable?: string;
  fix?: string | Message;
  /** Overrides the default severity for this finding (UV102 is an error in one case). */
  severity?: Severity;
}

export interface RuleContext {
  project: Project;
  report(loc: Loc, r: Report): void;
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): void;
}

export function docsUrl(id: string): string {
  return `https://github.com/org/ro-uv-check/blob/main/docs/rules/${id}.md`;
}
