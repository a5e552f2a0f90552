'use strict';
// Minimal HybridRow + RecordIO codec for the Cosmos DB batch API.
//
// Why: the .NET SDK sends TransactionalBatch and bulk requests as a HybridRow RecordIO stream and
// parses the response only in that format, while @vercel/cosmosdb-server only speaks the JSON batch
// format of the JS SDK. Only the two batch schemas (and the RecordIO framing) are supported.
//
// Format (microsoft/HybridRow, Layouts/LayoutBuilder.cs, RowBuffer.cs, RecordIO/RecordIOParser.cs):
//   row     = version byte 0x81, int32 schema id, presence bitmask, fixed columns, present variable
//             columns (varuint length + bytes, in schema order), then sparse fields
//             (type code byte, path, value). Nullable fixed and all variable columns own one
//             presence bit each, allocated in schema order. Sparse paths are varuint tokens: schema
//             columns are tokens 1..n in schema order (0 is the empty string); a longer literal path
//             is written as varuint(n + 1 + byteLength) followed by its UTF-8 bytes.
//   stream  = segment row (schema 2147473648: nullable int32 `length` = its own size), then per record
//             a record header row (schema 2147473649: non-nullable int32 `length`, uint32 `crc32`
//             = CRC-32 of the body) followed by the body row. All integers little-endian.
const zlib = require('zlib');

const HYBRIDROW_V1 = 0x81;
const SCHEMA = {
  segment: 2147473648,
  record: 2147473649,
  batchOperation: 2145473648,
  batchResult: 2145473649,
};

// LayoutCode values used by the batch schemas.
const CODE = { null: 1, boolFalse: 2, boolTrue: 3, int32: 7, uint32: 11, float64: 16, utf8: 20, binary: 21 };
const FIXED_SIZE = { int32: 4, uint32: 4, float64: 8 };

// Builds the physical layout of a schema the way LayoutBuilder does.
// columns: [path, storage ('fixed' | 'var' | 'sparse'), type, nullable = true]
function layout(schemaId, columns) {
  let bits = 0;
  let fixedSize = 0;
  const cols = columns.map(([path, storage, type, nullable = true]) => {
    const col = { path, storage, type, token: 0, bit: -1, offset: -1 };
    if (storage === 'fixed') {
      if (nullable) col.bit = bits++;
      col.offset = fixedSize;
      fixedSize += FIXED_SIZE[type];
    }
    return col;
  });
  cols.filter(c => c.storage === 'var').forEach(c => { c.bit = bits++; });
  const bitmaskBytes = Math.ceil(bits / 8);
  cols.filter(c => c.storage === 'fixed').forEach(c => { c.offset += bitmaskBytes; });
  // Path tokens follow the layout's column order: fixed, then variable, then sparse columns.
  ['fixed', 'var', 'sparse'].flatMap(s => cols.filter(c => c.storage === s)).forEach((c, i) => { c.token = i + 1; });
  return { schemaId, cols, bitmaskBytes, size: bitmaskBytes + fixedSize, byToken: new Map(cols.map(c => [c.token, c])) };
}

const LAYOUTS = {
  segment: layout(SCHEMA.segment, [['length', 'fixed', 'int32'], ['comment', 'sparse', 'utf8'], ['sdl', 'sparse', 'utf8']]),
  record: layout(SCHEMA.record, [['length', 'fixed', 'int32', false], ['crc32', 'fixed', 'uint32', false]]),
  batchOperation: layout(SCHEMA.batchOperation, [
    ['operationType', 'fixed', 'int32'],
    ['resourceType', 'fixed', 'int32'],
    ['partitionKey', 'var', 'utf8'],
    ['effectivePartitionKey', 'var', 'binary'],
    ['id', 'var', 'utf8'],
    ['binaryId', 'var', 'binary'],
    ['resourceBody', 'var', 'binary'],
    ['indexingDirective', 'sparse', 'utf8'],
    ['ifMatch', 'sparse', 'utf8'],
    ['ifNoneMatch', 'sparse', 'utf8'],
    ['timeToLiveInSeconds', 'sparse', 'int32'],
    ['minimalReturnPreference', 'sparse', 'bool'],
  ]),
  batchResult: layout(SCHEMA.batchResult, [
    ['statusCode', 'fixed', 'int32'],
    ['subStatusCode', 'fixed', 'int32'],
    ['eTag', 'var', 'utf8'],
    ['resourceBody', 'var', 'binary'],
    ['retryAfterMilliseconds', 'sparse', 'uint32'],
    ['requestCharge', 'sparse', 'float64'],
  ]),
};
const LAYOUT_BY_ID = new Map(Object.values(LAYOUTS).map(l => [l.schemaId, l]));

