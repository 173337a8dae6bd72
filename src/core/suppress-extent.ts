import type { ParsedDockerfile } from './parse/dockerfile.js';

/** The line range of the Dockerfile instruction starting at `line` (1-based), for line suppressions. */
export function instructionRangeAt(df: ParsedDockerfile, line: number): { start: number; end: number } | undefined {
  const ins = df.ast.getInstructions().find((i) => i.getRange().start.line + 1 === line);
  return ins ? { start: line, end: ins.getRange().end.line + 1 } : undefined;
}
