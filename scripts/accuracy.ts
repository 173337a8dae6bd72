/**
 * `npm run accuracy -- DIR [--judgements FILE] [--format text|json] [--cli PATH] [--timeout SECONDS]`
 *
 * Runs the built CLI (`node dist/cli/index.js REPO --format json --fail-on never`) on every subfolder of DIR (one
 * checked-out repository each; the folder's name is the repository's name in the report) and prints the findings per
 * repository and rule, the totals per rule and severity, and, with a judgements file, how the findings compare with
 * a hand judgement of an earlier run.
 *
 * Judgements file: TSV, one finding a line: `repo  file  line  ruleId  verdict  reason`, verdict `true` (a real
 * problem), `false` (the claim is wrong) or `noise` (true, but not what a user of the check wants). Lines starting with
 * `#` and a header line whose third column is not a number are skipped. A finding is matched to a judgement with the
 * same repo, file, line and rule; findings without one are "not judged yet", judgements without a finding "gone".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

export const VERDICTS = ['true', 'false', 'noise'] as const;
export type Verdict = (typeof VERDICTS)[number];
const SEVERITIES = ['error', 'warning', 'notice'] as const;

export interface CorpusFinding {
  repo: string;
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  message: string;
}

export interface Judgement {
  repo: string;
  file: string;
  line: number;
  ruleId: string;
  verdict: Verdict;
  reason: string;
  /** Where the judgement was written (file:line), for messages. */
  at: string;
}

export interface RepoRun {
  repo: string;
  findings: CorpusFinding[];
  /** Why the CLI gave no report for this repository (exit code 2, timeout, unreadable output). */
  error?: string;
}

export interface RuleVerdicts {
  true: number;
  false: number;
  noise: number;
  unjudged: number;
}

export interface AccuracyReport {
  repos: { repo: string; error?: string; total: number; perRule: Record<string, number> }[];
  perRule: Record<string, { total: number } & Record<string, number>>;
  perSeverity: Record<string, number>;
  total: number;
  judged?: {
    perRule: Record<string, RuleVerdicts>;
    totals: RuleVerdicts;
    unjudged: CorpusFinding[];
    gone: Judgement[];
  };
}

/** Runs the CLI on one repository folder; never throws. */
export function runCli(repoDir: string, opts: { cli?: string; timeoutMs?: number } = {}): RepoRun {
  const repo = path.basename(repoDir);
  const cli = opts.cli ?? path.join(ROOT, 'dist', 'cli', 'index.js');
  const r = spawnSync(process.execPath, [cli, repoDir, '--format', 'json', '--fail-on', 'never'], {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) return { repo, findings: [], error: `${r.error.message}` };
  if (r.signal) return { repo, findings: [], error: `killed by ${r.signal} (timeout ${opts.timeoutMs ?? 120_000} ms)` };
  if (r.status !== 0) return { repo, findings: [], error: `exit ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}` };
  try {
    const json = JSON.parse(r.stdout) as { findings: Omit<CorpusFinding, 'repo'>[] };
    return {
      repo,
      findings: json.findings.map((f) => ({ repo, ruleId: f.ruleId, severity: f.severity, file: f.file, line: f.line, message: f.message })),
    };
  } catch (e) {
    return { repo, findings: [], error: `unreadable JSON output: ${(e as Error).message}` };
  }
}

/** Parses a judgements TSV; throws with file:line on a malformed row. */
export function parseJudgements(text: string, name = 'judgements'): Judgement[] {
  const out: Judgement[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const at = `${name}:${i + 1}`;
    if (!raw.trim() || raw.startsWith('#')) return;
    const cols = raw.split('\t');
    if (i === 0 && !/^\d+$/.test(cols[2] ?? '')) return; // a header line
    const [repo, file, line, ruleId, verdict, ...reason] = cols;
    if (!repo || !file || !line || !ruleId || !verdict) throw new Error(`${at}: expected repo, file, line, ruleId, verdict, reason separated by tabs`);
    if (!/^\d+$/.test(line)) throw new Error(`${at}: line "${line}" is not a number`);
    if (!(VERDICTS as readonly string[]).includes(verdict)) throw new Error(`${at}: verdict "${verdict}" is not one of ${VERDICTS.join(', ')}`);
    out.push({ repo, file, line: Number(line), ruleId, verdict: verdict as Verdict, reason: reason.join('\t'), at });
  });
  return out;
}

const keyOf = (x: { repo: string; file: string; line: number; ruleId: string }) => `${x.repo}\t${x.file}\t${x.line}\t${x.ruleId}`;

