/**
 * Property-based checks with fast-check: generated Dockerfiles, compose documents and shell fragments, analysed
 * in memory. The engine must never throw, every position must lie inside its file, and the JSON must parse.
 * Used by property.test.ts (a few hundred cases in CI) and bench/property.ts (100,000 cases on demand).
 */
import fc from 'fast-check';
import * as path from 'node:path';
import { analyzeFiles } from '../../src/core/engine.js';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { decode, type SourceReader, type ReadResult } from '../../src/core/files.js';
import { toJson } from '../../src/report/json.js';
import { toSarif } from '../../src/report/sarif.js';
import { findingsMarkdown } from '../../src/report/markdown.js';

const ROOT = '/virtual/repo';

export function memoryReader(files: Record<string, string>): SourceReader {
  const rel = (abs: string): string => path.relative(ROOT, abs).split(path.sep).join('/');
  // Own properties only: a file named `toString` or `__proto__` must not find Object.prototype's.
  const fileAt = (abs: string): string | undefined => (Object.hasOwn(files, rel(abs)) ? files[rel(abs)] : undefined);
  return {
    readText(abs): ReadResult {
      const f = fileAt(abs);
      return f === undefined ? { missing: true } : decode(Buffer.from(f, 'utf8'));
    },
    isDir(abs) {
      const r = rel(abs);
      return r === '' || Object.keys(files).some((k) => k.startsWith(`${r}/`));
    },
    exists(abs) {
      return this.isDir(abs) || fileAt(abs) !== undefined;
    },
  };
}

const word = fc.oneof(
  fc.constantFrom('uv', 'uvx', 'sync', 'run', '--locked', '--frozen', '--no-sync', '--no-dev', '--compile-bytecode', 'pip', 'install', 'useradd', '-u', '1001', 'app', 'sh', '-c', 'exec', 'env', 'UV_NO_SYNC=1', 'UV_LOCKED=maybe', '"$@"', '&&', '||', ';', '|', '>', '/app/x', '$(x)', '`y`', '"', "'", '\\', '<<EOF', 'EOF', '{', '}', '(', ')', 'if', 'then', 'fi', '#', '${A:-b}', '\t'),
  fc.string({ maxLength: 8 }),
);
const shell = fc.array(word, { maxLength: 14 }).map((w) => w.join(' '));

const instruction = fc.oneof(
  shell.map((s) => `RUN ${s}`),
  fc.tuple(shell, shell).map(([a, b]) => `RUN ${a} \\\n    ${b}`),
  shell.map((s) => `RUN <<EOF\n${s}\nEOF`),
  shell.map((s) => `CMD ${s}`),
  fc.array(word, { maxLength: 5 }).map((w) => `CMD ${JSON.stringify(w)}`),
  fc.array(word, { maxLength: 5 }).map((w) => `ENTRYPOINT ${JSON.stringify(w).slice(0, -1)}`),
  fc.constantFrom('FROM ghcr.io/astral-sh/uv:0.12.5 AS uv', 'FROM python:3.12', 'FROM uv AS final', 'FROM ${X}', 'ARG X=1', 'ARG UV_NO_DEV=', 'ENV UV_COMPILE_BYTECODE=enabled', 'ENV A="b c" D=e', 'USER appuser', 'USER 0:0', 'USER ${U}', 'WORKDIR /app', 'WORKDIR rel', 'COPY . .', 'COPY --from=uv /uv /bin/', 'COPY e.sh /e.sh', 'ENTRYPOINT ["/e.sh"]', 'HEALTHCHECK NONE', '# ro-uv-check ignore=UV101', 'FOO bar', '# escape=`', 'SHELL ["/bin/bash", "-c"]'),
  fc.string({ maxLength: 30 }),
);
export const dockerfileText = fc.array(instruction, { maxLength: 12 }).map((l) => l.join('\n'));

