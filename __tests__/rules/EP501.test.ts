import { test } from '@jest/globals';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

const withScript = (script: string, cmd = 'ENTRYPOINT ["/entrypoint.sh"]') => ({ Dockerfile: dockerfile('COPY entrypoint.sh /entrypoint.sh', cmd), 'entrypoint.sh': script });

test('EP501 fires when the last command starts the app without exec', async () => {
  await expectFinding(withScript('#!/bin/sh\nset -e\nuv run --no-sync app\n'), 'EP501', 'entrypoint.sh:3:1');
  await expectFinding(withScript('#!/bin/sh\necho start\n"$@"\n', 'ENTRYPOINT ["/entrypoint.sh"]\nCMD ["app"]'), 'EP501', 'entrypoint.sh:3:1');
});

for (const [label, script] of [
  ['exec', '#!/bin/sh\nset -e\nexec uv run --no-sync app\n'],
  ['exec "$@"', '#!/bin/bash\nset -euo pipefail\nexport A=1\nexec "$@"\n'],
  ['a script that ends with exit', '#!/bin/sh\nexec app || exit 1\nexit 0\n'],
] as const) {
  test(`EP501 is satisfied by ${label}`, async () => {
    await expectNone(withScript(script), 'EP501');
  });
}