function writeVarUint(out, value) {
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function readVarUint(buf, pos) {
  let value = 0;
  let scale = 1;
  let p = pos;
  for (;;) {
    if (p >= buf.length) throw new Error('HybridRow: truncated varint');
    const b = buf[p++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, p];
    scale *= 128;
  }
}

function readFixed(buf, pos, type) {
  switch (type) {
    case 'int32': return buf.readInt32LE(pos);
    case 'uint32': return buf.readUInt32LE(pos);
    case 'float64': return buf.readDoubleLE(pos);
    default: throw new Error(`HybridRow: unsupported fixed type ${type}`);
  }
}

function fixedBytes(type, value) {
  const b = Buffer.alloc(FIXED_SIZE[type]);
  if (type === 'int32') b.writeInt32LE(value);
  else if (type === 'uint32') b.writeUInt32LE(value >>> 0);
  else b.writeDoubleLE(value);
  return b;
}

function lengthPrefixed(value) {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
  const prefix = [];
  writeVarUint(prefix, bytes.length);
  return Buffer.concat([Buffer.from(prefix), bytes]);
}

// Decodes one row into a plain object (utf8 -> string, binary -> Buffer).
function decodeRow(buf) {
  if (buf.length < 5 || buf[0] !== HYBRIDROW_V1) throw new Error('HybridRow: not a V1 row');
  const lay = LAYOUT_BY_ID.get(buf.readInt32LE(1));
  if (!lay) throw new Error(`HybridRow: unknown schema ${buf.readInt32LE(1)}`);
  const base = 5;
  const present = c => c.bit < 0 || (buf[base + (c.bit >> 3)] & (1 << (c.bit & 7))) !== 0;
  const row = {};
  let pos = base + lay.size;
  for (const c of lay.cols) {
    if (c.storage === 'fixed' && present(c)) row[c.path] = readFixed(buf, base + c.offset, c.type);
    if (c.storage === 'var' && present(c)) {
      const [len, p] = readVarUint(buf, pos);
      const bytes = buf.subarray(p, p + len);
      row[c.path] = c.type === 'utf8' ? bytes.toString('utf8') : Buffer.from(bytes);
      pos = p + len;
    }
  }
  while (pos < buf.length) {
    const code = buf[pos++];
    let path;
    let token;
    [token, pos] = readVarUint(buf, pos);
    if (token <= lay.cols.length) {
      path = token === 0 ? '' : lay.byToken.get(token).path;
    } else {
      const len = token - (lay.cols.length + 1);
      path = buf.toString('utf8', pos, pos + len);
      pos += len;
    }
    switch (code) {
      case CODE.null: row[path] = null; break;
      case CODE.boolFalse: row[path] = false; break;
      case CODE.boolTrue: row[path] = true; break;
      case CODE.int32: row[path] = buf.readInt32LE(pos); pos += 4; break;
      case CODE.uint32: row[path] = buf.readUInt32LE(pos); pos += 4; break;
      case CODE.float64: row[path] = buf.readDoubleLE(pos); pos += 8; break;
      case CODE.utf8:
      case CODE.binary: {
        const [len, p] = readVarUint(buf, pos);
        row[path] = code === CODE.utf8 ? buf.toString('utf8', p, p + len) : Buffer.from(buf.subarray(p, p + len));
        pos = p + len;
        break;
      }
      default: throw new Error(`HybridRow: unsupported sparse type code ${code}`);
    }
  }
  return row;
}

// Encodes a plain object as a row of the given layout; undefined/null values are left out.
function encodeRow(lay, values) {
  const head = Buffer.alloc(5 + lay.size);
  head[0] = HYBRIDROW_V1;
  head.writeInt32LE(lay.schemaId, 1);
  const parts = [head];
  const setBit = bit => { if (bit >= 0) head[5 + (bit >> 3)] |= 1 << (bit & 7); };
  for (const c of lay.cols) {
    const v = values[c.path];
    if (c.storage === 'fixed') {
      if (v === undefined || v === null) continue;
      fixedBytes(c.type, v).copy(head, 5 + c.offset);
      setBit(c.bit);
    } else if (c.storage === 'var' && v !== undefined && v !== null) {
      parts.push(lengthPrefixed(v));
      setBit(c.bit);
    }
  }
  for (const c of lay.cols) {
    const v = values[c.path];
    if (c.storage !== 'sparse' || v === undefined || v === null) continue;
    const meta = [];
    if (c.type === 'bool') meta.push(v ? CODE.boolTrue : CODE.boolFalse);
    else meta.push(CODE[c.type]);
    writeVarUint(meta, c.token);
    parts.push(Buffer.from(meta));
    if (c.type === 'utf8' || c.type === 'binary') parts.push(lengthPrefixed(v));
    else if (c.type !== 'bool') parts.push(fixedBytes(c.type, v));
  }
  return Buffer.concat(parts);
}

// CRC-32 (ISO 3309) of a record body. zlib.crc32 exists from Node 20.15; the table version is the
// fallback for older releases.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function tableCrc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
const crc32 = zlib.crc32 || tableCrc32;

// Splits a RecordIO stream into its record bodies (segments are skipped), checking each CRC.
function decodeRecordIO(buf) {
  const records = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] !== HYBRIDROW_V1) throw new Error('RecordIO: bad row version');
    const schemaId = buf.readInt32LE(pos + 1);
    if (schemaId === SCHEMA.segment) {
      const seg = decodeRow(buf.subarray(pos, pos + 5 + LAYOUTS.segment.size));
      pos += seg.length;
    } else if (schemaId === SCHEMA.record) {
      const hdrSize = 5 + LAYOUTS.record.size;
      const hdr = decodeRow(buf.subarray(pos, pos + hdrSize));
      const body = buf.subarray(pos + hdrSize, pos + hdrSize + hdr.length);
      if (body.length !== hdr.length) throw new Error('RecordIO: truncated record');
      if (crc32(body) >>> 0 !== hdr.crc32) throw new Error('RecordIO: CRC mismatch');
      records.push(body);
      pos += hdrSize + hdr.length;
    } else {
      throw new Error(`RecordIO: unexpected schema ${schemaId}`);
    }
  }
  return records;
}

