/** The action: inputs → engine → annotations, summary, sticky comment, SARIF, outputs, gate. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import { analyze } from './core/engine.js';
import { atLeast } from './core/findings.js';
import type { Finding, Severity } from './core/types.js';
import { readInputs, InputError } from './github/inputs.js';
import { toAnnotations, hiddenAnnotations } from './github/annotations.js';
import { summaryMarkdown, commentBody, commentMarker, verdict, type ReportInput } from './github/report.js';
import { scopeStatement, scopeMarkdown } from './report/scope.js';
import { upsertSticky } from './github/comment.js';
import { buildSuggestions, postSuggestions, prDiffLines } from './github/suggestions.js';
import { commentApi, checksApi, githubClient, type PullApi } from './github/octokit.js';
import { publishCheckRun, toCheckAnnotations } from './github/checks.js';
import { parseUntrustedFindings, MAX_FINDINGS_BYTES } from './github/untrusted.js';
import { toJson } from './report/json.js';
import { toSarif } from './report/sarif.js';
import { counts } from './report/markdown.js';
import { VERSION } from './version.js';
import { computeFixes, unifiedDiff } from './fixes.js';
import type { Project } from './core/model/project.js';
import { runSmokeTests, newRunId, withSignalCleanup, targetSelection, composeProjectNames, type SmokeResult } from './smoke/index.js';
import { readSmokeConfig, SmokeConfigError } from './smoke/config.js';
import { smokeTargets } from './smoke/plan.js';
import { smokeMarkdown, diffText } from './report/smoke.js';

interface PullRequestEvent {
  pull_request?: { number: number; head?: { sha?: string } };
  workflow_run?: { head_sha?: string };
  repository?: { full_name?: string };
}

export async function run(): Promise<void> {
  try {
    await runUnsafe();
  } catch (e) {
    core.setFailed(e instanceof InputError || e instanceof SmokeConfigError ? e.message : `ro-uv-check: ${(e as Error).stack ?? String(e)}`);
  }
}

async function runUnsafe(): Promise<void> {
  const inputs = readInputs((n) => core.getInput(n));
  // The token comes from github.token or a secret, which the runner masks already; it is never printed here
  // (not even as ::add-mask::, which would put it in any log that captures stdout).
  const workspace = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd());
  const root = path.resolve(workspace, inputs.workingDirectory);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new InputError(`input "working-directory": ${inputs.workingDirectory} is not a directory`);
  const scope = path.relative(workspace, root).split(path.sep).join('/');
  const repoPath = (file: string): string => (scope ? `${scope}/${file}` : file);

  let findings: Finding[];
  let configErrors = 0;
  let project: Project | undefined;
  if (inputs.findingsFile) {
    // Findings from another run (the fork-safe workflow_run pattern): untrusted data, validated, not re-analysed.
    const file = path.resolve(workspace, inputs.findingsFile);
    const text = fs.existsSync(file) && fs.statSync(file).size <= MAX_FINDINGS_BYTES + 1 ? fs.readFileSync(file, 'utf8') : undefined;
    const parsed = text === undefined ? { error: `${inputs.findingsFile} is missing or too large` } : parseUntrustedFindings(text);
    if ('error' in parsed) throw new InputError(`input "findings-file": ${parsed.error}`);
    findings = parsed.findings;
  } else {
    const result = await analyze({
      root,
      ...(inputs.config ? { configPath: inputs.config } : {}),
      ...(inputs.dockerfiles.length ? { dockerfilePatterns: inputs.dockerfiles } : {}),
      ...(inputs.composeFiles.length ? { composePatterns: inputs.composeFiles } : {}),
    });
    findings = result.findings;
    configErrors = result.configErrors.length;
    project = result.project;
  }
  let failed = inputs.failOn !== 'never' && findings.some((f) => atLeast(f.severity, inputs.failOn as Severity));

  // Smoke test: the targets are listed always (for a matrix); the test runs when asked.
  let smoke: { results: SmokeResult[]; error?: string } | undefined;
  if (project) {
    const smokeCfg = readSmokeConfig((n) => [core.getInput(n)]);
    const targets = smokeTargets(project, targetSelection(smokeCfg));
    core.setOutput('smoke-targets', JSON.stringify(targets.targets.map((t) => t.name)));
    if (inputs.smokeTest) {
      const runId = newRunId();
      core.saveState('smoke-run-id', runId);
      core.saveState('smoke-compose-projects', JSON.stringify(composeProjectNames(project, smokeCfg, runId)));
      smoke = await withSignalCleanup(runId, (signal) => runSmokeTests(project, smokeCfg, { runId, signal, log: (m) => core.info(m) }));
      if (smoke.error || smoke.results.some((r) => r.result === 'failed')) failed = true;
    }
  } else core.setOutput('smoke-targets', '[]');

  const event = readEvent();
  const server = process.env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repoFull = process.env.GITHUB_REPOSITORY ?? event.repository?.full_name ?? '';
  const sha = event.pull_request?.head?.sha ?? event.workflow_run?.head_sha ?? process.env.GITHUB_SHA ?? '';
  const runUrl = repoFull && process.env.GITHUB_RUN_ID ? `${server}/${repoFull}/actions/runs/${process.env.GITHUB_RUN_ID}` : undefined;
  const report: ReportInput = {
    findings,
    failOn: inputs.failOn,
    failed,
    scope: scope || '.',
    displayPath: repoPath,
    notes: [],
    ...(smoke ? { smoke: smokeMarkdown(smoke.results, smoke.error) } : {}),
    ...(project ? proposedPatch(root, findings, scope) : {}),
    ...(project && scopeMarkdown(scopeStatement(project)) ? { judged: scopeMarkdown(scopeStatement(project)) } : {}),
    ...(repoFull && sha ? { fileLink: (file: string, line: number) => `${server}/${repoFull}/blob/${sha}/${repoPath(file).split('/').map(encodeURIComponent).join('/')}#L${line}` } : {}),
    ...(runUrl ? { runUrl } : {}),
  };

  let client: ReturnType<typeof githubClient> | undefined;
  const github = (): ReturnType<typeof githubClient> => (client ??= githubClient(inputs.githubToken, (m) => core.info(m)));

  // Annotations: every one on a check run when the token can (checks: write), else workflow commands (10 per type shown).
  let hidden: Record<string, number> = {};
  if (inputs.annotations !== 'off') {
    const commands = toAnnotations(findings, repoPath);
    let published = 0;
    let reason = 'the annotations input is commands';
    const [owner, repo] = repoFull.split('/');
    if (inputs.annotations === 'auto' && inputs.githubToken && owner && repo && sha) {
      const c = counts(findings);
      const r = await publishCheckRun(checksApi(await github(), owner, repo), {
        name: scope ? `ro-uv-check (${scope})` : 'ro-uv-check',
        headSha: sha,
        annotations: toCheckAnnotations(findings, repoPath),
        failed: failed || configErrors > 0,
        title: `${c.error} errors, ${c.warning} warnings, ${c.notice} notices`,
        summary: `${verdict(report)}${runUrl ? `\n\n[Workflow run and job summary](${runUrl})` : ''}`,
      });
      published = r.published;
      if (r.path === 'checks') {
        core.info(`ro-uv-check: annotations: all ${r.published} on check run ${r.url} (Checks API)`);
        report.annotations = { path: 'checks', url: r.url, count: r.published };
      } else reason = r.reason;
    } else if (inputs.annotations === 'auto') reason = 'no github-token, repository or commit to create a check run on';
    if (report.annotations?.path !== 'checks') {
      const rest = commands.slice(published);
      for (const a of rest) core[a.level](a.message, a.properties);
      core.info(`ro-uv-check: annotations: ${rest.length} as workflow commands${published ? ` (${published} reached the check run first)` : ''}; ${reason}`);
      report.annotations = { path: 'commands', reason, count: rest.length, published };
      hidden = hiddenAnnotations(rest.map((a) => ({ severity: a.level })));
    }
  }

  let commentUrl = '';
  const eventName = process.env.GITHUB_EVENT_NAME ?? '';
  const prEvent = eventName === 'pull_request' || eventName === 'pull_request_target';
  const prNumber = prEvent ? event.pull_request?.number : inputs.pullRequestNumber;
  if (inputs.comment && prNumber !== undefined) {
    const [owner, repo] = repoFull.split('/');
    if (!inputs.githubToken || !owner || !repo) {
      report.notes.push('The PR comment was not posted: no github-token or repository.');
    } else {
      const api = commentApi(await github(), owner, repo, prNumber);
      const refusal = prEvent ? undefined : await verifyPullRequest(api, prNumber, event, eventName);
      if (refusal) {
        core.warning(refusal);
        report.notes.push(refusal);
      } else {
        const marker = commentMarker(scope || '.');
        if (inputs.suggestions && prEvent && project && sha) {
          try {
            const diff = await prDiffLines(api);
            const suggestions = buildSuggestions(findings, repoPath, (p, l) => diff.get(p)?.has(l) === true, (p) => readRepoFile(workspace, p), marker);
            const s = await postSuggestions(api, suggestions, marker, sha);
            core.info(`PR suggestions: ${s.posted} posted, ${s.deleted} earlier ones removed`);
          } catch (e) {
            const msg = `The PR suggestions could not be posted: ${(e as { status?: number }).status ?? ''} ${String((e as Error).message ?? e).split('\n')[0]}. The check's verdict stands.`;
            core.warning(msg);
            report.notes.push(msg);
          }
        }
        const r = await upsertSticky(api, marker, commentBody(report, marker), { clean: findings.length === 0, shorter: () => commentBody(report, marker, 20_000) });
        if (r.action === 'failed') {
          const msg = `The PR comment could not be posted: ${r.reason}. The check's verdict stands.`;
          core.warning(msg);
          report.notes.push(msg);
        } else if (r.action === 'skipped') core.info(`PR comment: ${r.reason}`);
        else {
          commentUrl = r.url;
          core.info(`PR comment ${r.action}: ${r.url}`);
        }
      }
    }
  }

  let sarifPath = '';
  if (inputs.sarifFile) {
    sarifPath = path.resolve(workspace, inputs.sarifFile);
    fs.mkdirSync(path.dirname(sarifPath), { recursive: true });
    fs.writeFileSync(sarifPath, JSON.stringify(toSarif(findings, VERSION, scope ? `${scope}/` : ''), null, 2));
  }

  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(summaryMarkdown(report, hidden)).write();
  }

  const c = counts(findings);
  core.setOutput('errors', c.error);
  core.setOutput('warnings', c.warning);
  core.setOutput('notices', c.notice);
  core.setOutput('findings', JSON.stringify(toJson(root, findings).findings));
  core.setOutput('sarif-file', sarifPath);
  core.setOutput('comment-url', commentUrl);
  core.setOutput('smoke-result', smoke ? (smoke.error || smoke.results.some((r) => r.result === 'failed') ? 'failed' : 'passed') : 'skipped');
  core.setOutput('docker-diff', smoke ? diffText(smoke.results) : '');

  if (configErrors) {
    core.setFailed(`ro-uv-check: the config file has ${configErrors} error(s); see the RO901 findings`);
  } else if (failed) {
    const n = findings.filter((f) => atLeast(f.severity, inputs.failOn as Severity)).length;
    const smokeFailed = smoke?.error ?? smoke?.results.find((r) => r.result === 'failed');
    const why = smokeFailed ? `the read-only smoke test failed (${typeof smokeFailed === 'string' ? smokeFailed : `${smokeFailed.target}: ${smokeFailed.cause}`})` : `${n} finding${n === 1 ? '' : 's'} at or above ${inputs.failOn}`;
    core.setFailed(`ro-uv-check: ${why} (${c.error} errors, ${c.warning} warnings, ${c.notice} notices)`);
  } else core.info(`ro-uv-check: passed (${c.error} errors, ${c.warning} warnings, ${c.notice} notices; fail-on: ${inputs.failOn})`);
}

/**
 * A PR number given as an input in a workflow_run is untrusted (the fork's run produced it): comment only when that
 * pull request's head is the commit the triggering run checked.
 */
