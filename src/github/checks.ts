/**
 * Every finding annotated: workflow commands show only 10 annotations of each type per step, a check run shows them
 * all. The check run is created, then given its annotations 50 per request (GitHub's limit per request; they are
 * appended), the last request completing it with the verdict. When the token cannot (a fork's read-only token: 403;
 * no Checks API: 404) the caller falls back to workflow commands for what was not published.
 */
import type { Finding, Severity } from '../core/types.js';
import { SEVERITY_RANK } from '../core/types.js';

/** GitHub accepts at most 50 annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
  raw_details: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  annotations?: CheckAnnotation[];
}

export interface ChecksApi {
  createCheckRun(run: { name: string; head_sha: string; status: 'in_progress'; external_id?: string; output?: CheckOutput }): Promise<{ id: number; url: string }>;
  updateCheckRun(id: number, update: { output: CheckOutput; status?: 'completed'; conclusion?: 'success' | 'failure'; completed_at?: string }): Promise<void>;
}

const LEVEL: Record<Severity, CheckAnnotation['annotation_level']> = { error: 'failure', warning: 'warning', notice: 'notice' };
/** GitHub's limits: title 255 characters, message and raw_details 64 KB. */
const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function toCheckAnnotations(findings: Finding[], repoPath: (file: string) => string): CheckAnnotation[] {
  const ordered = [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  return ordered.map((f) => {
    const a: CheckAnnotation = {
      path: repoPath(f.file),
      start_line: f.line,
      end_line: Math.max(f.endLine, f.line),
      annotation_level: LEVEL[f.severity],
      title: cut(`${f.ruleId} ${f.name}`, 255),
      message: cut(f.message, 60_000),
      raw_details: cut(f.fix, 60_000),
    };
    // GitHub accepts columns only on a single-line range.
    if (f.endLine === f.line) {
      a.start_column = f.column;
      a.end_column = Math.max(f.endColumn, f.column);
    }
    return a;
  });
}

export type CheckRunResult =
  | { path: 'checks'; url: string; published: number }
  /** `published` annotations reached the check run before it failed; the rest need workflow commands. */
  | { path: 'commands'; reason: string; published: number };

export interface CheckRunInput {
  name: string;
  headSha: string;
  annotations: CheckAnnotation[];
  failed: boolean;
  title: string;
  summary: string;
}

/** Publishes all annotations on a new check run; never throws (a failure is a fallback with its reason). */
export async function publishCheckRun(api: ChecksApi, input: CheckRunInput): Promise<CheckRunResult> {
  let run: { id: number; url: string };
  try {
    run = await api.createCheckRun({ name: input.name, head_sha: input.headSha, status: 'in_progress', output: { title: input.title, summary: input.summary } });
  } catch (e) {
    return { path: 'commands', reason: why(e, 'create a check run'), published: 0 };
  }
  const conclusion = input.failed ? 'failure' : 'success';
  const done = { status: 'completed', conclusion, completed_at: new Date().toISOString() } as const;
  const output = { title: input.title, summary: input.summary };
  let published = 0;
  try {
    // At least one update: it completes the run (also when there are no annotations).
    do {
      const batch = input.annotations.slice(published, published + ANNOTATIONS_PER_REQUEST);
      const last = published + batch.length >= input.annotations.length;
      await api.updateCheckRun(run.id, { output: { ...output, annotations: batch }, ...(last ? done : {}) });
      published += batch.length;
    } while (published < input.annotations.length);
  } catch (e) {
    // Leave no check run in progress for ever: complete it with what it has (best effort; the step still reports).
    await api.updateCheckRun(run.id, { output: { ...output, summary: `${output.summary}\n\nOnly ${published} of ${input.annotations.length} annotations could be added here; the rest are on the workflow run.` }, ...done }).catch(() => undefined);
    return { path: 'commands', reason: why(e, `add annotations to check run ${run.url}`), published };
  }
  return { path: 'checks', url: run.url, published };
}

function why(e: unknown, what: string): string {
  const status = (e as { status?: unknown }).status;
  const first = String((e as Error).message ?? e).split('\n')[0];
  if (status === 403) return `the token cannot ${what} (403: the workflow needs the checks: write permission; a pull request from a fork gets a read-only token)`;
  if (status === 404) return `the token cannot ${what} (404: the repository or the Checks API was not found)`;
  return `could not ${what}: ${typeof status === 'number' ? `${status} ` : ''}${first}`;
}
