/**
 * A real HTTP server on 127.0.0.1 standing in for the GitHub REST API's issue-comment, pull-request and check-run
 * endpoints: pagination with Link headers, create, update, GitHub's validation of check-run annotations, failure
 * injection, and a log of every request.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Comment {
  id: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
}

export interface Logged {
  method: string;
  url: string;
  body?: string;
  auth?: string;
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: string;
  title?: string;
  message: string;
  raw_details?: string;
}

export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  html_url: string;
  /** Every annotation the run holds, in the order received. */
  annotations: CheckAnnotation[];
  updates: { output?: { title?: string; summary?: string; annotations?: CheckAnnotation[] }; status?: string; conclusion?: string; completed_at?: string }[];
}

/** What GitHub's validation refuses in a check run's output (422). */
function checkOutputProblem(output: CheckRun['updates'][number]['output']): string | undefined {
  if (!output) return undefined;
  if (typeof output.title !== 'string' || typeof output.summary !== 'string') return 'output needs a title and a summary';
  const list = output.annotations ?? [];
  if (list.length > 50) return `${list.length} annotations in one request (at most 50)`;
  for (const a of list) {
    if (typeof a.path !== 'string' || !a.path) return 'an annotation has no path';
    if (!Number.isInteger(a.start_line) || !Number.isInteger(a.end_line) || a.start_line < 1 || a.end_line < a.start_line) return 'an annotation has no valid line range';
    if (!['failure', 'warning', 'notice'].includes(a.annotation_level)) return `annotation_level ${a.annotation_level}`;
    if (typeof a.message !== 'string' || !a.message) return 'an annotation has no message';
    if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) return 'start_column and end_column on a multi-line annotation';
    if ((a.title?.length ?? 0) > 255) return 'title over 255 characters';
  }
  return undefined;
}

export class FakeGitHub {
  comments: Comment[] = [];
  requests: Logged[] = [];
  /** Status codes to answer before serving normally, per method and (when given) path prefix, consumed in order. */
  failures: { method: string; path?: string; status: number; times: number; skip?: number }[] = [];
  /**
   * Whether the token may create check runs: `forbidden` answers 403 as GitHub does for a read-only token (a fork's
   * pull request, or a workflow without `checks: write`).
   */
  checkRunPermission: 'allowed' | 'forbidden' = 'forbidden';
  checkRuns: CheckRun[] = [];
  /** Head commit of pull request #7, for GET /repos/o/r/pulls/7. */
  headSha = 'headsha';
  /** The PR's changed files with their patches (GET /repos/o/r/pulls/7/files). */
  prFiles: { filename: string; patch?: string }[] = [];
  reviewComments: { id: number; body: string; user: { login: string; type: string }; path: string; line: number }[] = [];
  reviews: { commit_id: string; body: string; comments: { path: string; line: number; side: string; body: string }[] }[] = [];
  /** Never answer (a hanging API). */
  hang = false;
  private nextId = 1000;
  private server = http.createServer((req, res) => this.handle(req, res));
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addOthers(n: number): void {
    for (let i = 0; i < n; i++) this.comments.push(this.make(`comment ${i} from a human <!-- ro-uv-check:. -->`, { login: `user${i}`, type: 'User' }));
  }

  ours(): Comment[] {
    return this.comments.filter((c) => c.user.type === 'Bot');
  }

