"""Money: integer micro-dollars everywhere; these are the only ways out of them."""

from __future__ import annotations

from config.model import MICRO_USD_PER_USD


def usd(micros: int) -> str:
    """For people: `$1,234.57`."""
    return f"${micros / MICRO_USD_PER_USD:,.2f}"


def usd_exact(micros: int) -> str:
    """For files (CSV): every micro-dollar, no trailing zeros: `0.012345`, `3`."""
    return f"{micros / MICRO_USD_PER_USD:.6f}".rstrip("0").rstrip(".")


def usd_number(micros: int) -> float:
    """For machines (metrics, JSON): dollars as a number."""
    return micros / MICRO_USD_PER_USD
