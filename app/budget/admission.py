"""Admission: reserve the estimated cost on every scope at once, settle with the actual usage.

All state lives in Redis and every transition is one Lua script, so any number of workers on any hosts
see one consistent budget. Keys (prefix ``ab:``):
  ab:scope:<scope key>  hash  t, m      tokens and micros in use (settled + outstanding reservations)
  ab:res:<request id>   hash            the reservation: t, m, deadline, state, scopes
  ab:deadlines          zset            outstanding request ids scored by deadline (ms)
Reserve also refunds expired reservations it did not name in KEYS, so this targets one Redis (or a
primary with replicas), not Redis Cluster.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from redis.asyncio import Redis

from app import keys
from app.budget.scopes import Scope, dollars

PREFIX = keys.BUDGET_PREFIX
DEADLINES = PREFIX + "deadlines"
# A settled or released reservation stays this long so a retried settle/release is recognised as a repeat.
DONE_TTL_MS = 7 * 24 * 3600 * 1000
# How many stale reservations one reserve call clears; bounds the script's run time.
EXPIRE_BATCH = 100

_RELEASE_FN = """
local function refund(res_key)
  local r = redis.call('HMGET', res_key, 't', 'm', 'scopes')
  local t, m = tonumber(r[1]), tonumber(r[2])
  for scope in string.gmatch(r[3], '[^\\n]+') do
    redis.call('HINCRBY', scope, 't', -t)
    redis.call('HINCRBY', scope, 'm', -m)
  end
end
local function expire(deadlines, prefix, now, batch, done_ttl)
  local stale = redis.call('ZRANGEBYSCORE', deadlines, '-inf', now, 'LIMIT', 0, batch)
  for _, id in ipairs(stale) do
    local res_key = prefix .. 'res:' .. id
    if redis.call('HGET', res_key, 'state') == 'reserved' then
      refund(res_key)
      redis.call('HSET', res_key, 'state', 'expired')
      redis.call('PEXPIRE', res_key, done_ttl)
    end
    redis.call('ZREM', deadlines, id)
  end
  return #stale
end
"""

# KEYS: deadlines, res key, scope keys...  ARGV: prefix, id, t, m, deadline, now, batch, done_ttl,
# then limit_t, limit_m per scope (-1 = no limit).
_RESERVE = (
    _RELEASE_FN
    + """
local prefix, id = ARGV[1], ARGV[2]
local t, m, deadline, now = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
expire(KEYS[1], prefix, now, tonumber(ARGV[7]), tonumber(ARGV[8]))
local existing = redis.call('HMGET', KEYS[2], 'state', 't', 'm', 'deadline')
if existing[1] == 'reserved' then
  return {2, tonumber(existing[2]), tonumber(existing[3]), tonumber(existing[4])}
elseif existing[1] then
  return {3, 0, 0, 0}
end
local n = #KEYS - 2
for i = 1, n do
  local used = redis.call('HMGET', KEYS[i + 2], 't', 'm')
  local ut, um = tonumber(used[1]) or 0, tonumber(used[2]) or 0
  local lt, lm = tonumber(ARGV[8 + 2 * i - 1]), tonumber(ARGV[8 + 2 * i])
  if (lt >= 0 and ut + t > lt) or (lm >= 0 and um + m > lm) then
    return {0, i, ut, um}
  end
end
local scopes = {}
for i = 1, n do
  redis.call('HINCRBY', KEYS[i + 2], 't', t)
  redis.call('HINCRBY', KEYS[i + 2], 'm', m)
  scopes[i] = KEYS[i + 2]
end
redis.call('HSET', KEYS[2], 't', t, 'm', m, 'deadline', deadline, 'state', 'reserved',
  'scopes', table.concat(scopes, '\\n'))
redis.call('ZADD', KEYS[1], deadline, id)
return {1, 0, 0, 0}
"""
)

# KEYS: deadlines, res key.  ARGV: id, actual t, actual m, done_ttl.
# A settle after expiry still counts: the model call happened, so the money was spent.
_SETTLE = """
local state = redis.call('HGET', KEYS[2], 'state')
if state == false or state == 'settled' or state == 'released' then
  return 0
end
local r = redis.call('HMGET', KEYS[2], 't', 'm', 'scopes')
local dt, dm = tonumber(ARGV[2]), tonumber(ARGV[3])
if state == 'reserved' then
  dt, dm = dt - tonumber(r[1]), dm - tonumber(r[2])
end
for scope in string.gmatch(r[3], '[^\\n]+') do
  redis.call('HINCRBY', scope, 't', dt)
  redis.call('HINCRBY', scope, 'm', dm)
end
redis.call('HSET', KEYS[2], 'state', 'settled', 't', ARGV[2], 'm', ARGV[3])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]))
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
"""

# KEYS: deadlines, res key.  ARGV: id, done_ttl.
_RELEASE = (
    _RELEASE_FN
    + """
if redis.call('HGET', KEYS[2], 'state') ~= 'reserved' then
  return 0
end
refund(KEYS[2])
redis.call('HSET', KEYS[2], 'state', 'released')
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]))
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
"""
)

# KEYS: deadlines.  ARGV: prefix, now, batch, done_ttl.
_EXPIRE = (
    _RELEASE_FN
    + """
