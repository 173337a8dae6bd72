/**
 * The PR comment and the job summary as GitHub shows them: rendered by a CommonMark + GFM renderer (micromark with
 * the GFM extensions: tables, autolink literals, strikethrough), raw HTML let through so that any that leaks shows.
 * Our code spans must come out as <code>; nothing from the repository may become a tag, a link, a mention or a cell.
 */
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { msg, literal, joinMessages } from '../../src/core/message.js';
import { codeSpan, messageMd, findingsMarkdown, escapeMd } from '../../src/report/markdown.js';
import { summaryMarkdown, commentBody, type ReportInput } from '../../src/github/report.js';
import { smokeMarkdown } from '../../src/report/smoke.js';
import { buildSuggestions } from '../../src/github/suggestions.js';
import { analyze } from '../../src/core/engine.js';
import type { Finding } from '../../src/core/types.js';
import type { SmokeResult } from '../../src/smoke/index.js';
import { writeRepo } from '../helpers.js';

const render = (md: string): string => micromark(md, { allowDangerousHtml: true, allowDangerousProtocol: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
/** The text a reader sees (tags dropped, the entities a renderer writes decoded). */
const visible = (html: string): string => html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const codes = (html: string): string[] => [...html.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => visible(m[1]!));
/** Tags our reports write on purpose: everything else came from somewhere it should not have. */
const OURS = new Set(['p', 'strong', 'em', 'code', 'pre', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'blockquote', 'h2', 'h3', 'ul', 'li']);
const HOSTILE = ['a`b``c', 'x|y', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '@someone', '[x](http://evil.example/y)', 'line1\nline2', '**bold** _i_', 'http://evil.example/a', 'www.evil.example', 'me@evil.example', '&lt;b&gt;'];
const hostile = HOSTILE.join(' ');

function assertSafe(html: string, allowedHrefs: RegExp): void {
  for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) assert.ok(OURS.has(m[1]!.toLowerCase()), `a tag of its own: ${m[0]}`);
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]*)"/g)) assert.match(m[1]!, allowedHrefs, `a link of its own: ${m[1]}`);
  // GitHub links @name in text, but not inside code, pre or a link
  const outside = html.replace(/<(code|pre|a)\b[\s\S]*?<\/\1>/g, '');
  assert.doesNotMatch(visible(outside), /@[A-Za-z0-9]/, 'a mention');
}

function assertColumns(html: string, n: number): void {
  const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)];
  assert.ok(rows.length > 1, 'a table');
  for (const r of rows) assert.equal([...r[1]!.matchAll(/<t[hd]\b/g)].length, n, r[1]);
}

test('msg: the plain text is the untagged template; code spans come from the template, never from values', () => {
  const v = 'a`b`c';
  const m = msg`service "${v}" sets \`user: ${v}\`: ${literal('`x`')} runs`;
  assert.equal(m.text, `service "${v}" sets \`user: ${v}\`: \`x\` runs`);
  assert.deepEqual(m.parts, [
    { code: false, text: 'service "a`b`c" sets ' },
    { code: true, text: 'user: a`b`c' },
    { code: false, text: ': ' },
    { code: true, text: 'x' },
    { code: false, text: ' runs' },
  ]);
  // joined messages keep their spans (UV103 lists the earlier installs it also compiles)
  const joined = msg`also ${joinMessages([msg`\`uv ${'sync'}\` at line ${3}`, literal('2 more')], ' and ')} installed`;
  assert.equal(joined.text, 'also `uv sync` at line 3 and 2 more installed');
  assert.deepEqual(codes(render(messageMd(joined.text, joined.parts))), ['uv sync']);
  // an unclosed backtick in a template: no code spans at all
  assert.deepEqual(msg`a \`b ${v}`.parts, [{ code: false, text: 'a `b a`b`c' }]);
});

