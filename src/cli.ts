/** ro-uv-check CLI: the same engine as the action, without GitHub. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from './core/engine.js';
import type { Finding, Severity } from './core/types.js';
import { atLeast } from './core/findings.js';
import { RULES } from './core/rules/index.js';
import { toText, colorEnabled, paint, severityStyle, BOLD, oneLine } from './report/text.js';
import { toJson } from './report/json.js';
import { toSarif } from './report/sarif.js';
import { findingsMarkdown } from './report/markdown.js';
import { scopeStatement, scopeMarkdown, scopeText, type ScopeStatement } from './report/scope.js';
import { VERSION } from './version.js';
import { computeFixes, unifiedDiff, writeFixes, type FileFix } from './fixes.js';
import { runSmokeTests, newRunId, withSignalCleanup, type SmokeConfig, type SmokeResult } from './smoke/index.js';
import { readSmokeConfig } from './smoke/config.js';
import { smokeText, smokeMarkdown } from './report/smoke.js';

const HELP = `Usage: ro-uv-check [PATH ...] [options]

Checks that uv-based Python images and compose services run with a read-only root filesystem.

Options:
  --format text|json|sarif|markdown   output format (default: text)
  --output FILE                       write the report to FILE instead of stdout
  --config FILE                       config file (default: .ro-uv-check.yml in PATH)
  --fail-on error|warning|notice|never
                                      lowest severity that makes the exit code 1 (default: error)
  --dockerfiles GLOB                  Dockerfile pattern (repeatable; default: Dockerfile, *.Dockerfile, …)
  --compose-files GLOB                compose file pattern (repeatable; default: compose.y[a]ml, …)
  --smoke-test                        also build each in-scope service and run it read-only (needs Docker)
  --smoke-service NAME                compose service to test (default: every in-scope service)
  --smoke-dockerfile FILE, --smoke-context DIR, --smoke-target STAGE, --smoke-build-args NAME=VALUE
                                      what to build when there is no compose service
  --smoke-image IMAGE                 test this already-built image instead of building
  --smoke-duration SECONDS            how long it must stay up (default 10), or may take with exit-0
  --smoke-expect running|exit-0       a server (default) or a one-shot job
  --smoke-probe COMMAND               run inside the container once it is up; non-zero fails
  --smoke-allow-writes GLOB           paths allowed in docker diff besides the writable mounts (repeatable)
  --smoke-timeout SECONDS             for the whole test of a target, build included (default 900)
  --smoke-network NAME                network of the container (default none)
  --smoke-profile                     also run without --read-only and propose tmpfs mounts
  --smoke-keep-image                  keep the built image
  --fix                               apply the safe mechanical fixes, then report what remains
  --dry-run                           with --fix: print the fixes as a unified diff, change nothing
  --list-rules                        print every rule with id, name and default severity
  --version                           print the version
  --help                              print this help

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or config error.
`;

export type FailOn = Severity | 'never';
const FAIL_ON = ['error', 'warning', 'notice', 'never'];
const MAX_FIX_PASSES = 5;
const FORMATS = ['text', 'json', 'sarif', 'markdown'];

class UsageError extends Error {}

export async function main(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
        config: { type: 'string' },
        'fail-on': { type: 'string', default: 'error' },
        dockerfiles: { type: 'string', multiple: true },
        'compose-files': { type: 'string', multiple: true },
        'list-rules': { type: 'boolean' },
        fix: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        'smoke-test': { type: 'boolean' },
        'smoke-service': { type: 'string', multiple: true },
        'smoke-dockerfile': { type: 'string', multiple: true },
        'smoke-context': { type: 'string', multiple: true },
        'smoke-target': { type: 'string', multiple: true },
        'smoke-build-args': { type: 'string', multiple: true },
        'smoke-image': { type: 'string', multiple: true },
        'smoke-duration': { type: 'string', multiple: true },
        'smoke-expect': { type: 'string', multiple: true },
        'smoke-probe': { type: 'string', multiple: true },
        'smoke-allow-writes': { type: 'string', multiple: true },
        'smoke-timeout': { type: 'string', multiple: true },
        'smoke-network': { type: 'string', multiple: true },
        'smoke-profile': { type: 'boolean' },
        'smoke-keep-image': { type: 'boolean' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    err.write(`ro-uv-check: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const v = parsed.values;
  // Colour only for the text report (and --list-rules) going to a terminal, unless NO_COLOR / FORCE_COLOR say
  // otherwise; a report written with --output is a file and stays plain.
  const color = !v.output && colorEnabled(env, Boolean((out as { isTTY?: boolean }).isTTY));
  try {
    if (v.help) {
      out.write(HELP);
      return 0;
    }
    if (v.version) {
      out.write(`${VERSION}\n`);
      return 0;
    }
    if (v['list-rules']) {
      out.write(RULES.map((r) => `${paint(color, BOLD + severityStyle(r.severity), r.id)}  ${r.name.padEnd(30)} ${paint(color, severityStyle(r.severity), r.severity.padEnd(8))} ${r.summary}\n`).join(''));
      return 0;
    }
    const format = v.format!;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${format}")`);
    const failOn = v['fail-on']!;
    if (!FAIL_ON.includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')} (got "${failOn}")`);
    let smokeCfg: SmokeConfig | undefined;
    if (v['smoke-test']) {
      const values = v as unknown as Record<string, string[] | boolean | undefined>;
      try {
        smokeCfg = readSmokeConfig((name) => {
          const x = values[name];
          return x === undefined ? [] : typeof x === 'boolean' ? [String(x)] : x;
        });
      } catch (e) {
        throw new UsageError(`--${(e as Error).message}`);
      }
    }
    if (v['dry-run'] && !v.fix) throw new UsageError('--dry-run goes with --fix');
    const roots = parsed.positionals.length ? parsed.positionals : ['.'];
    for (const r of roots) if (!fs.existsSync(r) || !fs.statSync(r).isDirectory()) throw new UsageError(`${r} is not a directory`);

    const reports: string[] = [];
    let failed = false;
    let configError = false;
    for (const r of roots) {
      const analyzeOpts = {
        root: r,
        ...(v.config ? { configPath: path.resolve(v.config) } : {}),
        ...(v.dockerfiles ? { dockerfilePatterns: v.dockerfiles } : {}),
        ...(v['compose-files'] ? { composePatterns: v['compose-files'] } : {}),
      };
      let result = await analyze(analyzeOpts);
      if (v.fix && v['dry-run']) {
        const fixes = computeFixes(result.root, result.findings);
        out.write(unifiedDiff(fixes));
        err.write(`ro-uv-check: ${fixes.reduce((n, f) => n + f.applied, 0)} fixes in ${fixes.filter((f) => f.before !== f.after).length} files (dry run: nothing written; --fix may find more after these)\n`);
        for (const line of notFixed(fixes, result.findings)) err.write(`ro-uv-check: not fixed: ${line}\n`);
        continue;
      }
      if (v.fix) {
        // Like ESLint: fix, re-analyse, repeat (a fix can reveal another, e.g. read_only: true → the uv cache tmpfs).
        let applied = 0;
        const files = new Set<string>();
        for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
          const fixes = computeFixes(result.root, result.findings);
          const changed = fixes.filter((f) => f.before !== f.after);
          if (!changed.length) break;
          writeFixes(result.root, fixes);
          applied += fixes.reduce((n, f) => n + f.applied, 0);
          for (const f of changed) files.add(f.file);
          result = await analyze(analyzeOpts);
        }
        err.write(`ro-uv-check: applied ${applied} fixes in ${files.size} files\n`);
        for (const line of notFixed(computeFixes(result.root, result.findings), result.findings)) err.write(`ro-uv-check: not fixed: ${line}\n`);
      }
      if (result.configErrors.length) configError = true;
      if (failOn !== 'never' && result.findings.some((f) => atLeast(f.severity, failOn as Severity))) failed = true;
      let smoke: { results: SmokeResult[]; error?: string } | undefined;
      if (smokeCfg) {
        const runId = newRunId();
        const cfg = smokeCfg;
        smoke = await withSignalCleanup(runId, (signal) => runSmokeTests(result.project, cfg, { runId, signal, log: (m) => err.write(`ro-uv-check: ${m}\n`) }));
        if (smoke.error || smoke.results.some((x) => x.result === 'failed')) failed = true;
      }
      reports.push(render(format, result.root, result.findings, roots.length > 1 ? r : undefined, color, smoke, scopeStatement(result.project)));
    }
    const text = format === 'json' && roots.length > 1 ? `[${reports.map((x) => x.trim()).join(',\n')}]\n` : reports.join('\n');
    if (v.output) fs.writeFileSync(v.output, text);
    else out.write(text);
    if (configError) return 2;
    return failed ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`ro-uv-check: ${e.message}\n`);
      return 2;
    }
    err.write(`ro-uv-check: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

/** What --fix leaves, and why: edits that could not be applied, and findings whose fix has no safe edit here. */
function notFixed(fixes: FileFix[], findings: Finding[]): string[] {
  const lines: string[] = [];
  for (const f of fixes) for (const s of f.skipped) lines.push(`${oneLine(f.file)}:${s.edit.line}:${s.edit.column} ${s.reason}`);
  for (const f of findings) if (f.unfixable) lines.push(`${oneLine(f.file)}:${f.line}:${f.column} ${f.ruleId} ${f.name}: ${oneLine(f.unfixable)}`);
  return lines;
}

