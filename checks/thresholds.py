"""Which budget thresholds a use has crossed: the `budget.warn_at` fractions, and 1.0, the limit itself.

One rule for the check run's warnings and the channel's alerts. A threshold is crossed when
used >= threshold x limit, compared exactly (0.8 is four fifths of the limit, not the float nearest it);
reaching the limit is "exhausted" in both, whatever `warn_at` says. Token and dollar limits are measured
apart; a scope has crossed a threshold when either has.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

EXHAUSTED = 1.0


def levels(warn_at: Iterable[float]) -> tuple[float, ...]:
    """The `warn_at` fractions, ascending and once each, then 1.0."""
    return tuple(sorted({*(float(t) for t in warn_at), EXHAUSTED}))


def crossed(warn_at: Iterable[float], used: int, limit: int | None) -> tuple[float, ...]:
    """The levels `used` of `limit` has reached, ascending; none without a (non-zero) limit."""
    if not limit:
        return ()
    return tuple(t for t in levels(warn_at) if Decimal(used) >= Decimal(str(t)) * limit)


def crossed_any(warn_at: Iterable[float], pairs: Iterable[tuple[int, int | None]]) -> tuple[float, ...]:
    """The levels any of the (used, limit) pairs has reached: a scope limited in tokens and in dollars."""
    marks = tuple(warn_at)
    return tuple(sorted({t for used, limit in pairs for t in crossed(marks, used, limit)}))


def exhausted(threshold: float) -> bool:
    return threshold >= EXHAUSTED
