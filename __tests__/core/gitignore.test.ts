import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { parseGitignore, gitIgnoredBy } from '../../src/core/parse/gitignore.js';

test('.gitignore: unanchored names match at any depth, slashes anchor, negation and folder-only patterns', () => {
  const gi = parseGitignore('.gitignore', '# secrets\n.env\n*.local\n/top.env\nconfig/app.env\n!keep.local\nbuild/\n\\#literal\n');
  assert.equal(gitIgnoredBy(gi, '.env'), 2);
  assert.equal(gitIgnoredBy(gi, 'deploy/.env'), 2);
  assert.equal(gitIgnoredBy(gi, 'a/b/x.local'), 3);
  assert.equal(gitIgnoredBy(gi, 'keep.local'), undefined);
  assert.equal(gitIgnoredBy(gi, 'top.env'), 4);
  assert.equal(gitIgnoredBy(gi, 'sub/top.env'), undefined);
  assert.equal(gitIgnoredBy(gi, 'config/app.env'), 5);
  assert.equal(gitIgnoredBy(gi, 'x/config/app.env'), undefined);
  assert.equal(gitIgnoredBy(gi, 'build'), undefined, 'build/ matches folders only');
  assert.equal(gitIgnoredBy(gi, 'build/prod.env'), 7);
  assert.equal(gitIgnoredBy(gi, '.env.example'), undefined);
});

test('.gitignore: a file inside an ignored folder stays ignored, whatever a later negation says', () => {
  const gi = parseGitignore('.gitignore', 'secrets/\n!secrets/app.env\n');
  assert.equal(gitIgnoredBy(gi, 'secrets/app.env'), 1);
});

test('.gitignore: a hostile pattern is matched in linear time', () => {
  const gi = parseGitignore('.gitignore', `${'*a'.repeat(40)}b\n`);
  const t = Date.now();
  assert.equal(gitIgnoredBy(gi, 'a'.repeat(5000)), undefined);
  assert.ok(Date.now() - t < 2000);
});
