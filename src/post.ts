/**
 * The action's post step (it runs when the job is cancelled too): removes whatever the smoke test left. Everything
 * a run creates carries its label (containers, networks, volumes, built images, compose projects' included); the
 * compose projects of the run, whose names the main step saved, are swept by compose's own project label as well.
 */
import * as core from '@actions/core';
import { removeComposeProject, removeLabelled, runLabel } from './smoke/docker.js';

async function post(): Promise<void> {
  const runId = core.getState('smoke-run-id');
  if (!runId) return;
  const removed = await removeLabelled(runLabel(runId), { keepImages: core.getInput('smoke-keep-image') === 'true' });
  let projects: unknown = [];
  try {
    projects = JSON.parse(core.getState('smoke-compose-projects') || '[]');
  } catch {
    core.warning('ro-uv-check cleanup: the saved compose project names are unreadable');
  }
  for (const p of Array.isArray(projects) ? projects : []) {
    if (typeof p === 'string' && /^ro-uv-check-[a-z0-9-]+$/.test(p)) removed.push(...(await removeComposeProject(p)));
  }
  core.info(removed.length ? `ro-uv-check cleanup: removed ${removed.join(', ')}` : 'ro-uv-check cleanup: nothing left');
}

post().catch((e: unknown) => core.warning(`ro-uv-check cleanup failed: ${String(e)}`));
