#!/usr/bin/env node
'use strict';
// Local Cosmos DB (NoSQL API) for development and tests.
//
// Starts @vercel/cosmosdb-server (in-memory, HTTPS with the package's self-signed certificate)
// from code with keep-alive (its CLI closes the connection after every request, so each call
// would pay a TLS handshake), and puts in front of its request handler the shims the .NET SDK
// (Microsoft.Azure.Cosmos 3.x, Gateway mode) needs. Each shim below says why it exists; everything
// else goes to the package's own handler. The package's store, handlers and query engine are
// reused, not copied.
//
// Usage: node cosmos-server.js [--port 8081] [--host 127.0.0.1]   (env COSMOS_PORT, COSMOS_HOST)
const path = require('path');
const { randomUUID } = require('crypto');
const { buildQueryPlan, splitQuery, applyModifiers, page, withReversedIndexes } = require('./lib/query');
const { startLsn, readChanges, isExpired } = require('./lib/change-feed');
const { decodeBatchRequest, encodeBatchResponse } = require('./lib/hybridrow');
const { skipSlashRids } = require('./lib/resource-ids');

const serverDir = path.dirname(require.resolve('@vercel/cosmosdb-server/package.json'));
const serverLib = name => require(path.join(serverDir, 'lib', name));
const queryDir = path.dirname(require.resolve('@zeit/cosmosdb-query/package.json', { paths: [serverDir] }));
const { createHttpsServer } = serverLib('index');
const accountModule = serverLib('account/index');
const Documents = serverLib('account/documents').default;
const Items = serverLib('account/items').default;
const documentOperations = serverLib('handler/_document-operations');
const { patchOperation } = serverLib('handler/_patch-operations');
const { parsePartitionKey } = serverLib('utils/get-partition-from-header');
const getValue = serverLib('utils/get-value').default;
const builtinFunctions = require(path.join(queryDir, 'lib', 'builtin-functions'));

// ---------------------------------------------------------------------------------------------
// Hooks into the package's model (installed once, before the server starts).

// The package creates its Account (the whole in-memory store) inside its request-handler closure;
// a subclass keeps a reference so the shims can reach the same store.
let account = null;
const BaseAccount = accountModule.default;
accountModule.default = class extends BaseAccount {
  constructor(...args) {
    super(...args);
    account = this;
  }
};

// Resource ids: the package's base64 rids can contain '/', which breaks the rid-addressed routes the
// SDK uses for queries (partition key ranges) in that database; see lib/resource-ids.js.
skipSlashRids(serverLib('account/databases').default);
skipSlashRids(serverLib('account/collections').default);

// Change feed: every create/replace/upsert/patch/batch write goes through Items._set; stamp the
// document with the container's next LSN there.
const baseSet = Items.prototype._set;
Documents.prototype._set = function setWithLsn(data) {
  this._lsn = (this._lsn || 0) + 1;
  return baseSet.call(this, { ...data, _lsn: this._lsn });
};

// TTL: every point lookup (read, replace, patch, delete, unique-key checks) goes through
// Items._item; an expired document is purged there, so it reads as missing everywhere.
const nowSeconds = () => Date.now() / 1000;
const defaultTtlOf = documents => (documents._parent.read() || {}).defaultTtl;
function purge(documents, doc) {
  const partition = documents._getPartition(doc);
  for (const keyPath of documents._uniqueKeyPaths) {
    const value = getValue(keyPath.slice(1).split('/'), doc);
    documents._index.delete(documents._getId(keyPath, value, partition));
  }
  documents._data.delete(doc._rid);
}
const baseItem = Items.prototype._item;
Documents.prototype._item = function itemUnlessExpired(keyPath, value, partition) {
  const item = baseItem.call(this, keyPath, value, partition);
  const doc = item.read();
  if (doc && isExpired(defaultTtlOf(this), doc, nowSeconds())) {
    purge(this, doc);
    return this._newItem();
  }
  return item;
};

// All live documents of a container (expired ones are purged lazily here too).
function liveDocuments(documents, filter) {
  const defaultTtl = defaultTtlOf(documents);
  const now = nowSeconds();
  const out = [];
  for (const item of [...documents._data.values()]) {
    const doc = item.read();
    if (isExpired(defaultTtl, doc, now)) purge(documents, doc);
    else if (!filter || filter(doc)) out.push(doc);
  }
  return out;
}

