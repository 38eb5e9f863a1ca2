#!/usr/bin/env node
// The one test command (README, .ci/run): checks which real services this machine has, says loudly
// what it must skip, refuses to skip anything under CI=true, then runs every jest test.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ci = process.env.CI === 'true' || process.env.CI === '1';
const pgUrl = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';
const env = { ...process.env, TEST_POSTGRES_URL: pgUrl };
const skipped = [];

function postgresReachable() {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const pg=require('pg');const c=new pg.Client({connectionString:${JSON.stringify(pgUrl)},connectionTimeoutMillis:3000});` +
        `c.connect().then(()=>c.query('select 1')).then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))`,
    ],
    { stdio: 'ignore', timeout: 10000 },
  );
  return probe.status === 0;
}

function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => p && fs.existsSync(p));
}

if (postgresReachable()) {
  console.log(
    `PostgreSQL: ${pgUrl.replace(/\/\/[^@]*@/, '//…@')} reachable, integration tests run on SQLite and PostgreSQL.`,
  );
} else {
  skipped.push(`PostgreSQL at ${pgUrl}: not reachable, integration tests ran on SQLite only`);
  env.TEST_SKIP_POSTGRES = '1';
}
const chromium = findChromium();
if (chromium) {
  env.CHROMIUM_PATH = chromium;
  console.log(`Chromium: ${chromium}, browser tests run.`);
} else {
  skipped.push(
    'Chromium (/usr/bin/chromium): not installed, browser tests skipped (apt-get install -y chromium)',
  );
  env.TEST_SKIP_BROWSER = '1';
}

if (skipped.length && ci) {
  console.error('\n*** CI=true and some test dependencies are missing; refusing to skip:');
  for (const s of skipped) console.error(`***   ${s}`);
  process.exit(1);
}

const out = path.join(os.tmpdir(), `jest-results-${process.pid}.json`);
const args = [require.resolve('jest/bin/jest'), '--json', `--outputFile=${out}`, ...process.argv.slice(2)];
const run = spawnSync(process.execPath, args, { stdio: 'inherit', env });

let summary = null;
try {
  summary = JSON.parse(fs.readFileSync(out, 'utf8'));
  fs.rmSync(out, { force: true });
} catch {
  /* jest crashed before writing results */
}
if (skipped.length) {
  console.log('\n' + '!'.repeat(78));
  console.log('SKIPPED on this machine (install them to run everything):');
  for (const s of skipped) console.log(`  - ${s}`);
  console.log('!'.repeat(78));
}
if (summary) {
  const failed = summary.numFailedTests + (summary.numRuntimeErrorTestSuites || 0);
  console.log(
    `\ntests: ${summary.numPassedTests} passed, ${failed} failed, ${summary.numPendingTests + summary.numTodoTests} skipped`,
  );
  if (summary.numTotalTests === 0) {
    console.error('No test ran: that is a failure.');
    process.exit(1);
  }
}
process.exit(run.status === null ? 1 : run.status);
