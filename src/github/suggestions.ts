/**
 * Suggested changes on the pull request (`suggestions: true`): each fix whose lines are inside the PR diff becomes a
 * review comment with a ```suggestion block; our earlier suggestions are deleted first, so they never pile up.
 * Fixes outside the diff stay in the sticky comment's patch.
 */
import type { Finding } from '../core/types.js';
import type { Edit } from '../core/fix.js';
import { applyEdits } from '../core/fix.js';
import { messageMd } from '../report/markdown.js';

export interface ReviewApi {
  listFiles(page: number): Promise<{ filename: string; patch?: string }[]>;
  listReviewComments(page: number): Promise<{ id: number; body?: string; user?: { login: string; type?: string } | null }[]>;
  deleteReviewComment(id: number): Promise<void>;
  createReview(review: { commit_id: string; body: string; event: 'COMMENT'; comments: { path: string; line: number; side: 'RIGHT'; body: string }[] }): Promise<void>;
}

/** Right-side line numbers a PR diff shows (added and context lines), per file. */
export function diffLines(patch: string): Set<number> {
  const out = new Set<number>();
  let line = 0;
  for (const l of patch.split('\n')) {
    const h = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(l);
    if (h) {
      line = Number(h[1]);
      continue;
    }
    if (line === 0 || l.startsWith('\\')) continue;
    if (l.startsWith('-')) continue;
    out.add(line);
    line++;
  }
  return out;
}

export interface Suggestion {
  path: string;
  line: number;
  body: string;
}

/**
 * One suggestion per edited line: the line's new text with every edit on it applied. Only single-line edits on
 * lines the PR diff shows; `readFile` gives a file's text by repository path.
 */
export function buildSuggestions(findings: Finding[], repoPath: (f: string) => string, inDiff: (path: string, line: number) => boolean, readFile: (path: string) => string | undefined, marker: string): Suggestion[] {
  const byLine = new Map<string, { path: string; line: number; edits: Edit[]; findings: Finding[] }>();
  for (const f of findings) {
    for (const e of f.edits ?? []) {
      if (e.line !== e.endLine) continue;
      const p = repoPath(e.file);
      if (!inDiff(p, e.line)) continue;
      const key = `${p}:${e.line}`;
      const entry = byLine.get(key) ?? { path: p, line: e.line, edits: [], findings: [] };
      entry.edits.push(e);
      if (!entry.findings.includes(f)) entry.findings.push(f);
      byLine.set(key, entry);
    }
  }
  const out: Suggestion[] = [];
  for (const s of byLine.values()) {
    const text = readFile(s.path);
    if (text === undefined) continue;
    const lineText = text.replace(/\r\n/g, '\n').split('\n')[s.line - 1];
    if (lineText === undefined) continue;
    const r = applyEdits(lineText, s.edits.map((e) => ({ ...e, line: 1, endLine: 1 })));
    if (!r.applied.length || r.text === lineText) continue;
    const fence = '`'.repeat(Math.max(3, ...[...r.text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    const why = s.findings.map((f) => `**${f.ruleId} ${f.name}**: ${messageMd(f.message, f.messageParts, { inTable: false })}`).join('\n\n');
    out.push({ path: s.path, line: s.line, body: `${marker}\n${why}\n\n${fence}suggestion\n${r.text}\n${fence}` });
  }
  return out;
}

export async function postSuggestions(api: ReviewApi, suggestions: Suggestion[], marker: string, headSha: string): Promise<{ deleted: number; posted: number }> {
  let deleted = 0;
  for (let page = 1; page <= 100; page++) {
    const batch = await api.listReviewComments(page);
    for (const c of batch) {
      const bot = c.user?.type === 'Bot' || c.user?.login === 'github-actions[bot]';
      if (bot && (c.body ?? '').startsWith(marker)) {
        await api.deleteReviewComment(c.id);
        deleted++;
      }
    }
    if (batch.length < 100) break;
  }
  if (suggestions.length) {
    await api.createReview({ commit_id: headSha, event: 'COMMENT', body: `${marker}\nro-uv-check suggests ${suggestions.length} change${suggestions.length === 1 ? '' : 's'}.`, comments: suggestions.map((s) => ({ path: s.path, line: s.line, side: 'RIGHT', body: s.body })) });
  }
  return { deleted, posted: suggestions.length };
}

export async function prDiffLines(api: ReviewApi): Promise<Map<string, Set<number>>> {
  const out = new Map<string, Set<number>>();
  for (let page = 1; page <= 30; page++) {
    const batch = await api.listFiles(page);
    for (const f of batch) if (f.patch) out.set(f.filename, diffLines(f.patch));
    if (batch.length < 100) break;
  }
  return out;
}
