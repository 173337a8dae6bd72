/** The GitHub API through Octokit with retry (5xx and network errors, with backoff) and throttling (rate limits respected). */
import type { CommentApi } from './comment.js';
import type { ReviewApi } from './suggestions.js';
import type { ChecksApi } from './checks.js';

/** fetch with a timeout per request (Octokit's own `timeout` option is gone with its fetch-based transport). */
function timedFetch(ms: number): typeof fetch {
  return (input, init = {}) => {
    const timeout = AbortSignal.timeout(ms);
    return fetch(input, { ...init, signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  };
}

export interface PullApi {
  pullHeadSha(number: number): Promise<string | undefined>;
}

type Octokit = ReturnType<typeof import('@actions/github').getOctokit>;

/** One client per run: retry (5xx and network errors, backoff) and throttling (rate limits respected). */
export async function githubClient(token: string, log: (m: string) => void): Promise<Octokit> {
  const [{ getOctokit }, { retry }, { throttling }] = await Promise.all([import('@actions/github'), import('@octokit/plugin-retry'), import('@octokit/plugin-throttling')]);
  return getOctokit(
    token,
    {
      throttle: {
        onRateLimit: (after: number, options: { method: string; url: string }, _o: unknown, count: number) => {
          log(`rate limited on ${options.method} ${options.url}; retrying after ${after} s`);
          return count < 2;
        },
        onSecondaryRateLimit: (after: number, options: { method: string; url: string }, _o: unknown, count: number) => {
          log(`secondary rate limit on ${options.method} ${options.url}; retrying after ${after} s`);
          return count < 2;
        },
      },
      retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451] },
      request: { fetch: timedFetch(Number(process.env.RO_UV_CHECK_API_TIMEOUT_MS) || 30_000) },
    },
    retry,
    throttling,
  );
}

/** The Checks API: one check run, its annotations added in batches. */
export function checksApi(octokit: Octokit, owner: string, repo: string): ChecksApi {
  return {
    async createCheckRun(run) {
      const r = await octokit.rest.checks.create({ owner, repo, ...run });
      return { id: r.data.id, url: r.data.html_url ?? '' };
    },
    async updateCheckRun(id, update) {
      await octokit.rest.checks.update({ owner, repo, check_run_id: id, ...update });
    },
  };
}

export function commentApi(octokit: Octokit, owner: string, repo: string, issue: number): CommentApi & PullApi & ReviewApi {
  return {
    async listComments(page) {
      const r = await octokit.rest.issues.listComments({ owner, repo, issue_number: issue, per_page: 100, page });
      return r.data;
    },
    async createComment(body) {
      return (await octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body })).data;
    },
    async updateComment(id, body) {
      return (await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body })).data;
    },
    async pullHeadSha(number) {
      return (await octokit.rest.pulls.get({ owner, repo, pull_number: number })).data.head?.sha;
    },
    async listFiles(page) {
      return (await octokit.rest.pulls.listFiles({ owner, repo, pull_number: issue, per_page: 100, page })).data;
    },
    async listReviewComments(page) {
      return (await octokit.rest.pulls.listReviewComments({ owner, repo, pull_number: issue, per_page: 100, page })).data;
    },
    async deleteReviewComment(id) {
      await octokit.rest.pulls.deleteReviewComment({ owner, repo, comment_id: id });
    },
    async createReview(review) {
      await octokit.rest.pulls.createReview({ owner, repo, pull_number: issue, ...review });
    },
  };
}
