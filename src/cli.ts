/** ro-uv-check CLI: the same engine as the action, without GitHub. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from './core/engine.js';
import type { Finding, Severity } from './core/types.js';
import { atLeast } from './core/findings.js';
import { RULES } from './core/rules/index.js';
import { toText } from './report/text.js';
import { toJson } from './report/json.js';
import { toSarif } from './report/sarif.js';
import { findingsMarkdown } from './report/markdown.js';
import { VERSION } from './version.js';

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
  --list-rules                        print every rule with id, name and default severity
  --version                           print the version
  --help                              print this help

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or config error.
`;

export type FailOn = Severity | 'never';
const FAIL_ON = ['error', 'warning', 'notice', 'never'];
const FORMATS = ['text', 'json', 'sarif', 'markdown'];

class UsageError extends Error {}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
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
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    err.write(`ro-uv-check: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const v = parsed.values;
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
      for (const r of RULES) out.write(`${r.id}  ${r.name.padEnd(30)} ${r.severity.padEnd(8)} ${r.summary}\n`);
      return 0;
    }
    const format = v.format!;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${format}")`);
    const failOn = v['fail-on']!;
    if (!FAIL_ON.includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')} (got "${failOn}")`);
    const roots = parsed.positionals.length ? parsed.positionals : ['.'];
    for (const r of roots) if (!fs.existsSync(r) || !fs.statSync(r).isDirectory()) throw new UsageError(`${r} is not a directory`);

    const reports: string[] = [];
    let failed = false;
    let configError = false;
    for (const r of roots) {
      const result = await analyze({
        root: r,
        ...(v.config ? { configPath: path.resolve(v.config) } : {}),
        ...(v.dockerfiles ? { dockerfilePatterns: v.dockerfiles } : {}),
        ...(v['compose-files'] ? { composePatterns: v['compose-files'] } : {}),
      });
      if (result.configErrors.length) configError = true;
      if (failOn !== 'never' && result.findings.some((f) => atLeast(f.severity, failOn as Severity))) failed = true;
      reports.push(render(format, result.root, result.findings, roots.length > 1 ? r : undefined, !v.output && Boolean((out as { isTTY?: boolean }).isTTY)));
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

function render(format: string, root: string, findings: Finding[], heading: string | undefined, color: boolean): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(toJson(root, findings), null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(findings, VERSION), null, 2)}\n`;
    case 'markdown':
      return `${heading ? `### ${heading}\n\n` : ''}${findingsMarkdown(findings)}\n`;
    default:
      return `${heading ? `== ${heading}\n` : ''}${toText(findings, color)}`;
  }
}