// CONTAINS / STARTSWITH / ENDSWITH take an optional third argument (ignore case) in Cosmos DB;
// the engine only accepts two (the SDK's LINQ emits the third for StringComparison.*IgnoreCase).
const stringTest = test => (a, b, ignoreCase) => {
  if (typeof a !== 'string' || typeof b !== 'string') return undefined;
  return ignoreCase === true ? test(a.toLowerCase(), b.toLowerCase()) : test(a, b);
};
builtinFunctions.CONTAINS = stringTest((a, b) => a.includes(b));
builtinFunctions.STARTSWITH = stringTest((a, b) => a.startsWith(b));
builtinFunctions.ENDSWITH = stringTest((a, b) => a.endsWith(b));

// ---------------------------------------------------------------------------------------------
// Request plumbing.

const PK_HEADER = 'x-ms-documentdb-partitionkey';
const isTrue = (req, name) => String(req.headers[name] || '').toLowerCase() === 'true';
const maxItemCountOf = req => Number.parseInt(req.headers['x-ms-max-item-count'] || '-1', 10);

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res, { status = 200, body, headers = {} }) {
  res.statusCode = status;
  res.setHeader('content-type', Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json');
  res.setHeader('connection', 'keep-alive');
  res.setHeader('x-ms-activity-id', randomUUID());
  res.setHeader('x-ms-request-charge', '1');
  if (body && body._etag) res.setHeader('etag', body._etag);
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && v !== null) res.setHeader(k, v);
  const empty = body === undefined || status === 204 || status === 304;
  res.end(empty ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

const error = (status, code, message) => ({ status, body: { code, message } });
const notFound = () => error(404, 'NotFound', 'Entity with the specified id does not exist in the system.');

// Filter for the partition key header (["v"], hierarchical ["a","b"], [{}] = PartitionKey.None).
function partitionFilter(documents, header) {
  if (!header) return null;
  let values = JSON.parse(header);
  if (!Array.isArray(values)) values = [values];
  const paths = documents._partitionKeyPath.map(p => p.slice(1).split('/'));
  const isNone = v => v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
  return doc => values.every((v, i) => {
    if (!paths[i]) return true;
    const actual = getValue(paths[i], doc);
    return isNone(v) ? actual === undefined : JSON.stringify(actual) === JSON.stringify(v);
  });
}

// ---------------------------------------------------------------------------------------------
// Shims. Each gets { req, body, collection, documents, docId } and returns { status, body, headers }.

// Query plan: see lib/query.js (the server executes the whole query itself).
function queryPlan() {
  return { body: buildQueryPlan() };
}

// Queries: the package ignores the partition-key header (a partition-scoped query would see the
// whole container) and has no DISTINCT, OFFSET/LIMIT or SDK-style paging; run the query with the
// package's engine over the scoped documents and page the full result by offset.
function runQuery(documents, spec, req) {
  const { sql, ...modifiers } = splitQuery(spec.query, spec.parameters || []);
  const collection = documents._parent.read();
  const docs = liveDocuments(documents, partitionFilter(documents, req.headers[PK_HEADER]));
  const { result } = documents._getQuery(sql).exec(docs, {
    parameters: spec.parameters || [],
    udf: documents._userDefinedFunctions(),
    compositeIndexes: withReversedIndexes((collection.indexingPolicy || {}).compositeIndexes),
  });
  const { items, continuation } = page(applyModifiers(result, modifiers), maxItemCountOf(req), req.headers['x-ms-continuation']);
  return {
    body: { _rid: collection._rid, Documents: items, _count: items.length },
    headers: { 'x-ms-item-count': String(items.length), 'x-ms-continuation': continuation },
  };
}

function query({ req, body, documents }) {
  try {
    return runQuery(documents, JSON.parse(body.toString('utf8')), req);
  } catch (err) {
    return error(400, 'BadRequest', err.message);
  }
}

// GET .../docs: with A-IM it is the change feed (the package answers it with every document and
// a constant ETag, so the SDK would loop on or miss changes); without it a read feed, which goes
// through the query path so that partition scoping, TTL and paging match.
function readFeed({ req, documents }) {
  if (!req.headers['a-im']) return query({ req, documents, body: Buffer.from('{"query":"SELECT * FROM c"}') });
  const currentLsn = documents._lsn || 0;
  let since;
  try {
    since = startLsn(req.headers['if-none-match'], currentLsn);
  } catch (err) {
    return error(400, 'BadRequest', err.message);
  }
  const modifiedSince = req.headers['if-modified-since'] ? Date.parse(req.headers['if-modified-since']) / 1000 : null;
  const docs = liveDocuments(documents, partitionFilter(documents, req.headers[PK_HEADER]));
  const { items, etag } = readChanges(docs, { since, currentLsn, maxItemCount: maxItemCountOf(req), modifiedSinceSeconds: modifiedSince });
  // The SDK parses x-ms-item-count on 304 answers too.
  if (!items.length) return { status: 304, headers: { etag, 'x-ms-item-count': '0' } };
  return {
    body: { _rid: documents._parent.read()._rid, Documents: items, _count: items.length },
    headers: { etag, 'x-ms-item-count': String(items.length) },
  };
}

// Point read: the package answers a missing item with a 500 (TypeError), the SDK needs a 404.
function readItem({ req, collection, docId }) {
  const doc = collection.document(docId, parsePartitionKey(req.headers[PK_HEADER] || '[{}]', docId)).read();
  if (!doc) return notFound();
  if (req.headers['if-none-match'] && req.headers['if-none-match'] === doc._etag) return { status: 304, headers: { etag: doc._etag } };
  return { body: doc };
}

// Patch (also used by batches): the package lower-cases the whole filter predicate of a
// conditional patch, string literals included ("'Active'" would never match). Evaluate the
// predicate as written against the one document, then let the package apply the operations.
function patchDocument(collection, { id, partitionKey, ifMatch, operations, condition }) {
  const documents = collection.documents;
  const doc = collection.document(id, parsePartitionKey(partitionKey || '[{}]', id)).read();
  if (!doc) return notFound();
  if (ifMatch && ifMatch !== doc._etag) return error(412, 'PreconditionFailed', 'Operation cannot be performed because one of the specified precondition is not met.');
  if (condition) {
    let matched;
    try {
      matched = documents._getQuery(`SELECT VALUE 1 ${condition}`).exec([doc], {}).result.length > 0;
    } catch (err) {
      return error(400, 'BadRequest', `Invalid condition in patch request: ${err.message}`);
    }
    if (!matched) return error(412, 'PreconditionFailed', 'Condition specified in the patch request is not satisfied.');
  }
  const { statusCode, body } = patchOperation(collection, { id, partitionKey: partitionKey || '[{}]', ifMatch, operations });
  return { status: statusCode, body };
}

function patchItem({ req, body, collection, docId }) {
  const spec = JSON.parse(body.toString('utf8'));
  const operations = Array.isArray(spec) ? spec : spec.operations;
  if (!Array.isArray(operations)) return error(400, 'BadRequest', 'Invalid patch request: check syntax of patch specification.');
  return patchDocument(collection, {
    id: docId, partitionKey: req.headers[PK_HEADER], ifMatch: req.headers['if-match'], operations, condition: spec.condition,
  });
}

// TransactionalBatch and bulk: the .NET SDK sends HybridRow RecordIO (lib/hybridrow.js) and
// parses only that format back. Atomic batches run all-or-nothing: on the first failing
// operation the container's maps are restored from a snapshot taken before the batch (the store
// is plain Maps and the batch runs synchronously, so nothing else can interleave).
function runOperation(collection, op, fallbackPartitionKey) {
  const partitionKey = op.partitionKey || fallbackPartitionKey;
  const resourceBody = op.resourceBody ? JSON.parse(op.resourceBody.toString('utf8')) : undefined;
  const input = { partitionKey, id: op.id, ifMatch: op.ifMatch, resourceBody };
  switch (op.operation) {
    case 'create': return documentOperations.createOperation(collection, input);
    case 'read': return documentOperations.readOperation(collection, input);
    case 'delete': return documentOperations.deleteOperation(collection, input);
    case 'replace': return documentOperations.replaceOperation(collection, input);
    case 'upsert': return documentOperations.upsertOperation(collection, input);
    case 'patch': {
      const { status, body } = patchDocument(collection, { ...input, operations: resourceBody.operations, condition: resourceBody.condition });
      return { statusCode: status, body };
    }
    default: return { statusCode: 400, body: { message: `unsupported batch operation ${op.operation}` } };
  }
}

function batch({ req, body, collection, documents }) {
  const ops = decodeBatchRequest(body);
  const atomic = isTrue(req, 'x-ms-cosmos-batch-atomic');
  const continueOnError = isTrue(req, 'x-ms-cosmos-batch-continue-on-error');
  const snapshot = atomic && { data: new Map(documents._data), index: new Map(documents._index), ridCount: documents._ridCount, lsn: documents._lsn };
  const results = [];
  let failed = false;
  for (const op of ops) {
    if (failed && !continueOnError) {
      results.push({ statusCode: 424 });
      continue;
    }
    let r;
    try {
      r = runOperation(collection, op, req.headers[PK_HEADER]);
    } catch (err) {
      r = { statusCode: 400, body: { message: err.message } };
    }
    if (r.statusCode >= 400) {
      failed = true;
      results.push({ statusCode: r.statusCode });
    } else {
      const doc = r.body && r.body._etag ? r.body : undefined;
      results.push({
        statusCode: r.statusCode,
        eTag: doc && doc._etag,
        resourceBody: doc && !op.minimalReturnPreference ? Buffer.from(JSON.stringify(doc)) : undefined,
      });
    }
  }
  if (failed && atomic) {
    Object.assign(documents, { _data: snapshot.data, _index: snapshot.index, _ridCount: snapshot.ridCount, _lsn: snapshot.lsn });
    results.forEach(r => {
      if (r.statusCode < 400) Object.assign(r, { statusCode: 424, eTag: undefined, resourceBody: undefined });
    });
  }
  return { status: failed ? 207 : 200, body: encodeBatchResponse(results) };
}

// ---------------------------------------------------------------------------------------------
// Routing: only these requests are taken over; everything else goes to the package's handler.

const DOCS = /^\/+dbs\/([^/]+)\/colls\/([^/]+)\/docs\/?$/;
const DOC = /^\/+dbs\/([^/]+)\/colls\/([^/]+)\/docs\/([^/]+)\/?$/;

function shimFor(req, pathname) {
  const contentType = String(req.headers['content-type'] || '');
  let m = DOCS.exec(pathname);
  if (m && req.method === 'POST') {
    if (isTrue(req, 'x-ms-cosmos-is-query-plan-request')) return [queryPlan, m];
    if (isTrue(req, 'x-ms-documentdb-isquery') || contentType.startsWith('application/query+json')) return [query, m];
    if (isTrue(req, 'x-ms-cosmos-is-batch-request')) return [batch, m];
  }
  if (m && req.method === 'GET') return [readFeed, m];
  m = DOC.exec(pathname);
  if (m && req.method === 'GET') return [readItem, m];
  if (m && req.method === 'PATCH') return [patchItem, m];
  return null;
}

function createServer() {
  const server = createHttpsServer({ keepAlive: true });
  // .NET keeps idle pooled connections for up to a minute; stay open longer than that so that
  // the client never sends on a socket the server is closing.
  server.keepAliveTimeout = 120 * 1000;
  server.headersTimeout = 125 * 1000;
  const [packageHandler] = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', async (req, res) => {
    const pathname = new URL(req.url, 'https://localhost').pathname;
    const shim = shimFor(req, pathname);
    if (process.env.COSMOS_DEBUG) console.log(req.method, req.url, shim ? shim[0].name : 'package');
    if (!shim) return packageHandler(req, res);
    try {
      const [handler, [, dbId, collId, docId]] = shim;
      const body = await readBody(req);
      if (handler === queryPlan) return send(res, queryPlan());
      const collection = account.database(decodeURIComponent(dbId)).collection(decodeURIComponent(collId));
      if (!collection.read()) return send(res, notFound());
      return send(res, handler({
        req, body, collection, documents: collection.documents, docId: docId && decodeURIComponent(docId),
      }));
    } catch (err) {
      console.error(err);
      if (!res.headersSent) send(res, error(500, 'InternalServerError', err.message));
      return undefined;
    }
  });
  return server;
}

function parseArgs(argv) {
  const args = { port: Number(process.env.COSMOS_PORT || 8081), host: process.env.COSMOS_HOST || '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port' || argv[i] === '-p') args.port = Number(argv[++i]);
    else if (argv[i] === '--host') args.host = argv[++i];
  }
  return args;
}

if (require.main === module) {
  const { port, host } = parseArgs(process.argv.slice(2));
  const server = createServer();
  server.listen(port, host, () => console.log(`Cosmos DB (cosmosdb-server + .NET SDK shims) listening on https://${host}:${port}/`));
  // The store is in memory only: nothing to flush, so drop open keep-alive sockets and exit.
  const stop = () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

module.exports = { createServer };
