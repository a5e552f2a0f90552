'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { skipSlashRids } = require('../lib/resource-ids');

// The package's database rid: 4 bytes 0x80, n >> 8, n & 0xff, 0, in base64.
class FakeDatabases {
  constructor() { this._ridCount = 0; }

  create() { this._ridCount += 1; return this._rid(this._ridCount); }

  _rid(n) { return Buffer.from([0x80, (n >> 8) & 0xff, n & 0xff, 0]).toString('base64'); }
}

test('the package would give database 63 a rid with a slash', () => {
  assert.equal(new FakeDatabases()._rid(63), 'gAA/AA==');
});

test('rids with a slash are skipped and the counter moves past them', () => {
  skipSlashRids(FakeDatabases);
  const dbs = new FakeDatabases();
  const rids = Array.from({ length: 300 }, () => dbs.create());
  assert.ok(rids.every(r => !r.includes('/')), rids.filter(r => r.includes('/')).join(' '));
  assert.equal(new Set(rids).size, rids.length);
  assert.ok(dbs._ridCount > 300);
});
