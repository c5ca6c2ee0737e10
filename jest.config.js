/** Jest projects: pure rules (test/shared) and the HTTP suite (test/server) on the database named by TEST_DB. */
const transformIgnorePatterns = ['/node_modules/(?!(jose)/)'];
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022', transform: { decoratorMetadata: true, legacyDecorator: true } }, module: { type: 'commonjs' } },
  ],
};

module.exports = {
  projects: [
    { displayName: 'shared', testMatch: ['<rootDir>/test/shared/**/*.test.ts'], transform, transformIgnorePatterns, testEnvironment: 'node' },
    { displayName: 'server', testMatch: ['<rootDir>/test/server/**/*.test.ts'], transform, transformIgnorePatterns, testEnvironment: 'node', setupFiles: ['reflect-metadata'], testTimeout: 60000 },
    { displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], transform, transformIgnorePatterns, testEnvironment: 'node', testTimeout: 120000 },
  ],
};
