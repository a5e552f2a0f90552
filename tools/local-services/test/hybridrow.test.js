'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const hr = require('../lib/hybridrow');

// A TransactionalBatch request body as Microsoft.Azure.Cosmos 3.64.0 sent it (captured once):
// create, replace with IfMatchEtag, conditional patch, read, delete, upsert; partition key "a".
const sdkRequest = fs.readFileSync(path.join(__dirname, 'fixtures', 'sdk-3.64.0-batch-request.bin'));

test('decodes the operations of a real SDK batch request', () => {
  const ops = hr.decodeBatchRequest(sdkRequest);
  assert.deepEqual(ops.map(o => o.operation), ['create', 'replace', 'patch', 'read', 'delete', 'upsert']);
  assert.deepEqual(ops.map(o => o.id), [undefined, '1', '1', '1', '2', undefined]);
  assert.ok(ops.every(o => o.resourceType === 2)); // ResourceType.Document
  assert.equal(ops[1].ifMatch, '"bogus"');
  assert.deepEqual(JSON.parse(ops[0].resourceBody), { id: '2', pk: 'a', n: 2, status: 'x' });
  assert.deepEqual(JSON.parse(ops[2].resourceBody), {
    condition: "from c where c.status = 'Active'",
    operations: [{ op: 'incr', path: '/n', value: 1 }],
  });
  assert.equal(ops[3].resourceBody, undefined);
});

test('re-encoding the decoded SDK request reproduces its bytes', () => {
  const rows = hr.decodeRecordIO(sdkRequest).map(hr.decodeRow);
  const again = hr.encodeRecordIO(rows.map(r => hr.encodeRow(hr.LAYOUTS.batchOperation, r)));
  assert.deepEqual(again, sdkRequest);
});

test('batch results round-trip through RecordIO', () => {
  const body = Buffer.from(JSON.stringify({ id: 'x', _etag: 'e1' }));
  const encoded = hr.encodeBatchResponse([
    { statusCode: 201, eTag: 'e1', resourceBody: body, requestCharge: 2.5 },
    { statusCode: 412, subStatusCode: 0 },
    { statusCode: 429, retryAfterMilliseconds: 40 },
  ]);
  assert.equal(encoded[0], 0x81);
  const rows = hr.decodeRecordIO(encoded).map(hr.decodeRow);
  assert.deepEqual(rows, [
    { statusCode: 201, subStatusCode: 0, eTag: 'e1', resourceBody: body, requestCharge: 2.5 },
    { statusCode: 412, subStatusCode: 0, requestCharge: 1 },
    { statusCode: 429, subStatusCode: 0, retryAfterMilliseconds: 40, requestCharge: 1 },
  ]);
});

test('layouts match the SDK schemas (presence bits, offsets, path tokens)', () => {
  const op = hr.LAYOUTS.batchOperation;
  assert.equal(op.bitmaskBytes, 1);
  assert.equal(op.size, 9); // 1 bitmask byte + 2 x int32
  assert.deepEqual(op.cols.map(c => [c.path, c.token]).slice(7), [
    ['indexingDirective', 8], ['ifMatch', 9], ['ifNoneMatch', 10], ['timeToLiveInSeconds', 11], ['minimalReturnPreference', 12],
  ]);
  assert.equal(hr.LAYOUTS.record.bitmaskBytes, 0); // non-nullable columns have no presence bit
  assert.equal(hr.LAYOUTS.record.size, 8);
});

test('sparse booleans, int32 and literal (untokenized) paths decode', () => {
  const row = hr.encodeRow(hr.LAYOUTS.batchOperation, { operationType: 2, resourceType: 2, id: 'a', minimalReturnPreference: true, timeToLiveInSeconds: -1 });
  const literalPath = Buffer.from('extra', 'utf8');
  // type code utf8, path = varuint(13 tokens + length) + bytes, value = varuint length + bytes
  const literal = Buffer.concat([Buffer.from([20, 13 + literalPath.length]), literalPath, Buffer.from([2]), Buffer.from('hi')]);
  const decoded = hr.decodeRow(Buffer.concat([row, literal]));
  assert.equal(decoded.minimalReturnPreference, true);
  assert.equal(decoded.timeToLiveInSeconds, -1);
  assert.equal(decoded.extra, 'hi');
});

test('a corrupted record fails its CRC check', () => {
  const encoded = Buffer.from(hr.encodeBatchResponse([{ statusCode: 200, eTag: 'abc' }]));
  encoded[encoded.length - 10] ^= 0xff;
  assert.throws(() => hr.decodeRecordIO(encoded), /CRC/);
});

test('crc32 is the ISO 3309 CRC-32 (zlib and the fallback table agree)', () => {
  assert.equal(hr.crc32(Buffer.from('123456789')) >>> 0, 0xcbf43926);
  assert.equal(hr.tableCrc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(hr.tableCrc32(sdkRequest), hr.crc32(sdkRequest) >>> 0);
});
