'use strict';
// Pure helpers for the incremental change feed and TTL shims.
//
// Every document write gets the next log sequence number (`_lsn`) of its container (the server
// keeps no history, so the feed holds the latest version of each live document, which is what
// Cosmos DB's LatestVersion / Incremental mode returns). The ETag of a feed response is the LSN up
// to which the caller has read; the SDK sends it back in If-None-Match as its continuation.

// If-None-Match: absent = from the beginning, '*' = from now, '"<lsn>"' = after that LSN.
function startLsn(ifNoneMatch, currentLsn) {
  if (!ifNoneMatch) return 0;
  if (ifNoneMatch === '*') return currentLsn;
  const lsn = Number.parseInt(String(ifNoneMatch).replace(/"/g, ''), 10);
  if (!Number.isFinite(lsn) || lsn < 0) throw new Error(`invalid change feed continuation: ${ifNoneMatch}`);
  return lsn;
}

// docs: live documents of the scope (partition key or whole container); returns the next page
// and the ETag to continue from. No items means "not modified" (HTTP 304) with etag = currentLsn.
function readChanges(docs, { since, currentLsn, maxItemCount, modifiedSinceSeconds = null }) {
  const changed = docs
    .filter(d => d._lsn > since && (modifiedSinceSeconds === null || d._ts >= modifiedSinceSeconds))
    .sort((a, b) => a._lsn - b._lsn);
  const items = maxItemCount > 0 ? changed.slice(0, maxItemCount) : changed;
  const etag = items.length ? items[items.length - 1]._lsn : Math.max(since, currentLsn);
  return { items, etag: `"${etag}"` };
}

// Cosmos DB TTL rules: no container DefaultTimeToLive (null/undefined) = TTL off, item `ttl`
// ignored; -1 = on without a default; n > 0 = default of n seconds. An item `ttl` of -1 never
// expires, n > 0 overrides the default. Expiry counts from the last write (`_ts`, seconds).
function isExpired(defaultTtl, doc, nowSeconds) {
  if (defaultTtl === undefined || defaultTtl === null) return false;
  const ttl = typeof doc.ttl === 'number' && doc.ttl !== 0 ? doc.ttl : defaultTtl;
  if (ttl < 0) return false;
  return doc._ts + ttl <= nowSeconds;
}

module.exports = { startLsn, readChanges, isExpired };
