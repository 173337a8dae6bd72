/** Issue 14 item 16: flags kept in shell variables of the same RUN are expanded; flags an unknown expansion may supply are not claimed missing. */
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, findingsOf, dockerfile } from '../helpers.js';

const PACKAGE = '[project]\nname = "app"\nversion = "1"\n\n[dependency-groups]\ndev = ["pytest"]\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n';
const repo = (body: string): Record<string, string> => ({ Dockerfile: dockerfile(`COPY pyproject.toml uv.lock ./\n${body}`), 'pyproject.toml': PACKAGE, 'uv.lock': 'version = 1\n' });
const ids = async (files: Record<string, string>): Promise<string[]> => (await findingsOf(files)).map((f) => f.ruleId).filter((id) => /^UV10[1-4]$/.test(id)).sort();

test('flags kept in a variable of the same RUN are expanded, with word splitting (ARGS="--frozen --no-dev" && uv sync $ARGS)', async () => {
  assert.deepEqual(await ids(repo('RUN ARGS="--frozen --no-dev --no-editable --compile-bytecode" && uv sync $ARGS')), []);
  assert.deepEqual(await ids(repo('RUN ARGS="--frozen --no-editable --compile-bytecode"; uv sync $ARGS')), ['UV104']);
  // Quoted, it is one word (uv would reject it), not the flags.
  assert.deepEqual(await ids(repo('RUN ARGS="--frozen --no-dev --no-editable --compile-bytecode" && uv sync "$ARGS"')), ['UV101', 'UV102', 'UV103', 'UV104']);
});

test('uv called through a variable (UV_CMD=uv; $UV_CMD sync …) is seen', async () => {
  await expectFinding(repo('RUN UV_CMD=uv; $UV_CMD sync --no-dev --no-editable --compile-bytecode'), 'UV101', 'Dockerfile:6:16');
  assert.deepEqual(await ids(repo('RUN UV="uv --no-cache"; $UV sync --locked --no-dev --no-editable --compile-bytecode')), []);
});

test('a variable set where it may not run (after &&, in an if) has an unknown value: no claim', async () => {
  assert.deepEqual(await ids(repo('RUN [ -n "$PROD" ] && EXTRA=--no-dev; uv sync --locked --no-editable --compile-bytecode $EXTRA')), []);
  assert.deepEqual(await ids(repo('RUN if [ -n "$PROD" ]; then EXTRA=--no-dev; fi; uv sync --locked --no-editable --compile-bytecode $EXTRA')), []);
});

test('flags that only an expansion we cannot evaluate might supply are not claimed missing', async () => {
  assert.deepEqual(await ids(repo('RUN uv sync $(if [ -z "$dev" ]; then echo --no-dev; fi) --locked --no-editable --compile-bytecode')), []);
  // An ARG without a default (set with --build-arg, or not at all): no UV101/UV102/UV103/UV104 claim.
  assert.deepEqual(await ids(repo('ARG UV_SYNC_ARGS\nRUN uv sync $UV_SYNC_ARGS')), []);
  // With a default, it is known.
  assert.deepEqual(await ids(repo('ARG UV_SYNC_ARGS="--locked --no-dev"\nRUN uv sync $UV_SYNC_ARGS --no-editable --compile-bytecode')), []);
  assert.deepEqual(await ids(repo('ARG UV_SYNC_ARGS=--locked\nRUN uv sync $UV_SYNC_ARGS --no-editable --compile-bytecode')), ['UV104']);
});
