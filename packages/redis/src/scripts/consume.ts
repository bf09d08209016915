/**
 * The Lua of one verification's counter work: every limit of the call plus the quota,
 * all-or-nothing, on Redis's clock (`TIME`). The script does only what must be atomic — load
 * each counter, roll it to now, test it, and when everything admits, consume and store — and
 * answers the resulting state; the numbers a caller sees (remaining, reset, retry-after) are
 * derived from that state in Node by core's reference math (`LIMIT_ALGORITHMS`, the same
 * functions the memory store runs), so the Lua holds no second copy of them. The load, roll
 * and test steps are those of `packages/core/src/ratelimit/algorithms.ts`, in the same double
 * arithmetic.
 *
 * KEYS: one counter per limit, then the quota counter when there is a quota.
 * ARGV: the deadline (epoch ms on Redis's clock, "" = none), n (the number of limits); per
 *       limit: mode (algorithm code and window, `s60000`), limit, window, cost; with a quota:
 *       limit, refill interval (0 = none), refill amount, cost.
 * A call that runs after its deadline (replayed after a reconnect, held by CLIENT PAUSE)
 * consumes nothing and answers the error `KWDEADLINE`. A script runs atomically, so checking
 * once, at its start, covers the whole of its work.
 * Reply: now; per limit: admitted (1/0) and the state after the call (consumed when the
 *        whole call passed, else rolled) as a, b, c — fixed: start, count, 0; sliding: start,
 *        previous count, current count; bucket: level, updatedAt, 0; with a quota: admitted,
 *        remaining, start of the refill period. The call passed when every admitted is 1.
 *
 * A limit counter is a hash: `m` = the mode, state in `a`, `b`, `c`; a counter whose mode
 * changed starts fresh, as in the memory store. A quota counter holds `qr` (remaining) and
 * `qp` (period start). Each limit counter expires (PEXPIREAT) when its state would be fresh
 * again; a quota never expires (it is a balance).
 *
 * Per call it runs TIME, one HMGET per counter and, when the call passes, one HSET per
 * counter: within the window a counter already holds, only the count field is written and the
 * expiry (which depends on the window alone) is left as it is; a new window rewrites the hash
 * and moves the expiry. Numbers go to Redis as Lua numbers, which Redis writes with 17
 * significant digits — exact for the integers here, which core keeps below 2^53.
 * Straight-line code without closures: it runs on every verification.
 */