function encodeRecordIO(bodies) {
  const segment = encodeRow(LAYOUTS.segment, { length: 5 + LAYOUTS.segment.size });
  const parts = [segment];
  for (const body of bodies) {
    parts.push(encodeRow(LAYOUTS.record, { length: body.length, crc32: crc32(body) >>> 0 }), body);
  }
  return Buffer.concat(parts);
}

// Operation type numbers of Microsoft.Azure.Documents.OperationType used by batch requests.
const OPERATION_TYPE = { 0: 'create', 1: 'patch', 2: 'read', 4: 'delete', 5: 'replace', 20: 'upsert' };

function decodeBatchRequest(buf) {
  return decodeRecordIO(buf).map(body => {
    const row = decodeRow(body);
    return { ...row, operation: OPERATION_TYPE[row.operationType] || `unknown(${row.operationType})` };
  });
}

// results: [{ statusCode, subStatusCode?, eTag?, resourceBody? (Buffer|string), requestCharge? }]
function encodeBatchResponse(results) {
  return encodeRecordIO(results.map(r => encodeRow(LAYOUTS.batchResult, {
    statusCode: r.statusCode,
    subStatusCode: r.subStatusCode || 0,
    eTag: r.eTag,
    resourceBody: r.resourceBody,
    retryAfterMilliseconds: r.retryAfterMilliseconds,
    requestCharge: r.requestCharge === undefined ? 1 : r.requestCharge,
  })));
}

module.exports = {
  SCHEMA, LAYOUTS, OPERATION_TYPE, crc32, tableCrc32,
  decodeRow, encodeRow, decodeRecordIO, encodeRecordIO, decodeBatchRequest, encodeBatchResponse,
};
