/** The action's post step: removes whatever the smoke test left with this run's label (a cancelled job included). */
import * as core from '@actions/core';
import { removeLabelled, runLabel } from './smoke/docker.js';

const runId = core.getState('smoke-run-id');
if (runId) {
  removeLabelled(runLabel(runId), { keepImages: core.getInput('smoke-keep-image') === 'true' }).then(
    (removed) => core.info(removed.length ? `ro-uv-check cleanup: removed ${removed.join(', ')}` : 'ro-uv-check cleanup: nothing left'),
    (e: unknown) => core.warning(`ro-uv-check cleanup failed: ${String(e)}`),
  );
}
