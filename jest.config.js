/**
 * Pure tests (*.test.ts) and browser tests (*.browser.test.ts) run once. Database tests (*.db.test.ts) run
 * twice: on the embedded PGlite and on the real PostgreSQL server at TEST_DATABASE_URL, each test file in a
 * schema of its own.
 */
const base = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  roots: ['<rootDir>/test'],
};

module.exports = {
  testTimeout: 30000,
  // Whether a TDS server answers for the SQL Server shop tests, and a line in the summary saying so.
  globalSetup: '<rootDir>/test/setup/shop-engines.js',
  reporters: ['default', '<rootDir>/test/setup/shop-engines-reporter.js'],
  projects: [
    { ...base, displayName: 'unit', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['\\.(db|pg|browser)\\.test\\.ts$'] },
    { ...base, displayName: 'pglite', testMatch: ['**/*.db.test.ts'], setupFiles: ['<rootDir>/test/setup/pglite.ts'] },
    // *.pg.test.ts: faults that only a real server has (dropped connections, many concurrent sessions).
    { ...base, displayName: 'postgres', testMatch: ['**/*.db.test.ts', '**/*.pg.test.ts'], setupFiles: ['<rootDir>/test/setup/postgres.ts'] },
    // Theme snippets in headless Chromium, against kitbridge on PGlite and a nopCommerce database on PostgreSQL.
    { ...base, displayName: 'browser', testMatch: ['**/*.browser.test.ts'] },
  ],
};
