'use strict';
// Pure helpers for the SQL query shims (no server state here, so they are unit-tested directly).

// The .NET SDK asks the gateway for a query plan before it runs a query (it has no local query
// parser off Windows). The server runs every query in full against its single partition range
// (ORDER BY, TOP, OFFSET/LIMIT, DISTINCT and aggregates included), so the plan declares no client
// side stage: the SDK then streams the server's pages as they are, and its own continuation
// wrapping stays a plain pass-through.
function buildQueryPlan() {
  return {
    partitionedQueryExecutionInfoVersion: 2,
    queryInfo: {
      distinctType: 'None',
      top: null,
      offset: null,
      limit: null,
      orderBy: [],
      orderByExpressions: [],
      groupByExpressions: [],
      groupByAliases: [],
      aggregates: [],
      groupByAliasToAggregateType: {},
      rewrittenQuery: '',
      hasSelectValue: false,
      dCountInfo: null,
      hasNonStreamingOrderBy: false,
    },
    queryRanges: [{ min: '', max: 'FF', isMinInclusive: true, isMaxInclusive: false }],
  };
}

// @zeit/cosmosdb-query 0.7 has no DISTINCT and no OFFSET/LIMIT. Strip them (and TOP, so that it
// applies after DISTINCT) from the SQL text; the caller applies them to the full result.
const SELECT_HEAD = /^(\s*SELECT\s+)(DISTINCT\s+)?(TOP\s+(\d+|@\w+)\s+)?/i;
const OFFSET_LIMIT = /\s+OFFSET\s+(\d+|@\w+)\s+LIMIT\s+(\d+|@\w+)\s*$/i;

function splitQuery(sql, parameters = []) {
  const param = token => {
    if (!token.startsWith('@')) return Number(token);
    const p = parameters.find(x => x.name === token);
    if (!p || typeof p.value !== 'number') throw new Error(`parameter ${token} must be a number`);
    return p.value;
  };
  let text = sql;
  let distinct = false;
  let top = null;
  let offset = 0;
  let limit = null;
  const head = SELECT_HEAD.exec(text);
  if (head && (head[2] || head[3])) {
    distinct = Boolean(head[2]);
    if (head[4]) top = param(head[4]);
    text = head[1] + text.slice(head[0].length);
  }
  const tail = OFFSET_LIMIT.exec(text);
  if (tail) {
    offset = param(tail[1]);
    limit = param(tail[2]);
    text = text.slice(0, tail.index);
  }
  return { sql: text, distinct, top, offset, limit };
}

// JSON with sorted keys, so that DISTINCT treats {a,b} and {b,a} as the same value.
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map(k => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function applyModifiers(rows, { distinct, top, offset, limit }) {
  let out = rows;
  if (distinct) {
    const seen = new Set();
    out = out.filter(r => {
      const key = canonical(r);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (offset || limit !== null) out = out.slice(offset, limit === null ? undefined : offset + limit);
  if (top !== null) out = out.slice(0, top);
  return out;
}

// Continuation paging over a result that the server computes in full for every page. The
// token is the offset of the next row: rows come in a stable order (ORDER BY, then _rid), so a
// FeedIterator reading page after page sees every row exactly once while the data is unchanged.
function encodeContinuation(offset) {
  return JSON.stringify({ offset });
}

function decodeContinuation(token) {
  if (!token) return 0;
  try {
    const { offset } = JSON.parse(token);
    if (Number.isInteger(offset) && offset >= 0) return offset;
  } catch (_) {
    // fall through
  }
  throw new Error(`invalid continuation token: ${token}`);
}

function page(rows, maxItemCount, continuation) {
  const start = decodeContinuation(continuation);
  const size = maxItemCount > 0 ? maxItemCount : rows.length;
  const items = rows.slice(start, start + size);
  const next = start + items.length < rows.length ? encodeContinuation(start + items.length) : null;
  return { items, continuation: next };
}

// The server checks multi-field ORDER BY against the container's composite indexes, like Cosmos
// DB does; Cosmos DB also serves the exact reverse of an index, so add the reversed ones.
function withReversedIndexes(compositeIndexes) {
  if (!compositeIndexes) return compositeIndexes;
  const flip = o => (o === 'descending' ? 'ascending' : 'descending');
  return compositeIndexes.concat(compositeIndexes.map(idx => idx.map(i => ({ ...i, order: flip(i.order || 'ascending') }))));
}

module.exports = { buildQueryPlan, splitQuery, applyModifiers, canonical, page, encodeContinuation, decodeContinuation, withReversedIndexes };
