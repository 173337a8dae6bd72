import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, findingsOf, dockerfile } from '../helpers.js';

test("RO903 on CMD ['python', 'app.py'] (single quotes): a warning of its own, not a parse error", async () => {
  const files = { Dockerfile: dockerfile('', "CMD ['python', 'app.py']") };
  const f = await expectFinding(files, 'RO903', 'Dockerfile:7:5');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /single quotes/);
  await expectNone(files, 'RO901');
});

for (const [label, cmd] of [
  ['an unclosed list', 'CMD ["uv", "run"'],
  ['a number in the list', 'CMD ["python", 1]'],
  ['unquoted items', 'ENTRYPOINT [python, app.py]'],
  ['a trailing comma', 'CMD ["python", "app.py",]'],
] as const) {
  test(`RO903 on ${label}`, async () => {
    await expectFinding({ Dockerfile: dockerfile('', cmd) }, 'RO903', 'Dockerfile:7:' + (cmd.indexOf('[') + 1));
  });
}

test('RO903 leaves valid exec form and the shell test command alone', async () => {
  for (const body of ['RUN [ -z "$X" ] || echo none', 'RUN [ "$A" = "a,b" ] && echo yes', 'RUN ["echo", "hi"]', 'RUN [ -f a ]']) {
    assert.deepEqual(await findingsOf({ Dockerfile: dockerfile(body, 'CMD [ "python", "app.py" ]') }, 'RO903'), [], body);
  }
});
