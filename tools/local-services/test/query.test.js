'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const q = require('../lib/query');

test('the query plan declares no client-side stage over the single full range', () => {
  const plan = q.buildQueryPlan();
  assert.equal(plan.partitionedQueryExecutionInfoVersion, 2);
  const info = plan.queryInfo;
  assert.equal(info.distinctType, 'None');
  assert.deepEqual([info.top, info.offset, info.limit], [null, null, null]);
  assert.deepEqual([info.orderBy, info.orderByExpressions, info.aggregates, info.groupByExpressions], [[], [], [], []]);
  assert.equal(info.rewrittenQuery, '');
  assert.deepEqual(plan.queryRanges, [{ min: '', max: 'FF', isMinInclusive: true, isMaxInclusive: false }]);
  assert.doesNotThrow(() => JSON.stringify(plan));
});

test('splitQuery leaves plain queries alone', () => {
  const sql = "SELECT * FROM c WHERE c.name = 'OFFSET 1 LIMIT 2 in a string' ORDER BY c.x";
  assert.deepEqual(q.splitQuery(sql), { sql, distinct: false, top: null, offset: 0, limit: null });
});

test('splitQuery extracts DISTINCT, TOP and OFFSET/LIMIT (literals and parameters)', () => {
  assert.deepEqual(q.splitQuery('SELECT DISTINCT VALUE c.category FROM c'), {
    sql: 'SELECT VALUE c.category FROM c', distinct: true, top: null, offset: 0, limit: null,
  });
  assert.deepEqual(q.splitQuery('select top 5 * from c order by c.price desc'), {
    sql: 'select * from c order by c.price desc', distinct: false, top: 5, offset: 0, limit: null,
  });
  assert.deepEqual(q.splitQuery('SELECT DISTINCT TOP @n VALUE root FROM root', [{ name: '@n', value: 3 }]), {
    sql: 'SELECT VALUE root FROM root', distinct: true, top: 3, offset: 0, limit: null,
  });
  assert.deepEqual(q.splitQuery('SELECT VALUE root FROM root ORDER BY root["price"] ASC OFFSET @s LIMIT 10 ', [{ name: '@s', value: 20 }]), {
    sql: 'SELECT VALUE root FROM root ORDER BY root["price"] ASC', distinct: false, top: null, offset: 20, limit: 10,
  });
  assert.throws(() => q.splitQuery('SELECT * FROM c OFFSET @missing LIMIT 1'), /@missing/);
});

test('applyModifiers: DISTINCT by value (key order ignored), then OFFSET/LIMIT, then TOP', () => {
  const rows = [{ a: 1, b: 2 }, { b: 2, a: 1 }, 'x', 'x', 3, { a: 1 }];
  assert.deepEqual(q.applyModifiers(rows, { distinct: true, top: null, offset: 0, limit: null }), [{ a: 1, b: 2 }, 'x', 3, { a: 1 }]);
  assert.deepEqual(q.applyModifiers([1, 2, 3, 4, 5], { distinct: false, top: null, offset: 1, limit: 2 }), [2, 3]);
  assert.deepEqual(q.applyModifiers([1, 1, 2, 3], { distinct: true, top: 2, offset: 0, limit: null }), [1, 2]);
  assert.deepEqual(q.applyModifiers([1, 2], { distinct: false, top: null, offset: 5, limit: 3 }), []);
});

test('paging by continuation returns every row exactly once', () => {
  const rows = Array.from({ length: 23 }, (_, i) => ({ id: `r${i}` }));
  const seen = [];
  let continuation = null;
  let pages = 0;
  do {
    const result = q.page(rows, 5, continuation);
    seen.push(...result.items);
    continuation = result.continuation;
    pages += 1;
  } while (continuation);
  assert.equal(pages, 5);
  assert.deepEqual(seen, rows);
  assert.deepEqual(q.page(rows, -1, null), { items: rows, continuation: null });
  assert.deepEqual(q.page([], 10, null), { items: [], continuation: null });
});

test('continuation tokens are validated', () => {
  assert.equal(q.decodeContinuation(q.encodeContinuation(42)), 42);
  assert.equal(q.decodeContinuation(undefined), 0);
  assert.throws(() => q.decodeContinuation('+RID:abc'), /invalid continuation/);
  assert.throws(() => q.decodeContinuation('{"offset":-1}'), /invalid continuation/);
});

test('composite indexes are also offered in reverse', () => {
  const index = [[{ path: '/a', order: 'ascending' }, { path: '/b', order: 'descending' }]];
  assert.deepEqual(q.withReversedIndexes(index), [
    [{ path: '/a', order: 'ascending' }, { path: '/b', order: 'descending' }],
    [{ path: '/a', order: 'descending' }, { path: '/b', order: 'ascending' }],
  ]);
  assert.equal(q.withReversedIndexes(undefined), undefined);
});
