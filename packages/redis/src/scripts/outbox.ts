/**
 * Lua of the outbox. Every script takes the same KEYS — the outbox's keys, all under the one
 * hash tag `{outbox}` (see `OUTBOX_PARTS`) — so each call is single-slot on Redis Cluster and
 * atomic everywhere. A delivery is one field of the `deliveries` hash, `<eventId>\n<endpoint>`
 * → its state as JSON that only these scripts read and write (cjson; every number is an epoch
 * ms or a count, exact in cjson's 14 digits). Event JSON is written by Node and never re-encoded
 * here (prune reads its dedupe key only).
 *
 * State fields: `s` status, `a` attempts, `n` next attempt at, `da` deliver after, `l` lease,
 * `lu` lease until, `e` last error, `f` finished at. The indexes follow the state:
 * `ready` (pending, scored by when it may be leased next: due time, or `lu` while leased),
 * `fresh` / `retrying` (pending with 0 / >0 attempts, scored by due time: stats), lex indexes
 * `all`, `s:<status>` and `failed` (retrying or dead) for newest-first listing, `finished`
 * (delivered or skipped, by finish time: prune).
 */

/** The outbox's keys, in KEYS order; each is `<prefix>:{outbox}:<part>`. */
export const OUTBOX_PARTS = [
  "events",
  "dedupe",
  "deliveries",
  "ready",
  "fresh",
  "retrying",
  "all",
  "failed",
  "s:pending",
  "s:delivered",
  "s:dead",
  "s:skipped",
  "finished",
  "endpoints",
  "refs",
] as const;

const PRELUDE = `
local K = { events = KEYS[1], dedupe = KEYS[2], dl = KEYS[3], ready = KEYS[4], fresh = KEYS[5],
  retrying = KEYS[6], all = KEYS[7], failed = KEYS[8], pending = KEYS[9], delivered = KEYS[10],
  dead = KEYS[11], skipped = KEYS[12], finished = KEYS[13], endpoints = KEYS[14], refs = KEYS[15] }
local function due(st) return math.max(st.da, st.n) end
local function eventOf(id) return string.sub(id, 1, string.find(id, '\\n', 1, true) - 1) end
local function unindex(id, st)
  redis.call('ZREM', K[st.s], id)
  for _, key in ipairs({ K.ready, K.fresh, K.retrying, K.failed, K.finished }) do
    redis.call('ZREM', key, id)
  end
end
local function index(id, st)
  redis.call('ZADD', K[st.s], 0, id)
  if st.s == 'pending' then
    redis.call('ZADD', K.ready, st.l and st.lu or due(st), id)
    if st.a == 0 then
      redis.call('ZADD', K.fresh, due(st), id)
    else
      redis.call('ZADD', K.retrying, due(st), id)
      redis.call('ZADD', K.failed, 0, id)
    end
  elseif st.s == 'dead' then
    redis.call('ZADD', K.failed, 0, id)
  else
    redis.call('ZADD', K.finished, st.f, id)
  end
end
local function save(id, st)
  local json = cjson.encode(st)
  redis.call('HSET', K.dl, id, json)
  return json
end
`;

/**
 * ARGV: per event: id, event json, dedupe key ("" = none), deliver after, endpoint count, the
 * endpoints. An event whose id or dedupe key is stored is skipped. Reply: events added.
 */
export const OUTBOX_APPEND_LUA = `${PRELUDE}
local added, i = 0, 1
while i <= #ARGV do
  local id, json, dk, da, count = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
  local known = redis.call('HEXISTS', K.events, id) == 1
    or (dk ~= '' and redis.call('HEXISTS', K.dedupe, dk) == 1)
  if not known then
    redis.call('HSET', K.events, id, json)
    if dk ~= '' then redis.call('HSET', K.dedupe, dk, id) end
    for j = 1, count do
      local endpoint = ARGV[i + 4 + j]
      local member = id .. '\\n' .. endpoint
      local st = { s = 'pending', a = 0, n = da, da = da }
      save(member, st)
      index(member, st)
      redis.call('ZADD', K.all, 0, member)
      redis.call('HSETNX', K.endpoints, endpoint, '{}')
    end
    redis.call('HSET', K.refs, id, count)
    added = added + 1
  end
  i = i + 5 + count
end
return added
`;

/**
 * ARGV: now, lease ms, limit, a fresh token (each lease is `<token>.<n>`). Leases due pending deliveries whose lease is not
 * running. Reply: flat (member, state json, event json) triples.
 */
export const OUTBOX_LEASE_LUA = `${PRELUDE}
local now = tonumber(ARGV[1])
local members = redis.call('ZRANGEBYSCORE', K.ready, '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for i, member in ipairs(members) do
  local st = cjson.decode(redis.call('HGET', K.dl, member))
  st.l = ARGV[4] .. '.' .. i
  st.lu = now + tonumber(ARGV[2])
  out[#out + 1] = member
  out[#out + 1] = save(member, st)
  out[#out + 1] = redis.call('HGET', K.events, eventOf(member))
  redis.call('ZADD', K.ready, st.lu, member)
end
return out
`;

