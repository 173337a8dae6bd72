#!/usr/bin/env node
import { main } from './cli.js';

// A reader that stops early (`ro-uv-check --list-rules | head -5`) closes the pipe: the next write fails with EPIPE,
// and later ones with "write after destroyed". That is not an error of ours: stop writing to that stream quietly and
// finish with the exit code the run earns (as ruff and eslint do), instead of an unhandled 'error' stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
    throw e;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`ro-uv-check: ${String(e)}\n`);
    process.exitCode = 2;
  },
);
