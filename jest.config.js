/**
 * Jest runs the whole suite from the TypeScript sources (ts-jest, ESM). `npm test` builds dist/ first: the
 * end-to-end tests run the bundled action and CLI exactly as GitHub and users run them.
 * ts-jest only transpiles here (isolatedModules); `npm run typecheck` is the type check.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/__tests__/fixtures/'],
  moduleFileExtensions: ['ts', 'cts', 'js', 'cjs', 'mjs', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  resolver: 'ts-jest-resolver',
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.cjs$': '$1.cts' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.jest.json' }],
    '^.+\\.cts$': ['ts-jest', { useESM: false, tsconfig: 'tsconfig.jest.json' }],
  },
  // Docker builds and whole-repository runs take longer than jest's 5 s default; a hung test still ends.
  testTimeout: 300_000,
  // One file at a time, as before: the Docker tests share one engine and its base image.
  maxWorkers: 1,
};
