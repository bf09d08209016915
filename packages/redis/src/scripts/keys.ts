/**
 * Lua of the key store. Each script touches one hash tag only: the key's own slot
 * (`{<keyId>}`: record + secrets), one secret's slot (`{h:<hash>}`), or the index slot
 * (`{idx}`). Records are JSON written by Node; Lua never parses it, it only compares the
 * version `v` (optimistic concurrency) and moves strings around.
 */

/** KEYS: record, secrets. Reply: json or false, v, synced v, then the secrets hash flattened. */
export const READ_KEY_LUA = `
local rec = redis.call('HMGET', KEYS[1], 'json', 'v', 's')
local out = { rec[1], tonumber(rec[2]) or 0, tonumber(rec[3]) or 0 }
local secrets = redis.call('HGETALL', KEYS[2])
for i = 1, #secrets do out[#out + 1] = secrets[i] end
return out
`;

/**
 * KEYS: record, secrets. ARGV: the deadline (epoch ms on Redis's clock, "" = none), expected v
 * (0 = must not exist), json, count of secrets to set, then (hash, secret json) pairs, then
 * hashes to remove.
 * Reply: the new v, or -1 when the version changed (or the key exists, for an insert). A write
 * that runs after its deadline (held by CLIENT PAUSE, resent after a reconnect) changes nothing
 * and answers the error `KWDEADLINE`: keyward answered that call 503 already.
 */
export const WRITE_KEY_LUA = `
local deadline = tonumber(table.remove(ARGV, 1))
if deadline then
  local time = redis.call('TIME')
  if tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) > deadline then
    return redis.error_reply('KWDEADLINE the write arrived after its deadline')
  end
end
local v = tonumber(redis.call('HGET', KEYS[1], 'v')) or 0
if v ~= tonumber(ARGV[1]) then return -1 end
if v == 0 and redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
v = v + 1
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'v', v)
-- A new key has no secret entry yet that could hold an older copy: it is synced.
if v == 1 then redis.call('HSET', KEYS[1], 's', v) end
local sets = tonumber(ARGV[3])
for i = 0, sets - 1 do
  redis.call('HSET', KEYS[2], ARGV[4 + 2 * i], ARGV[5 + 2 * i])
end
for i = 4 + 2 * sets, #ARGV do
  redis.call('HDEL', KEYS[2], ARGV[i])
end
return v
`;

/**
 * KEYS: record. ARGV: v. Records that every secret entry holds version v (field `s`), unless
 * the record moved on meanwhile. A record whose `s` differs from `v` has entries that may
 * be stale (a write was interrupted); the next read through the store refreshes them.
 */
export const MARK_SYNCED_LUA = `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 's', ARGV[1])
return 1
`;

/** KEYS: record, secrets. Reply: 1 when the record existed. */
export const DELETE_KEY_LUA = `
local existed = redis.call('EXISTS', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2])
return existed
`;

/**
 * KEYS: record, secrets. ARGV: old hash, new hash, new secret json. Re-keys one secret in the
 * key's own list (pepper rotation). Reply: 1 when the old hash was there.
 */
export const RENAME_SECRET_LUA = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1
`;

/**
 * KEYS: one secret entry. ARGV: keyId, secret json, key json, v.
 * Claims the entry for the key (insert, rotation, rehash). Reply: 0 when another key holds
 * this hash (conflict), else 1.
 */
export const CLAIM_SECRET_LUA = `
local owner = redis.call('HGET', KEYS[1], 'keyId')
if owner and owner ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'keyId', ARGV[1], 'secret', ARGV[2], 'key', ARGV[3], 'v', ARGV[4])
return 1
`;

/**
 * KEYS: one secret entry. ARGV: keyId, secret json, key json, v.
 * Refreshes the entry's copy of the key when it is older than v. Never creates an entry (a
 * key being deleted must not get its secrets back). Reply: 1 when written.
 */
export const SYNC_SECRET_LUA = `
local cur = redis.call('HMGET', KEYS[1], 'keyId', 'v')
if cur[1] ~= ARGV[1] then return 0 end
if (tonumber(cur[2]) or 0) >= tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], 'secret', ARGV[2], 'key', ARGV[3], 'v', ARGV[4])
return 1
`;

/** KEYS: one secret entry. ARGV: keyId. Deletes the entry if that key holds it. */
export const DROP_SECRET_LUA = `
if redis.call('HGET', KEYS[1], 'keyId') ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`;

/**
 * KEYS: all, due, and the owner index when the key has an owner (one tag: {idx}).
 * ARGV: "add" | "del", keyId, due score ("" = not due).
 */
export const INDEX_LUA = `
if ARGV[1] == 'del' then
  for i = 1, #KEYS do redis.call('ZREM', KEYS[i], ARGV[2]) end
  return 1
end
redis.call('ZADD', KEYS[1], 0, ARGV[2])
if KEYS[3] then redis.call('ZADD', KEYS[3], 0, ARGV[2]) end
if ARGV[3] == '' then redis.call('ZREM', KEYS[2], ARGV[2]) else redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2]) end
return 1
`;
