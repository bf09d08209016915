/**
 * The Lua of one verification's counter work: every limit of the call plus the quota,
 * all-or-nothing, on Redis's clock (`TIME`). It is the same math, step by step, as
 * `packages/core/src/ratelimit/algorithms.ts` (roll, admits, consume, remaining, resetMs,
 * retryAfterMs, idleAt) with the same double arithmetic, so it gives the memory store's answers.
 *
 * KEYS: one counter per limit, then the quota counter when there is a quota.
 * ARGV: n, hasQuota ("1"/"0"), per limit: algorithm ("f" | "s" | "b"), limit, window, cost;
 *       with a quota: limit, refill interval (0 = none), refill amount, cost.
 * Reply: allowed, now, per limit: allowed, remaining, resetMs, retryAfterMs;
 *        with a quota: allowed, remaining, refillAt (-1 = none).
 *
 * A limit counter is a hash: \`m\` = algorithm code and window (\`s60000\`), state in \`a\`, \`b\`,
 * \`c\`; a counter whose algorithm or window changed starts fresh, as in the memory store. A
 * quota counter holds \`qr\` (remaining) and \`qp\` (period start). Each limit counter expires (PEXPIREAT) when its state would be fresh
 * again; a quota never expires (it is a balance).
 */
export const CONSUME_LUA = `
local floor, ceil, max, min = math.floor, math.ceil, math.max, math.min
local function s(x) return string.format('%.0f', x) end
local function align(t, w) return floor(t / w) * w end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + floor(tonumber(time[2]) / 1000)
local n = tonumber(ARGV[1])
local hasQuota = ARGV[2] == '1'

local A = {}

A.f = {
  load = function(key, p)
    local raw = redis.call('HMGET', key, 'm', 'a', 'b')
    local start, count = tonumber(raw[2]), tonumber(raw[3])
    if raw[1] ~= p.mode or start == nil or count == nil then return now, { start = align(now, p.w), count = 0 } end
    local t = max(now, start)
    local a = align(t, p.w)
    if a ~= start then return t, { start = a, count = 0 } end
    return t, { start = start, count = count }
  end,
  admits = function(st, p, t) return st.count + p.cost <= p.limit end,
  consume = function(st, p) st.count = st.count + p.cost end,
  remaining = function(st, p, t) return max(0, p.limit - st.count) end,
  reset = function(st, p, t) return st.start + p.w - t end,
  retry = function(st, p, t) return st.start + p.w - t end,
  save = function(key, st, p)
    redis.call('HSET', key, 'm', p.mode, 'a', s(st.start), 'b', s(st.count))
    return st.start + p.w
  end,
}

A.s = {
  load = function(key, p)
    local raw = redis.call('HMGET', key, 'm', 'a', 'b', 'c')
    local start, prev, curr = tonumber(raw[2]), tonumber(raw[3]), tonumber(raw[4])
    if raw[1] ~= p.mode or start == nil or prev == nil or curr == nil then
      return now, { start = align(now, p.w), prev = 0, curr = 0 }
    end
    local t = max(now, start)
    local a = align(t, p.w)
    if a == start then return t, { start = start, prev = prev, curr = curr } end
    if a == start + p.w then return t, { start = a, prev = curr, curr = 0 } end
    return t, { start = a, prev = 0, curr = 0 }
  end,
  admits = function(st, p, t)
    return st.prev * (p.w - (t - st.start)) + (st.curr + p.cost) * p.w <= p.limit * p.w
  end,
  consume = function(st, p) st.curr = st.curr + p.cost end,
  remaining = function(st, p, t)
    local weighted = p.limit * p.w - st.prev * (p.w - (t - st.start)) - st.curr * p.w
    return max(0, floor(weighted / p.w))
  end,
  reset = function(st, p, t)
    if st.curr > 0 then return st.start + 2 * p.w - t end
    if st.prev > 0 then return st.start + p.w - t end
    return 0
  end,
  retry = function(st, p, t)
    local w = p.w
    local elapsed = t - st.start
    local room = (p.limit - st.curr - p.cost) * w
    if room >= 0 and st.prev > 0 then return w - elapsed - floor(room / st.prev) end
    if p.cost > p.limit then return A.s.reset(st, p, t) end
    if st.curr == 0 then return w - elapsed end
    return 2 * w - elapsed - floor(((p.limit - p.cost) * w) / st.curr)
  end,
  save = function(key, st, p)
    redis.call('HSET', key, 'm', p.mode, 'a', s(st.start), 'b', s(st.prev), 'c', s(st.curr))
    return st.start + 2 * p.w
  end,
}

A.b = {
  load = function(key, p)
    local raw = redis.call('HMGET', key, 'm', 'a', 'b')
    local level, at = tonumber(raw[2]), tonumber(raw[3])
    if raw[1] ~= p.mode or level == nil or at == nil then return now, { level = p.limit * p.w, at = now } end
    local t = max(now, at)
    if t == at then return t, { level = level, at = at } end
    return t, { level = min(p.limit * p.w, level + (t - at) * p.limit), at = t }
  end,
  admits = function(st, p, t) return st.level >= p.cost * p.w end,
  consume = function(st, p) st.level = st.level - p.cost * p.w end,
  remaining = function(st, p, t) return floor(st.level / p.w) end,
  reset = function(st, p, t) return max(0, ceil((p.limit * p.w - st.level) / p.limit)) end,
  retry = function(st, p, t)
    if p.cost > p.limit then return A.b.reset(st, p, t) end
    return ceil((p.cost * p.w - st.level) / p.limit)
  end,
  save = function(key, st, p)
    redis.call('HSET', key, 'm', p.mode, 'a', s(st.level), 'b', s(st.at))
    return st.at + max(0, ceil((p.limit * p.w - st.level) / p.limit))
  end,
}

local all = true
local limits = {}
for i = 1, n do
  local b = 2 + (i - 1) * 4
  local p = { algo = A[ARGV[b + 1]], limit = tonumber(ARGV[b + 2]), w = tonumber(ARGV[b + 3]), cost = tonumber(ARGV[b + 4]) }
  p.mode = ARGV[b + 1] .. ARGV[b + 3]
  local t, st = p.algo.load(KEYS[i], p)
  local ok = p.algo.admits(st, p, t)
  if not ok then all = false end
  limits[i] = { p = p, t = t, st = st, ok = ok }
end

local q = nil
if hasQuota then
  local b = 2 + n * 4
  q = { limit = tonumber(ARGV[b + 1]), interval = tonumber(ARGV[b + 2]), amount = tonumber(ARGV[b + 3]), cost = tonumber(ARGV[b + 4]) }
  local raw = redis.call('HMGET', KEYS[n + 1], 'qr', 'qp')
  q.remaining, q.start = tonumber(raw[1]), tonumber(raw[2])
  if q.remaining == nil or q.start == nil then q.remaining, q.start = q.limit, now end
  if q.interval > 0 and now >= q.start + q.interval then
    q.remaining = q.amount
    q.start = q.start + floor((now - q.start) / q.interval) * q.interval
  end
  q.ok = q.remaining >= q.cost
  if not q.ok then all = false end
end

local out = { all and 1 or 0, now }
for i = 1, n do
  local l = limits[i]
  local p, st, t = l.p, l.st, l.t
  if all then
    p.algo.consume(st, p)
    local idleAt = p.algo.save(KEYS[i], st, p)
    if idleAt <= now then redis.call('DEL', KEYS[i]) else redis.call('PEXPIREAT', KEYS[i], s(idleAt)) end
  end
  out[#out + 1] = l.ok and 1 or 0
  out[#out + 1] = p.algo.remaining(st, p, t)
  out[#out + 1] = p.algo.reset(st, p, t)
  out[#out + 1] = l.ok and 0 or p.algo.retry(st, p, t)
end

if q then
  if all then
    q.remaining = q.remaining - q.cost
    redis.call('HSET', KEYS[n + 1], 'qr', s(q.remaining), 'qp', s(q.start))
    redis.call('PERSIST', KEYS[n + 1])
  end
  out[#out + 1] = q.ok and 1 or 0
  out[#out + 1] = q.remaining
  out[#out + 1] = q.interval > 0 and (q.start + q.interval) or -1
end
return out
`;