async function verifyPullRequest(api: PullApi, number: number, event: PullRequestEvent, eventName: string): Promise<string | undefined> {
  if (eventName !== 'workflow_run') return undefined;
  const expected = event.workflow_run?.head_sha;
  let actual: string | undefined;
  try {
    actual = await api.pullHeadSha(number);
  } catch (e) {
    return `The PR comment was not posted: pull request #${number} could not be read (${(e as { status?: number }).status ?? (e as Error).message}).`;
  }
  if (!expected || actual !== expected) return `The PR comment was not posted: pull request #${number} is not the one the workflow run checked (head ${actual ?? 'unknown'}, run ${expected ?? 'unknown'}).`;
  return undefined;
}

/** The findings' mechanical fixes as a diff with repository-relative paths (files are read, never written). */
function proposedPatch(root: string, findings: Finding[], scope: string): { patch?: string } {
  try {
    const diff = unifiedDiff(computeFixes(root, findings));
    if (!diff) return {};
    return { patch: scope ? diff.replace(/^(---|\+\+\+) ([ab])\//gm, `$1 $2/${scope}/`) : diff };
  } catch {
    return {};
  }
}

function readRepoFile(workspace: string, p: string): string | undefined {
  const abs = path.resolve(workspace, p);
  if (!abs.startsWith(workspace + path.sep)) return undefined;
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

function readEvent(): PullRequestEvent {
  const p = process.env.GITHUB_EVENT_PATH;
  if (!p) return {};
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8')) as PullRequestEvent;
  } catch {
    return {};
  }
}