export const CONSUME_LUA = `
local floor, ceil, max, min = math.floor, math.ceil, math.max, math.min
local byte = string.byte
local BUCKET, FIXED = 98, 102 -- string.byte('b'), string.byte('f'); other modes are sliding

local time = redis.call('TIME')
local now = time[1] * 1000 + floor(time[2] / 1000)
local deadline = tonumber(ARGV[1])
if deadline and now > deadline then
  return redis.error_reply('KWDEADLINE the consume arrived after its deadline')
end
local n = tonumber(ARGV[2])
local all = true

-- Step 1, per limit: load, roll to t = max(now, since(state)), test. The rolled state goes
-- straight into the reply (ok, a, b, c at out[4i-2 .. 4i+1]). keep[i] is the cost when the
-- stored window is the same one (then only the count moves, and the expiry stays put), else
-- false.
local out = { now }
local keep = {}
for i = 1, n do
  local j = 4 * i - 1
  local mode = ARGV[j]
  local kind = byte(mode)
  local L, W, C = tonumber(ARGV[j + 1]), tonumber(ARGV[j + 2]), tonumber(ARGV[j + 3])
  local raw = redis.call('HMGET', KEYS[i], 'm', 'a', 'b', 'c')
  local x, y, z = tonumber(raw[2]), tonumber(raw[3]), tonumber(raw[4])
  local fresh = raw[1] ~= mode or x == nil or y == nil
  local same = false
  local ok
  if kind == BUCKET then
    -- x = level (tokens x window), y = updatedAt
    if fresh then
      x, y = L * W, now
    elseif now > y then
      x, y = min(L * W, x + (now - y) * L), now
    end
    ok = x >= C * W
    z = 0
  elseif kind == FIXED then
    -- x = window start, y = count
    local aligned = floor(now / W) * W
    if fresh then
      x, y = aligned, 0
    elseif aligned > x then
      x, y = aligned, 0
    else
      same = true
    end
    ok = y + C <= L
    z = 0
  else
    -- sliding: x = window start, y = previous window's count, z = current window's count
    local aligned = floor(now / W) * W
    if fresh or z == nil then
      x, y, z = aligned, 0, 0
    elseif aligned == x + W then
      x, y, z = aligned, z, 0
    elseif aligned > x then
      x, y, z = aligned, 0, 0
    else
      same = true
    end
    local t = max(now, x)
    ok = y * (W - (t - x)) + (z + C) * W <= L * W
  end
  if not ok then all = false end
  out[j - 1], out[j], out[j + 1], out[j + 2] = ok and 1 or 0, x, y, z
  keep[i] = same and C
end

-- The quota: qr = remaining, qp = start of the refill period.
local qok, qremaining, qstart, qcost
if #KEYS > n then
  local j = 4 * n + 3
  local qlimit, qinterval, qamount = tonumber(ARGV[j]), tonumber(ARGV[j + 1]), tonumber(ARGV[j + 2])
  qcost = tonumber(ARGV[j + 3])
  local raw = redis.call('HMGET', KEYS[n + 1], 'qr', 'qp')
  qremaining, qstart = tonumber(raw[1]), tonumber(raw[2])
  if qremaining == nil or qstart == nil then qremaining, qstart = qlimit, now end
  if qinterval > 0 and now >= qstart + qinterval then
    qremaining = qamount
    qstart = qstart + floor((now - qstart) / qinterval) * qinterval
  end
  qok = qremaining >= qcost
  if not qok then all = false end
end

-- Step 2, only when everything admits: consume, store, and move the expiry to when the
-- state is fresh again. In the same window only the count changes: one field, same expiry.
if all then
  for i = 1, n do
    local j = 4 * i - 1
    local key, mode, C = KEYS[i], ARGV[j], keep[i] or tonumber(ARGV[j + 3])
    local kind = byte(mode)
    local x, y = out[j], out[j + 1]
    if kind == BUCKET then
      local L, W = tonumber(ARGV[j + 1]), tonumber(ARGV[j + 2])
      x = x - C * W
      out[j] = x
      local idleAt = y + max(0, ceil((L * W - x) / L))
      if idleAt <= now then
        redis.call('DEL', key)
      else
        redis.call('HSET', key, 'm', mode, 'a', x, 'b', y)
        redis.call('PEXPIREAT', key, idleAt)
      end
    elseif kind == FIXED then
      y = y + C
      out[j + 1] = y
      if keep[i] then
        redis.call('HSET', key, 'b', y)
      else
        redis.call('HSET', key, 'm', mode, 'a', x, 'b', y)
        redis.call('PEXPIREAT', key, x + tonumber(ARGV[j + 2]))
      end
    else
      local z = out[j + 2] + C
      out[j + 2] = z
      if keep[i] then
        redis.call('HSET', key, 'c', z)
      else
        redis.call('HSET', key, 'm', mode, 'a', x, 'b', y, 'c', z)
        redis.call('PEXPIREAT', key, x + 2 * tonumber(ARGV[j + 2]))
      end
    end
  end
  if qok then
    qremaining = qremaining - qcost
    redis.call('HSET', KEYS[n + 1], 'qr', qremaining, 'qp', qstart)
    redis.call('PERSIST', KEYS[n + 1])
  end
end
if qok ~= nil then
  local j = 4 * n + 2
  out[j], out[j + 1], out[j + 2] = qok and 1 or 0, qremaining, qstart
end
return out
`;
