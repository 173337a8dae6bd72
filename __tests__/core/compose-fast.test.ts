/** The compose fast path against the `yaml` library: fixed documents here, random ones in ./compose-fast.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { takesComposeFastPath } from '../../src/core/parse/compose.js';
import { bothCompose, runComposeFastProperty } from './compose-fast.js';
import { PROJECT_ROOT } from '../helpers.js';

test('compose fast path: the examples and a hardened service take it and match the library', () => {
  const docs = [
    fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'seed-after', 'compose.yaml'), 'utf8'),
    fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'seed-before', 'compose.yaml'), 'utf8'),
    'services:\n  api:\n    build:\n      context: .\n      target: runtime\n    read_only: true\n    tmpfs:\n      - "/home/app/.cache:uid=1001,gid=1001"\n    cap_drop: [ALL]\n    security_opt: ["no-new-privileges:true"]\n    environment:\n      UV_NO_SYNC: 1\n      LOG_LEVEL: info   # comment\n    ports:\n    - 8000:8000\nvolumes:\n  data:\n',
  ];
  for (const d of docs) {
    assert.ok(takesComposeFastPath(d), d);
    const { fast, full } = bothCompose(d);
    assert.deepEqual(fast, full, d);
  }
});

test('compose fast path: anchors, tags, block scalars, flow maps, tabs, duplicates and errors go to the library', () => {
  for (const d of ['a: &x 1\nb: *x\n', 'a: !reset []\n', 'a: |\n  x\n', 'a: {b: 1}\n', 'a:\n\tb: 1\n', 'a: 1\na: 2\n', 'a: [1\n', '---\na: 1\n', 'a: "x\\ny"\n', 'a: b: c\n', 'a: 1.5\n', 'x:\n  - a\n   b: 1\n', "_:\n- x:\n   \n# a comment\n- ''"]) {
    assert.equal(takesComposeFastPath(d), false, d);
    const { fast, full } = bothCompose(d);
    assert.deepEqual(fast, full, d);
  }
});

test('compose fast path: random documents read the same both ways (property)', () => {
  runComposeFastProperty(Number(process.env.RO_UV_CHECK_PROPERTY_RUNS ?? 2000));
});
