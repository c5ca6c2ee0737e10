/** Jest projects: pure rules (test/shared) and the HTTP suite (test/server) on the database named by TEST_DB. */
const transformIgnorePatterns = ['/node_modules/(?!(jose)/)'];
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022', transform: { decoratorMetadata: true, legacyDecorator: true } }, module: { type: 'commonjs' } },
  ],
};

module.exports = {
  // Jest reads testTimeout only at the top level (a per-project value is ignored): HTTP tests against a real
  // database on a loaded 2-core machine need more than the 5 s default; browser tests set 120 s themselves.
  testTimeout: 60000,
  projects: [
    { displayName: 'shared', testMatch: ['<rootDir>/test/shared/**/*.test.ts'], transform, transformIgnorePatterns, testEnvironment: 'node' },
    { displayName: 'server', testMatch: ['<rootDir>/test/server/**/*.test.ts'], transform, transformIgnorePatterns, testEnvironment: 'node', setupFiles: ['reflect-metadata'] },
    { displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], transform, transformIgnorePatterns, testEnvironment: 'node' },
  ],
};
