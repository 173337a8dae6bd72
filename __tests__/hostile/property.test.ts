import { test, before } from 'node:test';
import { loadShellParser } from '../../src/core/parse/shell.js';
import { runProperty } from './property.js';

before(async () => {
  await loadShellParser();
});

test('property: the engine never throws, positions lie inside their files, reports serialise (CI size)', () => {
  runProperty(Number(process.env.RO_UV_CHECK_PROPERTY_RUNS ?? 400));
});