const yamlScalar = fc.oneof(fc.constantFrom('true', 'false', '"0"', 'root', '1001:1001', '.', './missing', '"${X:-1}"', '$$HOME', '*a', '&a x', '[ALL]', '{a: 1}', '|', '>-', '"unterminated', '- x'), fc.string({ maxLength: 10 }));
const composeLine = fc.oneof(
  fc.tuple(fc.constantFrom('build', 'read_only', 'user', 'tmpfs', 'cap_drop', 'security_opt', 'command', 'entrypoint', 'environment', 'volumes', 'image', 'env_file', '<<', 'extends', 'healthcheck', 'working_dir'), yamlScalar).map(([k, v]) => `    ${k}: ${v}`),
  yamlScalar.map((v) => `      - ${v}`),
  // extends (itself, another file, outside the root), healthcheck forms, dockerfile_inline blocks and strings
  fc.constantFrom('    extends: api', '    extends: {file: other.yml, service: api}', '    extends:\n      file: ../x.yml\n      service: api', '    extends: {service: nope}', '    extends: {file: missing.yml, service: api}'),
  fc.array(word, { maxLength: 5 }).map((w) => `    healthcheck:\n      test: ${JSON.stringify(['CMD', ...w])}`),
  shell.map((s) => `    healthcheck:\n      test: ["CMD-SHELL", ${JSON.stringify(s)}]\n      disable: false`),
  dockerfileText.map((d) => `    build:\n      context: .\n      dockerfile_inline: |\n${d.split('\n').map((l) => `        ${l}`).join('\n')}`),
  dockerfileText.map((d) => `    build:\n      dockerfile_inline: ${JSON.stringify(d)}`),
  fc.string({ maxLength: 20 }),
);
const composeBody = fc.array(composeLine, { maxLength: 10 }).map((l) => `services:\n  api:\n${l.join('\n')}\n`);
export const composeText = fc.tuple(composeBody, fc.constantFrom('', 'include:\n  - other.yml\n', 'include:\n  - path: [other.yml, missing.yml]\n    project_directory: sub\n', 'include: compose.yaml\n')).map(([body, inc]) => body + inc);

export const repo = fc.record({
  Dockerfile: dockerfileText,
  'compose.yaml': fc.oneof(composeText, fc.string({ maxLength: 40 })),
  'other.yml': composeBody,
  'e.sh': shell.map((s) => `#!/bin/sh\n${s}\n`),
});

/** Runs one generated repository through the engine and the reports; throws on any broken property. */
export function checkRepo(files: Record<string, string>): void {
  const { findings } = analyzeFiles({ root: ROOT, config: DEFAULT_CONFIG, reader: memoryReader(files), dockerfiles: ['Dockerfile'], projects: [{ files: ['compose.yaml'], role: 'production', reason: 'the base compose file' }], skipped: [] });
  for (const f of findings) {
    const text = files[f.file];
    if (text === undefined) throw new Error(`finding on a file that does not exist: ${f.file}`);
    const lines = text.replace(/\r\n/g, '\n').split('\n');
    if (!(f.line >= 1 && f.line <= lines.length)) throw new Error(`${f.ruleId} line ${f.line} outside ${f.file} (${lines.length} lines)`);
    if (!(f.column >= 1 && f.column <= (lines[f.line - 1]?.length ?? 0) + 1)) throw new Error(`${f.ruleId} column ${f.column} outside line ${f.line} of ${f.file}`);
    if (!(f.endLine >= f.line && f.endLine <= lines.length)) throw new Error(`${f.ruleId} endLine ${f.endLine} outside ${f.file}`);
  }
  JSON.parse(JSON.stringify(toJson(ROOT, findings)));
  JSON.parse(JSON.stringify(toSarif(findings, 'test')));
  findingsMarkdown(findings);
}

export function runProperty(numRuns: number, seed?: number): void {
  fc.assert(
    fc.property(repo, (files) => {
      checkRepo(files);
    }),
    { numRuns, ...(seed !== undefined ? { seed } : {}) },
  );
}
