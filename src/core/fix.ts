/**
 * Fixes: text edits at 1-based line/column positions of the analysed (normalised) text, applied to the file as it
 * is on disk (CRLF and a BOM kept). Each edit names the text it expects right before (or at) its position; an edit
 * whose anchor is not there any more is not applied, so a stale or ambiguous fix never corrupts a file. Pure.
 */

/** Why an edit whose anchor is not where it should be is left out. */
export function staleReason(e: Edit, found: string): string {
  const show = (t: string): string => JSON.stringify(t.length > 40 ? `…${t.slice(-40)}` : t);
  return `the fix expects ${show(e.anchor)} ${e.line === e.endLine && e.column === e.endColumn ? 'right before' : 'at'} this spot but the file has ${show(found)} (changed since it was read?): left alone`;
}

export interface Edit {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Replacement text; `\n` is written in the file's own line ending. */
  text: string;
  /** Text that must end right before the start (insertions) or be the replaced range (replacements). */
  anchor: string;
}

export function insertAfter(file: string, line: number, column: number, anchor: string, text: string): Edit {
  return { file, line, column, endLine: line, endColumn: column, text, anchor };
}

export interface ApplyResult {
  text: string;
  applied: Edit[];
  skipped: { edit: Edit; reason: string }[];
}

/** Applies the edits of one file; overlapping edits after the first are deferred (a second run picks them up). */
export function applyEdits(raw: string, edits: Edit[]): ApplyResult {
  const bom = raw.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const body = bom ? raw.slice(1) : raw;
  const crlf = /\r\n/.test(body);
  const starts: number[] = [0];
  for (let i = 0; i < body.length; i++) if (body[i] === '\n') starts.push(i + 1);
  const offset = (line: number, column: number): number | undefined => {
    const s = starts[line - 1];
    if (s === undefined) return undefined;
    const o = s + column - 1;
    return o <= body.length ? o : undefined;
  };
  // Same position: keep the rules' order (stable sort), so `--locked --no-dev` comes out the same every time.
  const positioned = edits
    .map((e, i) => ({ e, i, start: offset(e.line, e.column), end: offset(e.endLine, e.endColumn) }))
    .sort((a, b) => (a.start ?? 0) - (b.start ?? 0) || (a.end ?? 0) - (b.end ?? 0) || a.i - b.i);
  const applied: Edit[] = [];
  const skipped: ApplyResult['skipped'] = [];
  let out = '';
  let cursor = 0;
  let lastEnd = -1;
  const seen = new Set<string>();
  for (const { e, start, end } of positioned) {
    if (start === undefined || end === undefined || end < start) {
      skipped.push({ edit: e, reason: 'position outside the file' });
      continue;
    }
    const key = `${start}:${end}:${e.text}`;
    if (seen.has(key)) continue; // the same fix reported twice (two services, one Dockerfile)
    const insertion = start === end;
    const ok = insertion ? body.slice(Math.max(0, start - e.anchor.length), start) === e.anchor : body.slice(start, end) === e.anchor;
    if (!ok) {
      skipped.push({ edit: e, reason: staleReason(e, insertion ? body.slice(Math.max(0, start - e.anchor.length), start) : body.slice(start, end)) });
      continue;
    }
    if (start < lastEnd || (!insertion && start === lastEnd && applied.length && lastEnd > start)) {
      skipped.push({ edit: e, reason: 'overlaps another fix: run --fix again' });
      continue;
    }
    seen.add(key);
    out += body.slice(cursor, start) + (crlf ? e.text.replace(/\n/g, '\r\n') : e.text);
    cursor = end;
    lastEnd = end;
    applied.push(e);
  }
  out += body.slice(cursor);
  return { text: bom + out, applied, skipped };
}