test('codeSpan shows any text literally as code: backtick runs, edge backticks and spaces, pipes in a table, line breaks', () => {
  for (const t of ['uv sync', 'a`b', '`lead', 'trail`', 'x ``` y', ' spaced ', '|pipe|', 'a\\|b', '<b>@x</b>', 'two\nlines', '`']) {
    const inline = render(`before ${codeSpan(t, { inTable: false })} after`);
    assert.deepEqual(codes(inline), [t.replace(/\n/g, ' ')], `${JSON.stringify(t)} → ${inline}`);
    const table = render(`| a | b |\n|---|---|\n| ${codeSpan(t, { inTable: true })} | z |\n`);
    // (a backslash right before a pipe comes out doubled in a table: GFM parsers disagree on `\\|`)
    assert.deepEqual(codes(table).map((c) => c.replace(/\\\\\|/g, '\\|')), [t.replace(/\n/g, ' ')], `${JSON.stringify(t)} in a table → ${table}`);
    assertColumns(table, 2);
  }
  assert.equal(codeSpan('', { inTable: true }), '');
});

test('messageMd: our spans as code, values escaped; a plain string (untrusted findings) escaped whole', () => {
  const m = msg`service "${hostile}" sets \`user: ${hostile}\`: \`uv sync\` ${hostile}`;
  const html = render(`| m |\n|---|\n| ${messageMd(m.text, m.parts)} |\n`);
  assertColumns(html, 1);
  assert.deepEqual(codes(html), [`user: ${hostile.replace(/\n/g, ' ')}`, 'uv sync']);
  assertSafe(html, /^$/);
  // outside the code spans the values read as written (escaped, not interpreted), on one line
  assert.ok(visible(html).replace(/\u200b/g, '').includes(`service "${hostile.replace(/\n/g, ' ')}" sets`));
  const plain = render(`| m |\n|---|\n| ${messageMd('`uv sync` from a file', undefined)} |\n`);
  assert.deepEqual(codes(plain), []);
  assert.match(visible(plain), /`uv sync` from a file/);
});

const smoke: SmokeResult = {
  target: `api ${hostile}`,
  result: 'failed',
  cause: `exited with code 1 ${hostile}`,
  quoted: ['```', `OSError: [Errno 30] Read-only file system: '/app/x' ${hostile}`],
  logTail: `log \`\`\`\n</details><script>alert(1)</script>\n${hostile}`,
  diff: [{ kind: 'A', path: `/app/${hostile}`, expected: false }],
  envKeys: ['DATABASE_URL'],
  serviceNotReadOnly: true,
};