function render(format: string, root: string, findings: Finding[], heading: string | undefined, color: boolean, smoke?: { results: SmokeResult[]; error?: string }, judged?: ScopeStatement): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(toJson(root, findings, smoke ? smokeJson(smoke) : []), null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(findings, VERSION), null, 2)}\n`;
    case 'markdown':
      return `${heading ? `### ${heading}\n\n` : ''}${findingsMarkdown(findings)}\n${judged && scopeMarkdown(judged) ? `\n${scopeMarkdown(judged)}\n` : ''}${smoke ? `\n${smokeMarkdown(smoke.results, smoke.error)}` : ''}`;
    default:
      return `${heading ? `== ${heading}\n` : ''}${toText(findings, color)}${judged ? scopeText(judged) : ''}${smoke ? smokeText(smoke.results, smoke.error) : ''}`;
  }
}

/** The JSON `smoke` array: one entry per target (an error without targets is one entry too). */
export function smokeJson(smoke: { results: SmokeResult[]; error?: string }): unknown[] {
  if (smoke.error) return [{ target: null, result: 'failed', cause: smoke.error }];
  return smoke.results.map((r) => ({
    target: r.target,
    result: r.result,
    cause: r.cause ?? null,
    quoted: r.quoted,
    diff: r.diff.map((d) => ({ kind: d.kind, path: d.path, expected: d.expected })),
    serviceNotReadOnly: r.serviceNotReadOnly ?? false,
    environmentKeys: r.envKeys,
    exitCode: r.exitCode ?? null,
    proposedTmpfs: r.profile?.tmpfs ?? [],
    writeCauses: r.profile?.causes ?? [],
    logTail: r.logTail,
    runner: r.runner ?? null,
    dependencies: r.dependencies ?? [],
    note: r.note ?? null,
  }));
}