/**
 * ARGV: event id, endpoint, lease, outcome (delivered | failed | skipped), at, next attempt
 * ("" = dead-letter), error. Reply: 1, or 0 when the lease is not the delivery's or it is not
 * pending.
 */
export const OUTBOX_FINISH_LUA = `${PRELUDE}
local member = ARGV[1] .. '\\n' .. ARGV[2]
local raw = redis.call('HGET', K.dl, member)
if not raw then return 0 end
local st = cjson.decode(raw)
if st.s ~= 'pending' or st.l ~= ARGV[3] then return 0 end
unindex(member, st)
st.l, st.lu = nil, nil
local outcome, at = ARGV[4], tonumber(ARGV[5])
if outcome ~= 'skipped' then st.a = st.a + 1 end
if outcome == 'failed' then
  st.e = ARGV[7]
  redis.call('HSET', K.endpoints, ARGV[2], cjson.encode({ e = ARGV[7], at = at }))
  local nextAt = tonumber(ARGV[6])
  if nextAt then st.n = nextAt else st.s, st.f = 'dead', at end
else
  st.s, st.f = outcome, at
end
save(member, st)
index(member, st)
return 1
`;

/** ARGV: event id, now. Dead or pending deliveries of the event: pending, due now, 0 attempts. */
export const OUTBOX_RETRY_LUA = `${PRELUDE}
local now = tonumber(ARGV[2])
local members = redis.call('ZRANGEBYLEX', K.all, '[' .. ARGV[1] .. '\\n', '(' .. ARGV[1] .. '\\11')
local count = 0
for _, member in ipairs(members) do
  local st = cjson.decode(redis.call('HGET', K.dl, member))
  if st.s == 'pending' or st.s == 'dead' then
    unindex(member, st)
    st.s, st.a, st.n, st.f = 'pending', 0, now, nil
    save(member, st)
    index(member, st)
    count = count + 1
  end
end
return count
`;

/**
 * ARGV: index part (all, failed, s:pending…), before event id ("" = none), limit.
 * Reply: flat (member, state json, event json) triples, newest event first.
 */
export const OUTBOX_LIST_LUA = `${PRELUDE}
local key = ({ all = K.all, failed = K.failed, ['s:pending'] = K.pending, ['s:delivered'] = K.delivered,
  ['s:dead'] = K.dead, ['s:skipped'] = K.skipped })[ARGV[1]]
local max = ARGV[2] == '' and '+' or '(' .. ARGV[2]
local members = redis.call('ZREVRANGEBYLEX', key, max, '-', 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, member in ipairs(members) do
  out[#out + 1] = member
  out[#out + 1] = redis.call('HGET', K.dl, member)
  out[#out + 1] = redis.call('HGET', K.events, eventOf(member))
end
return out
`;

/**
 * ARGV: now. Reply: pending (0 attempts, due), retrying, dead, due time of the oldest due
 * pending delivery ("" = none), then the endpoints hash flattened (endpoint, json).
 */
export const OUTBOX_STATS_LUA = `${PRELUDE}
local now = tonumber(ARGV[1])
local oldest = nil
for _, key in ipairs({ K.fresh, K.retrying }) do
  local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if first[2] and tonumber(first[2]) <= now and (oldest == nil or tonumber(first[2]) < tonumber(oldest)) then
    oldest = first[2]
  end
end
local out = { redis.call('ZCOUNT', K.fresh, '-inf', now), redis.call('ZCARD', K.retrying),
  redis.call('ZCARD', K.dead), oldest or '' }
for _, v in ipairs(redis.call('HGETALL', K.endpoints)) do out[#out + 1] = v end
return out
`;

/**
 * ARGV: before, batch size. Removes up to that many delivered/skipped deliveries finished
 * before `before`, and each event (with its dedupe key) once its last delivery is gone.
 * Reply: deliveries removed.
 */
export const OUTBOX_PRUNE_LUA = `${PRELUDE}
local members = redis.call('ZRANGEBYSCORE', K.finished, '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(members) do
  local st = cjson.decode(redis.call('HGET', K.dl, member))
  unindex(member, st)
  redis.call('ZREM', K.all, member)
  redis.call('HDEL', K.dl, member)
  local id = eventOf(member)
  if redis.call('HINCRBY', K.refs, id, -1) <= 0 then
    local ok, event = pcall(cjson.decode, redis.call('HGET', K.events, id) or '{}')
    local dk = ok and type(event) == 'table' and event.dedupeKey or nil
    if type(dk) == 'string' and redis.call('HGET', K.dedupe, dk) == id then redis.call('HDEL', K.dedupe, dk) end
    redis.call('HDEL', K.events, id)
    redis.call('HDEL', K.refs, id)
  end
end
return #members
`;
