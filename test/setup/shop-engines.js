// Jest globalSetup: whether a SQL Server (TDS) server answers at TEST_MSSQL_URL, decided once for the whole run.
// The SQL Server shop tests run only when it does; otherwise they are skipped, and shop-engines-reporter.js says
// so in the run's summary. A server that answers but refuses the login fails the tests: that is a wrong URL.
const net = require('node:net');

/** host and port of an mssql:// URL, as the dialect reads it (a named instance has no fixed port). */
function address(url) {
  const named = /^mssql:\/\/(?:[^@/?#]*@)?([^\\/?#:@]+)\\/.exec(url);
  if (named) return { host: named[1], port: 1434, named: true };
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 1433), named: false };
}

function answers({ host, port }) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 3000 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

module.exports = async () => {
  const url = process.env.TEST_MSSQL_URL;
  if (!url) {
    process.env.KITBRIDGE_MSSQL_SKIPPED = 'TEST_MSSQL_URL is not set';
    return;
  }
  const target = address(url);
  // A named instance is found over UDP (the SQL Server Browser); there is no TCP port to try first.
  if (!target.named && !(await answers(target))) {
    process.env.KITBRIDGE_MSSQL_SKIPPED = `no TDS server answered at ${target.host}:${target.port} (TEST_MSSQL_URL)`;
  }
};