test('the PR comment and the job summary render: code spans from our rules, hostile names inert, tables whole', async () => {
  // A real repository whose folder and service names are hostile (a newline is refused by no filesystem here, but
  // compose keys hold one, and a folder name holds the rest).
  // (an unbalanced parenthesis must not end the file link early and let the rest out as Markdown)
  const dir = 'a`b``c|x<script>alert(1)<\\script>@someone [x](http:evil.example) www.evil.example x)@admin *em*';
  const root = writeRepo({
    [`${dir}/Dockerfile`]: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.0 /uv /bin/uv\nWORKDIR /app\nCOPY . .\nRUN uv sync\nUSER 1000\nCMD ["uv", "run", "app"]\n',
    [`${dir}/pyproject.toml`]: '[project]\nname = "app"\nversion = "0.1.0"\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[dependency-groups]\ndev = ["pytest"]\n',
    'compose.yaml': `services:\n  "svc\`|<b>@team</b>[x](http://evil.example)\\nline":\n    build: '${dir}'\n    user: root\n`,
  });
  try {
    const { findings } = await analyze({ root });
    const untrusted: Finding = { ruleId: 'UV101', name: 'sync-not-locked', severity: 'error', file: `x/${hostile}`, line: 2, column: 1, endLine: 2, endColumn: 3, message: `\`uv sync\` ${hostile}`, fix: hostile };
    const all = [...findings, untrusted];
    const ids = new Set(all.map((f) => f.ruleId));
    for (const id of ['UV101', 'UV104', 'UV201', 'CT402', 'CT406']) assert.ok(ids.has(id), `${id} in ${[...ids].join(' ')}`);
    const report: ReportInput = {
      findings: all,
      failOn: 'error',
      failed: true,
      scope: `svc/${hostile}`,
      notes: [`note ${hostile}`],
      smoke: smokeMarkdown([smoke]),
      patch: `--- a/${hostile}\n+++ b/x\n@@ -1 +1 @@\n-RUN uv sync\n+RUN uv sync --locked\n`,
      fileLink: (file, line) => `https://github.example/o/r/blob/abc/${encodeURI(file)}#L${line}`,
      runUrl: 'https://github.example/o/r/actions/runs/42',
    };
    const hrefs = /^(https:\/\/github\.com\/org\/ro-uv-check\/blob\/main\/docs\/rules\/[A-Z]+\d+\.md|https:\/\/github\.example\/o\/r\/(blob\/abc\/[^"]*#L\d+|actions\/runs\/42))$/;
    for (const [name, md] of [['comment', commentBody(report, '<!-- ro-uv-check:. -->')], ['summary', summaryMarkdown(report, {})]] as const) {
      const html = render(md);
      assertSafe(html, hrefs);
      assertColumns(html, 5);
      const code = codes(html);
      // our message templates' code spans render as code, the rules' fix texts too
      for (const c of ['uv sync', '--locked', '--frozen', '--no-dev', 'uv run', '--no-sync', 'read_only: true', 'user: root']) assert.ok(code.includes(c), `${name}: <code>${c}</code> in ${code.join(' | ')}`);
      // no literal backtick is left in our own text: every one that shows is inside code or came from a value
      const prose = visible(html.replace(/<(code|pre)\b[\s\S]*?<\/\1>/g, '')).replace(/\u200b/g, '');
      const fromValues = [`\`uv sync\` ${hostile}`, hostile, dir, 'svc`'].reduce((t, v) => t.split(v.replace(/\n/g, ' ')).join(''), prose);
      assert.doesNotMatch(fromValues, /`/, `${name}: a backtick shown literally outside the values: ${fromValues.split('\n').filter((l) => l.includes('`')).join('\n')}`);
      // the hostile service name and the untrusted message are shown as text
      assert.ok(prose.includes('svc`|<b>@team</b>[x](http://evil.example) line'), `${name}: the service name as text`);
      assert.match(visible(html), /OSError: \[Errno 30\]/);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('suggestion review comments render our code spans too', () => {
  const m = msg`\`uv sync\` without \`--locked\` in ${'<b>@x</b>|`y`'}`;
  const f: Finding = { ruleId: 'UV101', name: 'sync-not-locked', severity: 'error', file: 'Dockerfile', line: 2, column: 5, endLine: 2, endColumn: 12, message: m.text, messageParts: m.parts, fix: 'x', edits: [{ file: 'Dockerfile', line: 2, column: 12, endLine: 2, endColumn: 12, text: ' --locked', anchor: 'sync' }] };
  const s = buildSuggestions([f], (p) => p, () => true, () => 'FROM x\nRUN uv sync\n', '<!-- m -->');
  const html = render(s[0]!.body);
  assert.deepEqual(codes(html).slice(0, 2), ['uv sync', '--locked']);
  assertSafe(html, /^$/);
});

test('findingsMarkdown keeps escaping as before for text without parts', () => {
  const md = findingsMarkdown([{ ruleId: 'UV101', name: 'sync-not-locked', severity: 'error', file: hostile, line: 1, column: 1, endLine: 1, endColumn: 2, message: hostile, fix: hostile }]);
  const html = render(md);
  assertSafe(html, /^https:\/\/github\.com\/org\/ro-uv-check\/blob\/main\/docs\/rules\/UV101\.md$/);
  assertColumns(html, 5);
  assert.deepEqual(codes(html), []);
  assert.equal(escapeMd('a\nb'), 'a b');
});

test('rule and model sources write messages with code spans through msg or literal (else the backticks show literally)', () => {
  const root = new URL('../../src/core/', import.meta.url).pathname;
  const offenders: string[] = [];
  // A message, problem, reported fix or ternary branch written as a plain string with a backtick, or as an untagged
  // template with an escaped one (a rule's metadata, at the object's first level, is read as ours already).
  const plain = /(message:|fix:|ctx\.problem\(|^\s*[?:])\s*('[^'\n]*`[^'\n]*'|"[^"\n]*`[^"\n]*"|`(?:[^`\\]|\\.)*\\`)/;
  for (const dir of ['rules', 'model']) {
    for (const name of fs.readdirSync(`${root}${dir}`).filter((n) => n.endsWith('.ts'))) {
      fs.readFileSync(`${root}${dir}/${name}`, 'utf8').split('\n').forEach((line, i) => {
        if (/^\s*(\/\/|\*|\/\*)/.test(line) || /^ {2}(summary|rationale|fix):/.test(line)) return;
        if (plain.test(line)) offenders.push(`${dir}/${name}:${i + 1}: ${line.trim()}`);
      });
    }
  }
  assert.deepEqual(offenders, []);
});
