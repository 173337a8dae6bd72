/** Shared value types of the pure core. Positions are 1-based; `file` is relative to the scan root, with `/`. */
import type { MessagePart } from './message.js';

export type Severity = 'error' | 'warning' | 'notice';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'notice'];
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, notice: 1 };

export interface Loc {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Finding {
  ruleId: string;
  name: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  fix: string;
  /**
   * `message` and `fix` as prose and code spans, when a rule built them with `msg` (not part of the JSON contract;
   * the Markdown reports show the code spans as code and escape the rest). Without them the text is escaped whole.
   */
  messageParts?: readonly MessagePart[];
  fixParts?: readonly MessagePart[];
  /** Edits that apply the fix (not part of the JSON contract; used by --fix and SARIF). */
  edits?: import('./fix.js').Edit[];
  /** Why this finding gets no edit although its rule has a mechanical fix (said by --fix; not in the JSON contract). */
  unfixable?: string;
}

export function pointLoc(file: string, line = 1, column = 1): Loc {
  return { file, line, column, endLine: line, endColumn: column };
}

/** A value from a source file together with where it was written. */
export interface Located<T> {
  value: T;
  loc: Loc;
}
