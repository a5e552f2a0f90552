'use strict';
// Resource ids without '/'.
//
// The package encodes rids in standard base64, so every 64th database (counter value n with
// n % 64 == 63, and a few more) and some collections get a '/' in their rid. The .NET SDK
// addresses partition key ranges by rid (GET /dbs/{dbRid}/colls/{collRid}/pkranges); a '/' splits
// that path, the request fails and so does every query in that database ("failed due to stale
// cache"). Cosmos DB never issues such rids. skipSlashRids wraps a model class's _rid so the
// counter skips values whose rid would contain '/'.

/** Wraps Cls.prototype._rid(id): while the rid has a '/', take the next value of this._ridCount. */
function skipSlashRids(Cls) {
  const baseRid = Cls.prototype._rid;
  Cls.prototype._rid = function ridWithoutSlash(id) {
    let rid = baseRid.call(this, id);
    while (rid.includes('/')) {
      this._ridCount = (this._ridCount || id) + 1;
      rid = baseRid.call(this, this._ridCount);
    }
    return rid;
  };
  return Cls;
}

module.exports = { skipSlashRids };
