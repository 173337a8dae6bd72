import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createReader } from '../../src/core/files.js';

/** A scratch repository: regular file, folder, symlinks in and out of the root, a dangling one, a FIFO. */
function scratch(): { root: string; outside: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'reader-'));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'reader-out-'));
  fs.writeFileSync(path.join(outside, 'secret'), 'outside\n');
  fs.mkdirSync(path.join(root, 'sub'));
  fs.writeFileSync(path.join(root, 'sub', 'a.sh'), '#!/bin/sh\r\necho a\r\n');
  fs.symlinkSync(path.join(root, 'sub', 'a.sh'), path.join(root, 'sub', 'in-link'));
  fs.symlinkSync(path.join(outside, 'secret'), path.join(root, 'sub', 'out-link'));
  fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'sub', 'dangling'));
  execFileSync('mkfifo', [path.join(root, 'sub', 'fifo')]);
  return { root, outside };
}

const KINDS = ['a.sh', 'in-link', 'out-link', 'dangling', 'fifo', 'missing', '.'] as const;

function readAll(root: string, listed: boolean): Record<string, unknown> {
  const reader = createReader(root);
  const dir = path.join(root, 'sub');
  if (listed) reader.know?.(dir, fs.readdirSync(dir, { withFileTypes: true }));
  const out: Record<string, unknown> = {};
  for (const k of KINDS) {
    const abs = path.join(dir, k);
    out[k] = { read: reader.readText(abs), exists: reader.exists(abs), isDir: reader.isDir(abs) };
  }
  return out;
}

test('reader: the same answers with and without the folder listing from discovery (symlinks, FIFO, folders, missing)', () => {
  const { root } = scratch();
  const unlisted = readAll(root, false);
  const listed = readAll(root, true);
  assert.deepEqual(listed, unlisted);
  const read = (k: string): unknown => (unlisted[k] as { read: unknown }).read;
  assert.deepEqual(read('a.sh'), { text: '#!/bin/sh\necho a\n' });
  assert.deepEqual(read('in-link'), { text: '#!/bin/sh\necho a\n' });
  assert.deepEqual(read('out-link'), { error: 'a symlink that points outside the scanned root: not followed' });
  assert.deepEqual(read('dangling'), { error: 'a symlink that points nowhere (or into a loop): not followed' });
  assert.deepEqual(read('fifo'), { error: 'not a regular file' });
  assert.deepEqual(read('missing'), { missing: true });
  assert.deepEqual(read('.'), { error: 'a directory, not a file' });
  assert.deepEqual((unlisted['missing'] as { exists: boolean }).exists, false);
  assert.deepEqual((unlisted['.'] as { isDir: boolean }).isDir, true);
});

test('reader: the size cap holds for a file read through the listing, and a file is read whole past the first buffer', () => {
  const { root } = scratch();
  fs.writeFileSync(path.join(root, 'sub', 'big'), 'x'.repeat(300));
  fs.writeFileSync(path.join(root, 'sub', 'large'), 'y'.repeat(200_000));
  const reader = createReader(root, 100);
  reader.know?.(path.join(root, 'sub'), fs.readdirSync(path.join(root, 'sub'), { withFileTypes: true }));
  assert.deepEqual(reader.readText(path.join(root, 'sub', 'big')), { error: '300 bytes, over the 100-byte limit: not analysed' });
  const whole = createReader(root).readText(path.join(root, 'sub', 'large'));
  assert.ok('text' in whole && whole.text.length === 200_000);
  // Exactly the first buffer's size (64 KiB), and empty: read up to the size fstat reports, or to EOF for 0.
  fs.writeFileSync(path.join(root, 'sub', 'exact'), 'z'.repeat(64 * 1024));
  fs.writeFileSync(path.join(root, 'sub', 'empty'), '');
  const fresh = createReader(root);
  const exact = fresh.readText(path.join(root, 'sub', 'exact'));
  assert.ok('text' in exact && exact.text.length === 64 * 1024);
  assert.deepEqual(fresh.readText(path.join(root, 'sub', 'empty')), { text: '' });
});
