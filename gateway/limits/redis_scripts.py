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
  k = k + 1
  local key, limit = KEYS[k], tonumber(ARGV[a]); a = a + 1
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local total, oldest = 0, nil
  local entries = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  for j = 1, #entries, 2 do
    total = total + tonumber(string.match(entries[j], ':(%d+)$'))
    if oldest == nil then oldest = tonumber(entries[j + 1]) end
  end
  if total >= limit then return {k, oldest + window - now} end
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
    redis.call('ZADD', KEYS[k], now, lease .. ':' .. tokens)
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
