/**
 * The Lua of one verification's counter work: every limit of the call plus the quota,
 * all-or-nothing, on Redis's clock (`TIME`). It is the same math, step by step, as
 * `packages/core/src/ratelimit/algorithms.ts` (roll, admits, consume, remaining, resetMs,
 * retryAfterMs, idleAt) with the same double arithmetic, so it gives the memory store's answers.
 *
 * KEYS: one counter per limit, then the quota counter when there is a quota.
 * ARGV: n, hasQuota ("1"/"0"), per limit: algorithm ("f" | "s" | "b"), limit, window, cost;
 *       with a quota: limit, refill interval (0 = none), refill amount, cost; last: the
 *       deadline (epoch ms on Redis's clock, "" = none).
 * A call that runs after its deadline (replayed after a reconnect, held by CLIENT PAUSE)
 * consumes nothing and answers the error `KWDEADLINE`. A script runs atomically, so checking
 * once, at its start, covers the whole of its work.
 * Reply: allowed, now, per limit: allowed, remaining, resetMs, retryAfterMs;
 *        with a quota: allowed, remaining, refillAt (-1 = none).
 *
 * A limit counter is a hash: `m` = algorithm code and window (`s60000`), state in `a`, `b`,
 * `c`; a counter whose algorithm or window changed starts fresh, as in the memory store. A
 * quota counter holds `qr` (remaining) and `qp` (period start). Each limit counter expires
 * (PEXPIREAT) when its state would be fresh again; a quota never expires (it is a balance).
 * The script is straight-line code without closures: it runs on every verification.
 */
export const CONSUME_LUA = `
local floor, ceil, max, min = math.floor, math.ceil, math.max, math.min
local fmt = string.format

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + floor(tonumber(time[2]) / 1000)
local deadline = tonumber(ARGV[#ARGV])
if deadline and now > deadline then
  return redis.error_reply('KWDEADLINE the consume arrived after its deadline')
end
local n = tonumber(ARGV[1])
local all = true

-- Step 1, per limit: load, roll to t = max(now, since(state)), test. Straight-line code, no
-- closures: this runs on every verification.
local limits = {}
for i = 1, n do
  local j = 3 + (i - 1) * 4
  local algo, w = ARGV[j], ARGV[j + 2]
  local L, W, C = tonumber(ARGV[j + 1]), tonumber(w), tonumber(ARGV[j + 3])
  local mode = algo .. w
  local raw = redis.call('HMGET', KEYS[i], 'm', 'a', 'b', 'c')
  local x, y, z = tonumber(raw[2]), tonumber(raw[3]), tonumber(raw[4])
  local t = now
  local ok
  if algo == 'b' then
    -- x = level (tokens x window), y = updatedAt
    if raw[1] ~= mode or x == nil or y == nil then
      x, y = L * W, now
    else
      t = max(now, y)
      if t ~= y then x, y = min(L * W, x + (t - y) * L), t end
    end
    ok = x >= C * W
  elseif algo == 'f' then
    -- x = window start, y = count
    if raw[1] ~= mode or x == nil or y == nil then
      x, y = floor(now / W) * W, 0
    else
      t = max(now, x)
      local aligned = floor(t / W) * W
      if aligned ~= x then x, y = aligned, 0 end
    end
    ok = y + C <= L
  else
    -- sliding: x = window start, y = previous window's count, z = current window's count
    if raw[1] ~= mode or x == nil or y == nil or z == nil then
      x, y, z = floor(now / W) * W, 0, 0
    else
      t = max(now, x)
      local aligned = floor(t / W) * W
      if aligned == x + W then
        x, y, z = aligned, z, 0
      elseif aligned ~= x then
        x, y, z = aligned, 0, 0
      end
    end
    ok = y * (W - (t - x)) + (z + C) * W <= L * W
  end
  if not ok then all = false end
  limits[i] = { algo, mode, L, W, C, t, x, y, z, ok }
end

local hasQuota = ARGV[2] == '1'
local qk, qlimit, qinterval, qamount, qcost, qremaining, qstart, qok
if hasQuota then
  local j = 3 + n * 4
  qk = KEYS[n + 1]
  qlimit, qinterval, qamount, qcost = tonumber(ARGV[j]), tonumber(ARGV[j + 1]), tonumber(ARGV[j + 2]), tonumber(ARGV[j + 3])
  local raw = redis.call('HMGET', qk, 'qr', 'qp')
  qremaining, qstart = tonumber(raw[1]), tonumber(raw[2])
  if qremaining == nil or qstart == nil then qremaining, qstart = qlimit, now end
  if qinterval > 0 and now >= qstart + qinterval then
    qremaining = qamount
    qstart = qstart + floor((now - qstart) / qinterval) * qinterval
  end
  qok = qremaining >= qcost
  if not qok then all = false end
end

-- Step 2: only when everything admits, consume and store (with the expiry at which the
-- state is fresh again); then report on the stored (or, when rejected, the rolled) state.
local out = { all and 1 or 0, now }
for i = 1, n do
  local l = limits[i]
  local algo, mode, L, W, C, t, x, y, z, ok = l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8], l[9], l[10]
  local key = KEYS[i]
  local remaining, reset, retry, idleAt
  if algo == 'b' then
    if all then
      x = x - C * W
      redis.call('HSET', key, 'm', mode, 'a', fmt('%.0f', x), 'b', fmt('%.0f', y))
    end
    remaining = floor(x / W)
    reset = max(0, ceil((L * W - x) / L))
    idleAt = y + reset
    if ok then retry = 0 elseif C > L then retry = reset else retry = ceil((C * W - x) / L) end
  elseif algo == 'f' then
    if all then
      y = y + C
      redis.call('HSET', key, 'm', mode, 'a', fmt('%.0f', x), 'b', fmt('%.0f', y))
    end
    remaining = max(0, L - y)
    reset = x + W - t
    idleAt = x + W
    if ok then retry = 0 else retry = reset end
  else
    if all then
      z = z + C
      redis.call('HSET', key, 'm', mode, 'a', fmt('%.0f', x), 'b', fmt('%.0f', y), 'c', fmt('%.0f', z))
    end
    local elapsed = t - x
    remaining = max(0, floor((L * W - y * (W - elapsed) - z * W) / W))
    if z > 0 then reset = x + 2 * W - t elseif y > 0 then reset = x + W - t else reset = 0 end
    idleAt = x + 2 * W
    if ok then
      retry = 0
    else
      local room = (L - z - C) * W
      if room >= 0 and y > 0 then
        retry = W - elapsed - floor(room / y)
      elseif C > L then
        retry = reset
      elseif z == 0 then
        retry = W - elapsed
      else
        retry = 2 * W - elapsed - floor(((L - C) * W) / z)
      end
    end
  end
  if all then
    if idleAt <= now then redis.call('DEL', key) else redis.call('PEXPIREAT', key, fmt('%.0f', idleAt)) end
  end
  out[#out + 1] = ok and 1 or 0
  out[#out + 1] = remaining
  out[#out + 1] = reset
  out[#out + 1] = retry
end

if hasQuota then
  if all then
    qremaining = qremaining - qcost
    redis.call('HSET', qk, 'qr', fmt('%.0f', qremaining), 'qp', fmt('%.0f', qstart))
    redis.call('PERSIST', qk)
  end
  out[#out + 1] = qok and 1 or 0
  out[#out + 1] = qremaining
  if qinterval > 0 then out[#out + 1] = qstart + qinterval else out[#out + 1] = -1 end
end
return out
`;
