/**
 * Lua for reading and setting one quota balance on Redis's clock. Same fields as
 * `CONSUME_LUA` (`qr` = remaining, `qp` = start of the refill period).
 */

/**
 * KEYS[1]: the quota counter. ARGV: limit, refill interval (0 = none), refill amount.
 * Reply: remaining, refillAt (-1 = none), now. Applies a due refill to the answer only
 * (reading is pure); a quota never seen is full.
 */
export const GET_QUOTA_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limit, interval, amount = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local raw = redis.call('HMGET', KEYS[1], 'qr', 'qp')
local remaining, start = tonumber(raw[1]), tonumber(raw[2])
if remaining == nil or start == nil then remaining, start = limit, now end
if interval > 0 and now >= start + interval then
  remaining = amount
  start = start + math.floor((now - start) / interval) * interval
end
return { remaining, interval > 0 and (start + interval) or -1, now }
`;

/**
 * KEYS[1]: the quota counter. ARGV: remaining. Sets the balance and restarts the refill
 * period at Redis's now. Reply: now.
 */
export const SET_QUOTA_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('HSET', KEYS[1], 'qr', ARGV[1], 'qp', string.format('%.0f', now))
redis.call('PERSIST', KEYS[1])
return now
`;