/** Counts the runs and, with judgements, matches each finding to one judgement of the same repo, file, line and rule. */
export function summarize(runs: RepoRun[], judgements?: Judgement[]): AccuracyReport {
  const report: AccuracyReport = { repos: [], perRule: {}, perSeverity: {}, total: 0 };
  for (const s of SEVERITIES) report.perSeverity[s] = 0;
  for (const run of runs) {
    const perRule: Record<string, number> = {};
    for (const f of run.findings) {
      perRule[f.ruleId] = (perRule[f.ruleId] ?? 0) + 1;
      const r = (report.perRule[f.ruleId] ??= { total: 0 });
      r.total++;
      r[f.severity] = (r[f.severity] ?? 0) + 1;
      report.perSeverity[f.severity] = (report.perSeverity[f.severity] ?? 0) + 1;
      report.total++;
    }
    report.repos.push({ repo: run.repo, ...(run.error ? { error: run.error } : {}), total: run.findings.length, perRule });
  }
  if (judgements) {
    const open = new Map<string, Judgement[]>();
    for (const j of judgements) {
      const k = keyOf(j);
      if (!open.has(k)) open.set(k, []);
      open.get(k)!.push(j);
    }
    const zero = (): RuleVerdicts => ({ true: 0, false: 0, noise: 0, unjudged: 0 });
    const judged = { perRule: {} as Record<string, RuleVerdicts>, totals: zero(), unjudged: [] as CorpusFinding[], gone: [] as Judgement[] };
    for (const run of runs) {
      for (const f of run.findings) {
        const j = open.get(keyOf(f))?.shift();
        const r = (judged.perRule[f.ruleId] ??= zero());
        const v: keyof RuleVerdicts = j ? j.verdict : 'unjudged';
        r[v]++;
        judged.totals[v]++;
        if (!j) judged.unjudged.push(f);
      }
    }
    // Judgements of repositories that were not run at all are not "gone": they were not measured.
    const ran = new Set(runs.filter((r) => !r.error).map((r) => r.repo));
    for (const rest of open.values()) judged.gone.push(...rest.filter((j) => ran.has(j.repo)));
    report.judged = judged;
  }
  return report;
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const rulesIn = (o: Record<string, unknown>) => Object.keys(o).sort();

export function formatText(r: AccuracyReport): string {
  const out: string[] = [];
  const failed = r.repos.filter((x) => x.error);
  out.push(`# ${r.repos.length} repositories, ${r.total} findings${failed.length ? `, ${failed.length} not analysed` : ''}`);
  out.push('', '## Findings per repository');
  const w = Math.max(10, ...r.repos.map((x) => x.repo.length)) + 2;
  for (const x of r.repos) {
    if (x.error) out.push(`${pad(x.repo, w)}NOT ANALYSED: ${x.error}`);
    else out.push(`${pad(x.repo, w)}${pad(x.total, 5)}${rulesIn(x.perRule).map((id) => `${id}:${x.perRule[id]}`).join(' ')}`);
  }
  out.push('', '## Totals per rule', `${pad('rule', 8)}${pad('total', 7)}${SEVERITIES.map((s) => pad(s, 9)).join('')}`);
  for (const id of rulesIn(r.perRule)) {
    const c = r.perRule[id]!;
    out.push(`${pad(id, 8)}${pad(c.total, 7)}${SEVERITIES.map((s) => pad(c[s] ?? 0, 9)).join('')}`);
  }
  out.push('', '## Totals per severity', SEVERITIES.map((s) => `${s}: ${r.perSeverity[s] ?? 0}`).join(', '));
  if (r.judged) {
    const j = r.judged;
    const row = (id: string, v: RuleVerdicts) => `${pad(id, 8)}${pad(v.true, 7)}${pad(v.false, 7)}${pad(v.noise, 7)}${pad(v.unjudged, 9)}`;
    out.push('', '## Judged', `${pad('rule', 8)}${pad('true', 7)}${pad('false', 7)}${pad('noise', 7)}${pad('unjudged', 9)}`);
    for (const id of rulesIn(j.perRule)) out.push(row(id, j.perRule[id]!));
    out.push(row('all', j.totals));
    out.push('', `## Not judged yet (new since the judgement): ${j.unjudged.length}`);
    for (const f of j.unjudged) out.push(`${f.repo}\t${f.file}\t${f.line}\t${f.ruleId}\t${f.severity}\t${f.message.replace(/\s+/g, ' ')}`);
    out.push('', `## Judged, no longer found: ${j.gone.length}`);
    for (const g of j.gone) out.push(`${g.repo}\t${g.file}\t${g.line}\t${g.ruleId}\t${g.verdict}\t${g.reason}`);
  }
  return out.join('\n') + '\n';
}

export interface Options {
  dir: string;
  judgements?: string;
  format: 'text' | 'json';
  cli?: string;
  timeoutMs?: number;
}

export function parseArgs(argv: string[]): Options {
  const opts: Partial<Options> = { format: 'text' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--judgements') opts.judgements = value();
    else if (a === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json') throw new Error(`--format must be text or json, not ${f}`);
      opts.format = f;
    } else if (a === '--cli') opts.cli = value();
    else if (a === '--timeout') {
      const t = Number(value());
      if (!(t > 0)) throw new Error('--timeout needs a positive number of seconds');
      opts.timeoutMs = t * 1000;
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else if (opts.dir === undefined) opts.dir = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (!opts.dir) throw new Error('usage: npm run accuracy -- DIR [--judgements FILE] [--format text|json] [--cli PATH] [--timeout SECONDS]');
  return opts as Options;
}

/** Runs the whole measurement; returns the report and its text (or JSON) form. */
export function accuracy(opts: Options): { report: AccuracyReport; output: string } {
  if (!fs.statSync(opts.dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${opts.dir} is not a directory`);
  const judgements = opts.judgements ? parseJudgements(fs.readFileSync(opts.judgements, 'utf8'), opts.judgements) : undefined;
  const repos = fs
    .readdirSync(opts.dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const runs = repos.map((name) => runCli(path.join(opts.dir, name), { ...(opts.cli ? { cli: opts.cli } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) }));
  const report = summarize(runs, judgements);
  return { report, output: opts.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatText(report) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.stdout.write(accuracy(parseArgs(process.argv.slice(2))).output);
  } catch (e) {
    process.stderr.write(`accuracy: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
