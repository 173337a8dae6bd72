/** The shell fast path against the full parser: fixed snippets here, random ones in ./shell-fast.ts. */
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { takesFastPath } from '../../src/core/parse/shell.js';
import { both, runShellFastProperty } from './shell-fast.js';

test('fast path: the common Dockerfile snippets take it and match the full parser', () => {
  const snippets = [
    'uv sync --locked --no-dev --no-install-project\n',
    'groupadd --gid 1001 app && useradd --uid 1001 --gid 1001 --create-home app\n',
    'uv sync \\\n    --locked --no-dev \\\n    --no-editable\n',
    'A=1 B="x y" uv run --no-sync app.py; exec env UV_NO_SYNC=1 uv run x | tee out\n',
    "sh -c 'uv sync --frozen && uv run app' || true\n",
    'apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    'a &&\n  b ||\n  c\n\nd\n',
    'echo "starting" >&2; uv run app > /tmp/out.log 2>&1 < /dev/null\n',
    'exec uv run --no-sync gunicorn -b "0.0.0.0:${PORT:-8000}" --workers ${WORKERS-2} app:app\n',
    'chown -R "$(id -u):$(id -g)" /app/data\n',
    'export UV_NO_SYNC=1 PATH="/app/.venv/bin:$PATH" HOME\nexec uv run app "$UV_NO_SYNC"\n',
    'X=1\n',
    '',
  ];
  for (const s of snippets) {
    assert.ok(takesFastPath(s), `fast path expected for ${JSON.stringify(s)}`);
    const { fast, full } = both(s, 7, 5);
    assert.deepEqual(fast, full, s);
  }
});

test('fast path: expansions, redirects, reserved words, comments, escapes and errors go to the full parser', () => {
  for (const s of ['echo $1', 'echo ${A:?x}', 'echo $(id; x)', 'echo $((1 + 2))', 'echo `id`', 'cat <<EOF\nx\nEOF\n', 'diff <(a) b', 'while a; do b; done', 'export -p', 'export "A=1"', 'export A=1 > f', "''#c", 'a\\ b', 'a &', 'a && ', '; a', 'a ;; b', '"unterminated', 'a[1]=x', 'A+=1 cmd', '{ a; }', 'a |& b', 'declare -x A=1']) {
    assert.equal(takesFastPath(s), false, s);
    const { fast, full } = both(s);
    assert.deepEqual(fast, full, s);
  }
});

test('fast path: random snippets parse the same both ways (property)', () => {
  runShellFastProperty(Number(process.env.RO_UV_CHECK_PROPERTY_RUNS ?? 3000));
});
