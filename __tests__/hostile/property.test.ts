import { test } from '@jest/globals';
import { runProperty, checkRepo } from './property.js';


test('property: the engine never throws, positions lie inside their files, reports serialise (CI size)', () => {
  runProperty(Number(process.env.RO_UV_CHECK_PROPERTY_RUNS ?? 400));
});

test('property harness: file names that are Object.prototype members (found at case 91,411) are just missing files', () => {
  for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
    checkRepo({ Dockerfile: 'FROM python:3.12\nRUN uv sync\n', 'compose.yaml': `services:\n  api:\n    build: .\n    env_file: ${name}\n` });
  }
});