return expire(KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
"""
)


@dataclass(frozen=True)
class Reservation:
    request_id: str
    tokens: int
    micros: int
    scopes: tuple[Scope, ...]
    deadline_ms: int


@dataclass(frozen=True)
class Refusal:
    scope: Scope
    used_tokens: int
    used_micros: int
    requested_tokens: int
    requested_micros: int

    @property
    def reason(self) -> str:
        limit_m, limit_t = self.scope.limit_micros, self.scope.limit_tokens
        if limit_m is not None and self.used_micros + self.requested_micros > limit_m:
            return (
                f"{self.scope.name} budget: {dollars(self.used_micros)} of {dollars(limit_m)} used, "
                f"this review needs up to {dollars(self.requested_micros)}"
            )
        return (
            f"{self.scope.name} budget: {self.used_tokens:,} of {limit_t or 0:,} tokens used, "
            f"this review needs up to {self.requested_tokens:,}"
        )


class DuplicateReservation(ValueError):
    """The request id was already settled, refunded or expired: its call is over, use a new id."""


def now_ms() -> int:
    return int(time.time() * 1000)


def _res_key(request_id: str) -> str:
    return f"{PREFIX}res:{request_id}"


def scope_key(scope: Scope | str) -> str:
    """The admission counters of a scope (fields `t` tokens, `m` micro-USD), for readers like /metrics."""
    return PREFIX + "scope:" + (scope.key if isinstance(scope, Scope) else scope)


async def usages(redis: Redis, scopes: Sequence[Scope | str]) -> list[tuple[int, int]]:
    """(tokens, micro-USD) held against each scope, settled plus in flight, in one round trip; readers such
    as the metrics endpoint call this without loading admission's scripts."""
    pipe = redis.pipeline(transaction=False)
    for scope in scopes:
        pipe.hmget(scope_key(scope), ["t", "m"])
    rows = await pipe.execute()
    return [(int(tokens or 0), int(micros or 0)) for tokens, micros in rows]


def _limit(value: int | None) -> int:
    return -1 if value is None else value


class Admission:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._reserve = redis.register_script(_RESERVE)
        self._settle = redis.register_script(_SETTLE)
        self._release = redis.register_script(_RELEASE)
        self._expire = redis.register_script(_EXPIRE)

    async def reserve(
        self,
        request_id: str,
        scopes: Sequence[Scope],
        tokens: int,
        micros: int,
        *,
        ttl_ms: int,
        now_ms: int | None = None,
    ) -> Reservation | Refusal:
        if tokens < 0 or micros < 0 or ttl_ms <= 0:
            raise ValueError("tokens and micros must be >= 0 and ttl_ms > 0")
        now = _now(now_ms)
        deadline = now + ttl_ms
        keys = [DEADLINES, _res_key(request_id), *(scope_key(s) for s in scopes)]
        args: list[int | str] = [PREFIX, request_id, tokens, micros, deadline, now, EXPIRE_BATCH, DONE_TTL_MS]
        for scope in scopes:
            args += [_limit(scope.limit_tokens), _limit(scope.limit_micros)]
        status, a, b, c = (int(v) for v in await self._reserve(keys=keys, args=args))
        if status == 3:
            raise DuplicateReservation(request_id)
        if status == 2:  # a retried reserve (say, after a timeout) gets the reservation it already holds
            return Reservation(request_id, a, b, tuple(scopes), c)
        if status == 0:
            return Refusal(scopes[a - 1], b, c, tokens, micros)
        return Reservation(request_id, tokens, micros, tuple(scopes), deadline)

    async def settle(self, request_id: str, tokens: int, micros: int) -> bool:
        if tokens < 0 or micros < 0:
            raise ValueError("tokens and micros must be >= 0")
        """Replace the reservation with the actual usage; False when this id was already settled."""
        done = await self._settle(
            keys=[DEADLINES, _res_key(request_id)], args=[request_id, tokens, micros, DONE_TTL_MS]
        )
        return bool(done)

    async def release(self, request_id: str) -> bool:
        """Refund a reservation whose model call failed; False when there is nothing left to refund."""
        done = await self._release(keys=[DEADLINES, _res_key(request_id)], args=[request_id, DONE_TTL_MS])
        return bool(done)

    async def expire(self, *, now_ms: int | None = None) -> int:
        """Release every reservation past its deadline (reserve also does this, a batch at a time)."""
        total = 0
        while True:
            n = int(
                await self._expire(keys=[DEADLINES], args=[PREFIX, _now(now_ms), EXPIRE_BATCH, DONE_TTL_MS])
            )
            total += n
            if n < EXPIRE_BATCH:
                return total

    async def usage(self, scope: Scope | str) -> tuple[int, int]:
        return (await self.usages([scope]))[0]

    async def usages(self, scopes: Sequence[Scope | str]) -> list[tuple[int, int]]:
        return await usages(self.redis, scopes)

    async def set_usage(self, totals: dict[str, tuple[int, int]]) -> None:
        """Overwrite counters (for rebuild); keys are scope keys such as ``repo-month:o/r:2026-11``."""
        pipe = self.redis.pipeline(transaction=True)
        for key, (tokens, micros) in totals.items():
            pipe.hset(scope_key(key), mapping={"t": tokens, "m": micros})
        await pipe.execute()


def _now(value: int | None) -> int:
    return now_ms() if value is None else value
