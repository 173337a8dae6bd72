/** One sticky PR comment: found again by its hidden marker and bot author, updated in place, never duplicated. */

export interface CommentApi {
  listComments(page: number): Promise<{ id: number; body?: string | null; user?: { login: string; type?: string } | null; html_url: string }[]>;
  createComment(body: string): Promise<{ html_url: string }>;
  updateComment(id: number, body: string): Promise<{ html_url: string }>;
}

export type StickyResult =
  | { action: 'created' | 'updated' | 'unchanged'; url: string }
  | { action: 'skipped'; reason: string }
  | { action: 'failed'; status?: number; reason: string };

const MAX_PAGES = 100;

export function isOurs(c: { body?: string | null; user?: { login: string; type?: string } | null }, marker: string): boolean {
  const bot = c.user?.type === 'Bot' || c.user?.login === 'github-actions[bot]';
  return bot && (c.body ?? '').startsWith(marker);
}

/**
 * Creates or updates the sticky comment. `clean` bodies are only written over an existing comment (a clean PR that
 * never had findings gets no comment). A 422 (body too large) is retried once with `shorter()`.
 */
export async function upsertSticky(api: CommentApi, marker: string, body: string, opts: { clean: boolean; shorter: () => string }): Promise<StickyResult> {
  try {
    let existing: Awaited<ReturnType<CommentApi['listComments']>>[number] | undefined;
    for (let page = 1; page <= MAX_PAGES && !existing; page++) {
      const batch = await api.listComments(page);
      existing = batch.find((c) => isOurs(c, marker));
      if (batch.length < 100) break;
    }
    const write = async (text: string): Promise<StickyResult> => {
      if (existing) {
        if (existing.body === text) return { action: 'unchanged', url: existing.html_url };
        return { action: 'updated', url: (await api.updateComment(existing.id, text)).html_url };
      }
      if (opts.clean) return { action: 'skipped', reason: 'no findings and no earlier comment' };
      return { action: 'created', url: (await api.createComment(text)).html_url };
    };
    try {
      return await write(body);
    } catch (e) {
      if (statusOf(e) === 422) return await write(opts.shorter());
      throw e;
    }
  } catch (e) {
    const status = statusOf(e);
    const reason =
      status === 403
        ? 'the token cannot write comments (a pull request from a fork gets a read-only token)'
        : status === 404
          ? 'the pull request or its comments were not found'
          : `the GitHub API answered ${status ?? 'with an error'}: ${String((e as Error).message ?? e).split('\n')[0]}`;
    return status === undefined ? { action: 'failed', reason } : { action: 'failed', status, reason };
  }
}

function statusOf(e: unknown): number | undefined {
  const s = (e as { status?: unknown }).status;
  return typeof s === 'number' ? s : undefined;
}
