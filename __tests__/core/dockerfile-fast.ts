/**
 * The Dockerfile fast path (src/core/parse/dockerfile-simple.ts) must answer every question the model asks exactly as
 * dockerfile-ast does: instruction boundaries, keywords, ranges, arguments, flags, JSON strings, ENV/ARG properties,
 * FROM parts, the initial ARGs; and the model built on either must be the same. Random Dockerfiles are assembled from
 * instructions with the oddities real files have (continuations with and without a space before the backslash,
 * comments and blank lines inside them, escaped characters, quotes, `${…}`, flags, JSON arrays valid and not) and the
 * constructs that must go to dockerfile-ast (CRLF, heredocs, the escape directive, a BOM). Used by
 * dockerfile-fast.test.ts (CI size) and `npm run property` (large runs).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bothWays, runDifferential } from '../differential.js';
import { parseDockerfile, readDockerfileAst, setDockerfileFastPath, takesDockerfileFastPath, type DfFile, type DfRange, type DfJsonForm, type DfFrom, type DfEnv, type DfArg } from '../../src/core/parse/dockerfile.js';
import { buildImage } from '../../src/core/model/image.js';

const range = (r: DfRange | null): unknown => r && [r.start.line, r.start.character, r.end.line, r.end.character];

/** Every answer the model can ask of each instruction, as plain data. */
function answers(f: DfFile): unknown {
  return {
    escape: f.getEscapeCharacter(),
    initialArgs: f.getInitialARGs().map((a) => range(a.getRange())),
    instructions: f.getInstructions().map((ins) => {
      const kw = ins.getKeyword();
      const out: Record<string, unknown> = {
        kw,
        instruction: ins.getInstruction(),
        range: range(ins.getRange()),
        instructionRange: range(ins.getInstructionRange()),
        args: ins.getArguments().map((a) => [a.getValue(), range(a.getRange())]),
        content: ins.getArgumentsContent(),
        argsRange: range(ins.getArgumentsRange()),
      };
      if (['RUN', 'COPY', 'ADD', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME'].includes(kw)) {
        const j = ins as DfJsonForm;
        out.flags = j.getFlags().map((x) => [x.getName(), x.getValue(), range(x.getValueRange())]);
        out.json = j.getJSONStrings().map((x) => [x.getJSONValue(), range(x.getRange())]);
      }
      if (kw === 'FROM') {
        const x = ins as DfFrom & DfJsonForm;
        out.flags = x.getFlags().map((fl) => [fl.getName(), fl.getValue(), range(fl.getValueRange())]);
        out.from = [x.getImage(), range(x.getImageRange()), x.getBuildStage()];
      }
      if (kw === 'ENV' || kw === 'LABEL') out.props = (ins as DfEnv).getProperties().map((p) => [p.getName(), p.getValue(), range(p.getRange())]);
      if (kw === 'ARG') {
        const p = (ins as DfArg).getProperty();
        out.prop = p && [p.getName(), p.getValue(), range(p.getRange())];
      }
      return out;
    }),
  };
}

/** The model's view: build problems and the image model (stages, env, users, commands, copies), as plain data. */
function model(text: string): unknown {
  const parsed = parseDockerfile('Dockerfile', text);
  const image = buildImage(parsed, new Map([['PY', '3.12']]));
  return JSON.parse(JSON.stringify({ issues: parsed.issues, stages: image.stages, usesUv: image.usesUv }, (_k, v: unknown) => (v instanceof Map ? [...v] : v)));
}

export function bothDockerfile(text: string): { fast: unknown; full: unknown } {
  return bothWays(setDockerfileFastPath, () => ({ answers: answers(readDockerfileAst(text)), model: model(text) }));
}

const KEYWORD = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('RUN', 'COPY', 'ADD', 'FROM', 'ENV', 'ARG', 'CMD', 'ENTRYPOINT', 'USER', 'WORKDIR', 'SHELL') },
  { weight: 2, arbitrary: fc.constantFrom('LABEL', 'EXPOSE', 'HEALTHCHECK', 'ONBUILD', 'VOLUME', 'STOPSIGNAL', 'MAINTAINER') },
  { weight: 1, arbitrary: fc.constantFrom('run', 'From', 'env', 'FOO', 'RUN#x', 'R\\UN', 'cmd') },
);
const WORD = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[a-z0-9_./:=-]{1,6}$/) },
  {
    weight: 4,
    arbitrary: fc.constantFrom('uv', 'sync', '--locked', '--no-dev', '--compile-bytecode', 'run', '--no-sync', '&&', '||', ';', 'useradd', '-u', '1001', 'app', '/app', '.venv', 'python:3.12-slim', 'builder', 'AS', 'as', '${PY}', 'python:${PY}', '$HOME', '/root/.cache/uv'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom('"a b"', "'c d'", '"x', 'y"', "'", '"', '${A:-"b c"}', '${A}', '${A', '#', '#x', '[', ']', '"]', '["a",', '"b"]', '[]', '=', 'A=1', 'A="x y"', "B='z'", '"A"=1', "'A'=2", 'A=', 'A="', 'A=${B:-c d}', '"x"y', 'a"b c"d'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom('--mount=type=cache,target=/root/.cache/uv', '--mount=type=bind,source=uv.lock,target=uv.lock', '--from=builder', '--from=ghcr.io/astral-sh/uv:0.5.1', '--chown=1001:1001', '--platform=$BUILDPLATFORM', '--link', '--', '--=x', '--a=', 'a--b', '---x', '--a=b=c'),
  },
  { weight: 2, arbitrary: fc.constantFrom('\\$X', 'a\\ b', '\\\\', '\\"q\\"', '\\', 'x\\', '\\#', '\\t', 'a\\\\b') },
);
/** Between words: spaces and tabs, and continuation lines in their many shapes. */
const SEP = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(' ') },
  { weight: 2, arbitrary: fc.constantFrom('  ', '\t', ' \\\n    ', ' \\\n') },
  { weight: 2, arbitrary: fc.constantFrom('\\\n', '\\\n  ', ' \\\n  # a comment\n  ', ' \\\n\n  ', ' \\  \n  ', '\\ \n', ' \\\n#c\n', ' \\\n  #c \\\n  ', '\\\n# c\n\n x ', ' \\\n \t\n ') },
);
const JSON_ARGS = fc.oneof(
  fc.array(fc.constantFrom('uv', 'run', '--no-sync', 'app', 'a b', '', 'x,y', '[z]', 'sh', '-c', 'echo hi'), { maxLength: 4 }).map((xs) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`),
  fc.constantFrom('[]', '[ ]', '["a" , "b"]', '["a",\\\n  "b"]', '["a" \\\n , "b"]', '["a"', '["a",]', "['a']", '["a\\"b"]', '["a\\\\b"]', '[ "a" ] x', '["a\\ b"]', '[', '"a"]', '["a"]]', '[["a"]]', '["${A}"]'),
);
const instruction = fc
  .tuple(KEYWORD, fc.array(fc.tuple(SEP, WORD), { maxLength: 7 }), fc.option(JSON_ARGS, { freq: 3 }), fc.constantFrom('', '', '', ' ', '  ', ' \\', '\t'))
  .map(([kw, words, json, tail]) => {
    let s = kw;
    for (const [sep, w] of words) s += sep + w;
    if (json !== null) s += ' ' + json;
    return s + tail;
  });
const otherLine = fc.constantFrom('', '# a comment', '   ', '  # indented', '#', '# x \\', '\t');
const libraryOnly = fc.constantFrom('RUN <<EOF\necho hi\nEOF', 'COPY <<-EOT /x\n\thello\n\tEOT', 'RUN cat <<X', '# escape=`', '#escape=\\', 'RUN a\r\nRUN b', 'ENV A=1\r');

export const dockerfileText = fc
  .tuple(
    fc.option(fc.constantFrom('# syntax=docker/dockerfile:1', '# syntax=docker/dockerfile:1.7\n# check=error=true', '#syntax = x', '# escape=`', '# ESCAPE=\\'), { freq: 4 }),
    fc.array(fc.oneof({ weight: 6, arbitrary: instruction }, { weight: 2, arbitrary: otherLine }), { maxLength: 10 }),
    fc.array(fc.tuple(fc.nat(), libraryOnly), { maxLength: 1 }),
    fc.boolean(),
    fc.integer({ min: 0, max: 40 }),
  )
  .map(([directive, lines, odd, endNewline, bom]) => {
    const all = [...(directive === null ? [] : [directive]), ...lines];
    for (const [at, t] of odd) if (at % 4 === 0) all.splice(at % (all.length + 1), 0, t);
    const text = all.join('\n') + (endNewline ? '\n' : '');
    return bom === 0 ? `\uFEFF${text}` : text;
  });

/** Compares both paths on `n` random Dockerfiles; returns how many took the fast path. */
export function runDockerfileFastProperty(n: number): { taken: number; total: number } {
  return runDifferential(dockerfileText, takesDockerfileFastPath, (text) => {
    const { fast, full } = bothDockerfile(text);
    assert.deepEqual(fast, full, JSON.stringify(text));
  }, n);
}
