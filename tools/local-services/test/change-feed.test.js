'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startLsn, readChanges, isExpired } = require('../lib/change-feed');

const doc = (id, lsn, ts = 100) => ({ id, _lsn: lsn, _ts: ts });

test('If-None-Match maps to the LSN to read after', () => {
  assert.equal(startLsn(undefined, 9), 0); // beginning
  assert.equal(startLsn('*', 9), 9); // now
  assert.equal(startLsn('"4"', 9), 4); // continuation (the ETag the server returned)
  assert.equal(startLsn('7', 9), 7);
  assert.throws(() => startLsn('"abc"', 9), /invalid change feed continuation/);
});

test('changes come in LSN order, paged, with the ETag of the last item', () => {
  const docs = [doc('c', 7), doc('a', 2), doc('b', 5), doc('d', 9)];
  const first = readChanges(docs, { since: 0, currentLsn: 9, maxItemCount: 2 });
  assert.deepEqual(first.items.map(d => d.id), ['a', 'b']);
  assert.equal(first.etag, '"5"');
  const second = readChanges(docs, { since: startLsn(first.etag, 9), currentLsn: 9, maxItemCount: 2 });
  assert.deepEqual(second.items.map(d => d.id), ['c', 'd']);
  assert.equal(second.etag, '"9"');
  const none = readChanges(docs, { since: 9, currentLsn: 9, maxItemCount: 2 });
  assert.deepEqual(none, { items: [], etag: '"9"' });
});

test('an empty page moves the ETag to the current LSN (changes outside the scope are skipped)', () => {
  // Writes 3..8 happened in other partitions: the caller continues from 8, not from 2.
  assert.deepEqual(readChanges([doc('a', 2)], { since: 2, currentLsn: 8, maxItemCount: 10 }), { items: [], etag: '"8"' });
});

test('start time filters on _ts and an unlimited page returns everything', () => {
  const docs = [doc('old', 1, 50), doc('new', 2, 150), doc('newer', 3, 151)];
  const result = readChanges(docs, { since: 0, currentLsn: 3, maxItemCount: -1, modifiedSinceSeconds: 150 });
  assert.deepEqual(result.items.map(d => d.id), ['new', 'newer']);
});

test('TTL rules follow Cosmos DB', () => {
  const at = (ttl, ts = 1000) => ({ _ts: ts, ...(ttl === undefined ? {} : { ttl }) });
  // TTL off on the container: never expires, item ttl ignored.
  assert.equal(isExpired(undefined, at(1), 5000), false);
  assert.equal(isExpired(null, at(1), 5000), false);
  // On without default (-1): only items with their own ttl expire.
  assert.equal(isExpired(-1, at(), 5000), false);
  assert.equal(isExpired(-1, at(10), 1009), false);
  assert.equal(isExpired(-1, at(10), 1010), true);
  // Default of 60 s: items expire 60 s after their last write unless they say otherwise.
  assert.equal(isExpired(60, at(), 1059.9), false);
  assert.equal(isExpired(60, at(), 1060), true);
  assert.equal(isExpired(60, at(-1), 1e9), false);
  assert.equal(isExpired(60, at(3600), 1060), false);
  assert.equal(isExpired(60, at(5), 1005), true);
});
