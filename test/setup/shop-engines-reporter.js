// Says in every run's summary whether the SQL Server shop tests ran (shop-engines.js decides), so that a run
// without a TDS server is never mistaken for one that tested SQL Server.
class ShopEnginesReporter {
  onRunComplete(_contexts, results) {
    const skipped = process.env.KITBRIDGE_MSSQL_SKIPPED;
    const inPostgresProject = results.testResults.some((file) => file.displayName?.name === 'postgres');
    const narrowed = process.env.NOP_TEST_ENGINES && !process.env.NOP_TEST_ENGINES.split(',').includes('mssql');
    let line;
    if (skipped) line = `SQL Server shop tests SKIPPED: ${skipped}; TEST_MSSQL_URL=mssql://user:password@host:1433/master runs them.`;
    else if (narrowed) line = `SQL Server shop tests not run: NOP_TEST_ENGINES=${process.env.NOP_TEST_ENGINES}.`;
    else if (!inPostgresProject) line = 'SQL Server shop tests not run: they run in the postgres project only.';
    else line = `SQL Server shop tests ran against ${new URL(process.env.TEST_MSSQL_URL).host}.`;
    process.stderr.write(`\n${line}\n`);
  }
}
module.exports = ShopEnginesReporter;
