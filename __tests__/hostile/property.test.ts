import { test } from 'node:test';
import { runProperty } from './property.js';


test('property: the engine never throws, positions lie inside their files, reports serialise (CI size)', () => {
  runProperty(Number(process.env.RO_UV_CHECK_PROPERTY_RUNS ?? 400));
});
