#!/usr/bin/env node
// Prints the failed tests of every CTRF report in a folder, last, so that a CI log cut to its tail still names them.
'use strict';
const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
if (!dir || !fs.existsSync(dir)) process.exit(0);

const failed = [];
for (const file of fs.readdirSync(dir, { recursive: true })) {
  if (!String(file).endsWith('.ctrf')) continue;
  const report = JSON.parse(fs.readFileSync(path.join(dir, String(file)), 'utf8'));
  for (const test of report.results?.tests ?? []) {
    if (test.status === 'failed') failed.push(test);
  }
}
if (failed.length === 0) process.exit(0);

const firstLines = (text, count) => String(text ?? '').split('\n').slice(0, count).join('\n      ');
const shown = 20; // a broken fixture fails hundreds of tests the same way: the first ones say why
console.log(`\n=== ${failed.length} failed test(s)${failed.length > shown ? `, the first ${shown}` : ''} ===`);
for (const test of failed.slice(0, shown)) {
  console.log(`  - ${test.name}`);
  console.log(`      ${firstLines(test.message, 8)}`);
  console.log(`      ${firstLines(test.trace, 4)}`);
}
