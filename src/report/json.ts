import type { Finding } from '../core/types.js';

export interface JsonReport {
  version: 1;
  root: string;
  findings: Finding[];
  smoke: unknown[];
}

/** The CLI's JSON contract: `{"version": 1, "root", "findings": [...], "smoke": [...]}`. */
export function toJson(root: string, findings: Finding[], smoke: unknown[] = []): JsonReport {
  return {
    version: 1,
    root,
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      name: f.name,
      severity: f.severity,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      message: f.message,
      fix: f.fix,
    })),
    smoke,
  };
}