  private make(body: string, user = { login: 'github-actions[bot]', type: 'Bot' }): Comment {
    const id = this.nextId++;
    return { id, body, user, html_url: `https://github.example/o/r/pull/7#issuecomment-${id}` };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (this.hang) return; // the connection stays open until the client gives up
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', this.url);
      this.requests.push({ method, url: url.pathname + url.search, ...(body ? { body } : {}), ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
      let fail = this.failures.find((f) => f.method === method && f.times > 0 && (f.path === undefined || url.pathname.startsWith(f.path)));
      // `skip`: let that many matching requests through first.
      if (fail?.skip) {
        fail.skip--;
        fail = undefined;
      }
      if (fail) {
        fail.times--;
        return this.send(res, fail.status, { message: `injected ${fail.status}` });
      }
      const list = /^\/repos\/o\/r\/issues\/7\/comments$/.exec(url.pathname);
      const one = /^\/repos\/o\/r\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (list && method === 'GET') {
        const per = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        const pages = Math.max(1, Math.ceil(this.comments.length / per));
        const links: string[] = [];
        if (page < pages) links.push(`<${this.url}${url.pathname}?per_page=${per}&page=${page + 1}>; rel="next"`, `<${this.url}${url.pathname}?per_page=${per}&page=${pages}>; rel="last"`);
        return this.send(res, 200, this.comments.slice((page - 1) * per, page * per), links.length ? { link: links.join(', ') } : {});
      }
      if (list && method === 'POST') {
        const text = (JSON.parse(body) as { body: string }).body;
        if (text.length > 65_536) return this.send(res, 422, { message: 'Validation Failed: body is too long' });
        const c = this.make(text);
        this.comments.push(c);
        return this.send(res, 201, c);
      }
      if (url.pathname === '/repos/o/r/pulls/7' && method === 'GET') return this.send(res, 200, { number: 7, head: { sha: this.headSha } });
      if (url.pathname === '/repos/o/r/pulls/7/files' && method === 'GET') return this.send(res, 200, this.prFiles);
      if (url.pathname === '/repos/o/r/pulls/7/comments' && method === 'GET') return this.send(res, 200, this.reviewComments);
      const rc = /^\/repos\/o\/r\/pulls\/comments\/(\d+)$/.exec(url.pathname);
      if (rc && method === 'DELETE') {
        this.reviewComments = this.reviewComments.filter((c) => c.id !== Number(rc[1]));
        res.writeHead(204);
        return res.end();
      }
      if (url.pathname === '/repos/o/r/pulls/7/reviews' && method === 'POST') {
        const review = JSON.parse(body) as FakeGitHub['reviews'][number];
        this.reviews.push(review);
        for (const c of review.comments) this.reviewComments.push({ id: this.nextId++, body: c.body, user: { login: 'github-actions[bot]', type: 'Bot' }, path: c.path, line: c.line });
        return this.send(res, 200, { id: this.nextId++ });
      }
      if (url.pathname === '/repos/o/r/check-runs' && method === 'POST') {
        if (this.checkRunPermission === 'forbidden') return this.send(res, 403, { message: 'Resource not accessible by integration' });
        const req = JSON.parse(body) as { name?: string; head_sha?: string; status?: string; output?: CheckRun['updates'][number]['output'] };
        if (!req.name || !req.head_sha) return this.send(res, 422, { message: 'Validation Failed: name and head_sha are required' });
        const problem = checkOutputProblem(req.output);
        if (problem) return this.send(res, 422, { message: `Validation Failed: ${problem}` });
        const id = this.nextId++;
        const run: CheckRun = { id, name: req.name, head_sha: req.head_sha, status: req.status ?? 'queued', html_url: `https://github.example/o/r/runs/${id}`, annotations: [...(req.output?.annotations ?? [])], updates: [] };
        this.checkRuns.push(run);
        return this.send(res, 201, { id, html_url: run.html_url, name: run.name, head_sha: run.head_sha, status: run.status });
      }
      const cr = /^\/repos\/o\/r\/check-runs\/(\d+)$/.exec(url.pathname);
      if (cr && method === 'PATCH') {
        const run = this.checkRuns.find((r) => r.id === Number(cr[1]));
        if (!run) return this.send(res, 404, { message: 'Not Found' });
        const update = JSON.parse(body) as CheckRun['updates'][number];
        const problem = checkOutputProblem(update.output);
        if (problem) return this.send(res, 422, { message: `Validation Failed: ${problem}` });
        run.updates.push(update);
        // GitHub appends each update's annotations to the run's.
        run.annotations.push(...(update.output?.annotations ?? []));
        if (update.status) run.status = update.status;
        if (update.conclusion) run.conclusion = update.conclusion;
        return this.send(res, 200, { id: run.id, html_url: run.html_url, status: run.status });
      }
      if (one && method === 'PATCH') {
        const c = this.comments.find((x) => x.id === Number(one[1]));
        if (!c) return this.send(res, 404, { message: 'Not Found' });
        c.body = (JSON.parse(body) as { body: string }).body;
        return this.send(res, 200, c);
      }
      return this.send(res, 404, { message: 'Not Found' });
    });
  }

  private send(res: http.ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(data));
  }
}
