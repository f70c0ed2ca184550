"""What exposure tests assert on: the findings that grow exposure, as (change, method, path)."""

from __future__ import annotations

from checks.exposure import compare


def grown(base: dict[str, str], head: dict[str, str]) -> set[tuple[str, str, str]]:
    """Endpoints widened, and internal endpoints added, from `base` to `head`."""
    return {
        (f.change, f.endpoint.method, f.endpoint.path)
        for f in compare(base, head).findings
        if f.change == "widened" or (f.change == "added" and f.internal)
    }
