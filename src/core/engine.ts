/** The analysis: discover → parse → link → rules → findings (suppressed, re-levelled, sorted). Pure apart from reading files. */
import * as path from 'node:path';
import type { Finding, Severity, Loc } from './types.js';
import picomatch from 'picomatch';
import { discover, composeProjects, excludedPaths, type ComposeStack } from './discover.js';
import { productionView } from './model/stacks.js';
import { createReader, type SourceReader } from './files.js';
import { buildProject, composeOf, inlineRegion, type Project } from './model/project.js';
import { RULES, findRule } from './rules/index.js';
import { projectFor, reachOf } from './model/scope.js';
import type { RuleContext } from './rule.js';
import { loadConfig, DEFAULT_CONFIG, type Config } from './config.js';
import { compareFindings, dedupe, readSuppressions, suppressedIn, type Suppressions } from './findings.js';
import { instructionRangeAt } from './parse/dockerfile.js';
import { parseCompose, get } from './parse/compose.js';
import { literal, type Message } from './message.js';

export interface AnalyzeOptions {
  /** Scan root (absolute or relative to cwd). */
  root: string;
  /** Config file path (relative to root unless absolute); default `.ro-uv-check.yml` when present. */
  configPath?: string;
  dockerfilePatterns?: string[];
  composePatterns?: string[];
}

export interface AnalyzeResult {
  root: string;
  findings: Finding[];
  configErrors: Finding[];
  project: Project;
  config: Config;
}

export async function analyze(opts: AnalyzeOptions): Promise<AnalyzeResult> {
  const root = path.resolve(opts.root);
  const reader = createReader(root);
  const rel = (abs: string): string => path.relative(root, abs).split(path.sep).join('/');

  let config: Config = DEFAULT_CONFIG;
  const configErrors: Finding[] = [];
  const cfgAbs = opts.configPath ? path.resolve(root, opts.configPath) : path.join(root, '.ro-uv-check.yml');
  const cfgRead = reader.readText(cfgAbs);
  if ('text' in cfgRead) {
    const loaded = loadConfig(rel(cfgAbs), cfgRead.text, RULES);
    config = loaded.config;
    for (const e of loaded.errors) configErrors.push(makeFinding('RO901', e.loc, e.message));
  } else if (opts.configPath) {
    configErrors.push(makeFinding('RO901', { file: rel(cfgAbs), line: 1, column: 1, endLine: 1, endColumn: 1 }, `config file ${opts.configPath}: ${'missing' in cfgRead ? 'not found' : cfgRead.error}`));
  }

  const production = config.production ? picomatch(config.production, { dot: true }) : undefined;
  const found = discover(root, {
    ...(opts.dockerfilePatterns ? { dockerfilePatterns: opts.dockerfilePatterns } : {}),
    ...(opts.composePatterns ? { composePatterns: opts.composePatterns } : {}),
    exclude: config.exclude,
    ...(production ? { production } : {}),
    onListing: (dir, entries) => reader.know?.(dir, entries),
  });
  const { findings, project } = analyzeFiles({ root, config, reader, dockerfiles: found.dockerfiles, projects: composeProjects(found.composeFiles, production, (f, base) => isFragmentOf(f, base, root, reader)), skipped: found.skipped, workflows: found.workflows, buildScripts: found.buildScripts });
  for (const l of found.leftOut) project.leftOut.push({ what: l.file, why: l.reason });
  findings.push(...configErrors);
  findings.sort(compareFindings);
  return { root, findings, configErrors, project, config };
}

export interface FilesInput {
  root: string;
  config: Config;
  reader: SourceReader;
  dockerfiles: string[];
  /** Compose stacks: each a base file and the files merged over it, with the role their names (or the config) give. */
  projects: ComposeStack[];
  skipped: { file: string; reason: string }[];
  /** GitHub workflow files: the builds they run give Dockerfiles no compose file builds their context. */
  workflows?: string[];
  buildScripts?: string[];
}

