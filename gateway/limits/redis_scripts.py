"""Lua run inside Redis, so a check and its increment are one atomic step across every gateway replica.

Time comes from Redis (``TIME``), not from each replica's clock, so replicas agree on the window.
KEYS are grouped: request windows, token windows, concurrency leases, budgets (counts in ARGV[1..4]).
"""

from __future__ import annotations

ADMIT = """
local n_req, n_tok, n_conc, n_bud = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local lease, window, lease_ttl = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local k, a = 0, 8
for i = 1, n_req do
  k = k + 1
  local key, limit = KEYS[k], tonumber(ARGV[a]); a = a + 1
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    return {k, tonumber(oldest[2]) + window - now}
  end
end
for i = 1, n_tok do
  -- Tokens per one-second bucket (a hash of at most 61 fields), so a check costs the same at any rate.
  k = k + 1
  local key, limit = KEYS[k], tonumber(ARGV[a]); a = a + 1
  local first_second = math.floor((now - window) / 1000) + 1
  local total, oldest = 0, nil
  local buckets = redis.call('HGETALL', key)
  for j = 1, #buckets, 2 do
    local second = tonumber(buckets[j])
    if second < first_second then
      redis.call('HDEL', key, buckets[j])
    else
      total = total + tonumber(buckets[j + 1])
      if oldest == nil or second < oldest then oldest = second end
    end
  end
  if total >= limit then return {k, (oldest + 1) * 1000 + window - now} end
end
for i = 1, n_conc do
  k = k + 1
  local key, limit = KEYS[k], tonumber(ARGV[a]); a = a + 1
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  if redis.call('ZCARD', key) >= limit then return {k, 1000} end
end
for i = 1, n_bud do
  k = k + 1
  local key, limit = KEYS[k], tonumber(ARGV[a]); a = a + 1
  if tonumber(redis.call('GET', key) or '0') >= limit then return {k, -1} end
end
for i = 1, n_req do
  redis.call('ZADD', KEYS[i], now, lease)
  redis.call('PEXPIRE', KEYS[i], window * 2)
end
for i = n_req + n_tok + 1, n_req + n_tok + n_conc do
  redis.call('ZADD', KEYS[i], now + lease_ttl, lease)
  redis.call('PEXPIRE', KEYS[i], lease_ttl * 2)
end
return {0, 0}
"""

# KEYS: token windows, concurrency leases, budgets. ARGV: counts, lease, tokens, window, budget TTLs.
SETTLE = """
local n_tok, n_conc, n_bud = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local lease, tokens, window = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local k = 0
for i = 1, n_tok do
  k = k + 1
  if tokens > 0 then
    redis.call('HINCRBY', KEYS[k], math.floor(now / 1000), tokens)
    redis.call('PEXPIRE', KEYS[k], window * 2)
  end
end
for i = 1, n_conc do
  k = k + 1
  redis.call('ZREM', KEYS[k], lease)
end
for i = 1, n_bud do
  k = k + 1
  if tokens > 0 then
    redis.call('INCRBY', KEYS[k], tokens)
    redis.call('EXPIRE', KEYS[k], tonumber(ARGV[6 + i]))
  end
end
return 0
"""