/** After discovery: parse, link, run the rules, then apply suppressions and the config (ignore, severity). */
export function analyzeFiles(input: FilesInput): { findings: Finding[]; project: Project } {
  const { root, config, reader } = input;
  const project = buildProject({
    root,
    dockerfiles: input.dockerfiles,
    composeProjects: input.projects,
    reader,
    scopeAll: config.scope === 'all',
    skipped: input.skipped,
    ...(input.workflows ? { workflows: input.workflows } : {}),
    ...(input.buildScripts ? { buildScripts: input.buildScripts } : {}),
    isExcluded: excludedPaths(config.exclude),
    ...(config.production ? { production: picomatch(config.production, { dot: true }) } : {}),
    ...(config.uvVersion ? { uvVersion: config.uvVersion } : {}),
  });

  const raw: Finding[] = [];
  // Production-only rules (hardening, the production build recipe) see the production stacks, services and images.
  const production = productionView(project);
  for (const rule of RULES) {
    const ctx: RuleContext = {
      // Each rule sees only the images and services its family looks at (model/scope.ts), and the production-only
      // rules only the production stacks, services and images (model/stacks.ts).
      project: projectFor(rule.stacks === 'production' ? production : project, reachOf(rule.id)),
      report(loc, r) {
        raw.push({ ...makeFinding(rule.id, loc, r.message, r.fix), ...(r.severity ? { severity: r.severity } : {}), ...(r.edits?.length ? { edits: r.edits } : r.unfixable ? { unfixable: r.unfixable } : {}) });
      },
    };
    rule.check(ctx);
  }
  // A dockerfile_inline that could not be laid out where it stands: its findings go to the value as a whole (no edits).
  for (let i = 0; i < raw.length; i++) {
    const f = raw[i]!;
    const at = f.file.includes('\0') ? inlineRegion(f.file) : undefined;
    if (!at) continue;
    const rename = (t: string): string => t.split(f.file).join(at.file);
    const moved: Finding = { ...f, message: rename(f.message), ...(f.messageParts ? { messageParts: f.messageParts.map((p) => ({ ...p, text: rename(p.text) })) } : {}), file: at.file, line: at.line, column: at.column, endLine: at.endLine, endColumn: at.endColumn };
    delete moved.edits;
    delete moved.unfixable;
    raw[i] = moved;
  }

  const suppressions = new Map<string, Suppressions | undefined>();
  const suppressionsFor = (file: string): Suppressions | undefined => {
    if (suppressions.has(file)) return suppressions.get(file);
    let s: Suppressions | undefined;
    const df = project.dockerfiles.get(file);
    const compose = composeOf(project, file);
    if (df) s = readSuppressions(df.text, (line) => instructionRangeAt(df, line));
    else if (compose) {
      const keys = new Map<number, number>();
      for (const k of compose.keyRanges) if (!keys.has(k.line)) keys.set(k.line, k.endLine);
      s = readSuppressions(compose.text, (line) => {
        const end = keys.get(line);
        return end === undefined ? undefined : { start: line, end };
      });
    } else {
      const r = reader.readText(path.join(root, file));
      if ('text' in r) s = readSuppressions(r.text, () => undefined);
    }
    suppressions.set(file, s);
    return s;
  };

  const ignored = new Set(config.ignore.map((x) => findRule(x)?.id ?? x));
  const kept = dedupe(raw).filter((f) => !ignored.has(f.ruleId) && (config.severity[f.ruleId] ?? config.severity[f.name]) !== 'off');
  // Inline suppressions, file by file.
  const byFile = new Map<string, Finding[]>();
  for (const f of kept) {
    if (!f.file) continue;
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const suppressed = new Set<Finding>();
  for (const [file, list] of byFile) {
    const s = suppressionsFor(file);
    if (s) for (const f of suppressedIn(list, s)) suppressed.add(f);
  }
  const findings: Finding[] = [];
  for (const f of kept) {
    if (suppressed.has(f)) continue;
    const level = config.severity[f.ruleId] ?? config.severity[f.name];
    findings.push(level && level !== 'off' ? { ...f, severity: level } : f);
  }
  // One problem, one finding: a rule that yields to another is not reported where that one is (UV204 where UV201 is).
  const place = (f: Finding): string => `${f.file}\0${f.line}\0${f.column}`;
  const rulesAt = new Map<string, Set<string>>();
  for (const f of findings) {
    const set = rulesAt.get(place(f));
    if (set) set.add(f.ruleId);
    else rulesAt.set(place(f), new Set([f.ruleId]));
  }
  const reported = findings.filter((f) => !findRule(f.ruleId)?.yieldsTo?.some((id) => rulesAt.get(place(f))?.has(id)));
  return { findings: reported, project };
}

export function makeFinding(ruleId: string, loc: Loc, message: string | Message, fix?: string | Message): Finding {
  const rule = findRule(ruleId)!;
  // A rule's own fix text is ours: its backticks are code spans. A plain string message or fix is shown escaped whole.
  const fixOf = fix ?? literal(rule.fix);
  return {
    ruleId,
    name: rule.name,
    severity: rule.severity as Severity,
    file: loc.file,
    line: loc.line,
    column: loc.column,
    endLine: Math.max(loc.endLine, loc.line),
    endColumn: loc.endLine > loc.line ? loc.endColumn : Math.max(loc.endColumn, loc.column),
    message: typeof message === 'string' ? message : message.text,
    fix: typeof fixOf === 'string' ? fixOf : fixOf.text,
    ...(typeof message === 'string' ? {} : { messageParts: message.parts }),
    ...(typeof fixOf === 'string' ? {} : { fixParts: fixOf.parts }),
  };
}

/**
 * Whether a compose file beside a base file (`docker-compose-embedded.yml` beside `docker-compose.yml`) is an override
 * of it: its text runs it over the base (`docker compose -f docker-compose.yml -f docker-compose-embedded.yml`, as
 * its header usually says), or it is only a fragment: every service it names is one the base defines, written
 * without `image`, `build` or `extends` (it cannot run alone). Files that cannot be read or parsed are not.
 */
function isFragmentOf(file: string, base: string, root: string, reader: SourceReader): boolean {
  const services = (f: string): Map<string, unknown> | undefined => {
    const r = reader.readText(path.join(root, f));
    if (!('text' in r)) return undefined;
    try {
      const doc = parseCompose(f, r.text, undefined).root;
      const svc = get(doc, 'services');
      return svc?.kind === 'map' ? new Map([...svc.entries].map(([k, e]) => [k, e.value])) : undefined;
    } catch {
      return undefined;
    }
  };
  // Its own words say so: a comment or line that runs it over the base (`docker compose -f docker-compose.yml -f
  // docker-compose-embedded.yml`).
  const text = reader.readText(path.join(root, file));
  if ('text' in text) {
    const esc = (n: string): string => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const b = esc(path.posix.basename(base));
    const me = esc(path.posix.basename(file));
    if (new RegExp(`-f\\s+(?:\\S*/)?${b}\\s+(?:.*\\s)?-f\\s+(?:\\S*/)?${me}(?:\\s|$)`).test(text.text)) return true;
  }
  const mine = services(file);
  if (!mine?.size) return false;
  const theirs = services(base);
  if (!theirs) return false;
  for (const [name, node] of mine) {
    const n = node as { kind?: string; entries?: Map<string, unknown> };
    if (!theirs.has(name) || n.kind !== 'map' || ['image', 'build', 'extends'].some((k) => n.entries?.has(k))) return false;
  }
  return true;
}
