"""Spend limits in three layers, so a tenant's file can never lift what protects the operator's API key.

1. The operator (environment or a server-side file): ceilings no configuration can exceed, and the price
   table for known models (the shipped prices unless the operator gives its own).
2. The organization (`owner/.github` and its chain): the limits it sets hold for every repository, which
   may only tighten them; the org-month budget is the organization's alone (the shipped value until the
   organization sets one).
3. The repository's own file: a lower limit wins; a higher one, `null`, or a lower price for a known model
   is ignored, and the run says which layer each limit came from.

Pure: configs in, the effective config and where each limit came from out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from config.model import Config, Limit, ModelChoice, Price

OPERATOR, ORGANIZATION, REPOSITORY, SHIPPED = (
    "operator ceiling",
    "organization",
    "repository",
    "shipped default",
)
SCOPES = ("per_pr", "per_repo_month", "per_org_month")
SLOTS = ("small", "large")


def _shipped_prices() -> dict[str, Price]:
    return dict(Config().models.prices)


@dataclass(frozen=True)
class Ceilings:
    """The operator's layer. None: no ceiling."""

    budget: Mapping[str, Limit] = field(default_factory=dict)  # scope -> ceiling
    max_output_tokens: int | None = 16_384
    prices: Mapping[str, Price] = field(default_factory=_shipped_prices)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Ceilings:
        """`{budget: {per_pr: {usd, tokens}, …}, max_output_tokens: N, prices: {model: {…}}}`; raises
        ValueError (pydantic's) naming the bad key."""
        budget = {scope: Limit.model_validate(value) for scope, value in (data.get("budget") or {}).items()}
        unknown = set(budget) - set(SCOPES)
        if unknown:
            raise ValueError(f"budget: unknown scope {sorted(unknown)[0]!r}; choose from {', '.join(SCOPES)}")
        prices = {
            **_shipped_prices(),
            **{k: Price.model_validate(v) for k, v in (data.get("prices") or {}).items()},
        }
        max_output = data.get("max_output_tokens", cls.max_output_tokens)
        if max_output is not None and (not isinstance(max_output, int) or max_output <= 0):
            raise ValueError("max_output_tokens: a positive whole number or null")
        return cls(budget, max_output, prices)


@dataclass(frozen=True)
class LimitSource:
    key: str  # e.g. "budget.per_org_month.usd"
    value: Any
    layer: str  # OPERATOR | ORGANIZATION | REPOSITORY | SHIPPED
    note: str = ""  # what was asked for and refused, if anything


def _tighter(a: Any, b: Any) -> Any:
    """The stricter of two limits, None meaning unlimited."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _choose(
    key: str, repo_value: Any, org_value: Any, ceiling: Any, *, repo_set: bool, org_set: bool
) -> LimitSource:
    """The organization's value binds the repository when the organization set it (the org-month budget:
    always, the shipped value standing in); otherwise the shipped value is only a default."""
    value, layer, note = org_value, ORGANIZATION if org_set else SHIPPED, ""
    binding = org_set or ".per_org_month." in key
    if repo_set and repo_value != org_value:
        if not binding or _tighter(repo_value, org_value) == repo_value:
            value, layer = repo_value, REPOSITORY
        else:
            note = f"the repository asked for {_shown(repo_value)}; a repository may only tighten"
    if ceiling is not None and _tighter(value, ceiling) != value:
        note = f"{layer} asked for {_shown(value)}"
        value, layer = ceiling, OPERATOR
    return LimitSource(key, value, layer, note)


def _shown(value: Any) -> str:
    return "no limit" if value is None else f"{value:,}"


def apply_limits(
    full: Config, org: Config, ceilings: Ceilings, *, repo_keys: frozenset[str], org_keys: frozenset[str]
) -> tuple[Config, tuple[LimitSource, ...]]:
    """`full`: every layer merged; `org`: the organization's layers alone (over the shipped defaults).
    `repo_keys`/`org_keys`: dotted keys the repository's / organization's files set."""
    sources: list[LimitSource] = []
    budget: dict[str, Limit] = {}
    for scope in SCOPES:
        parts: dict[str, Any] = {}
        for unit in ("tokens", "usd"):
            key = f"budget.{scope}.{unit}"
            ceiling_limit = ceilings.budget.get(scope)
            chosen = _choose(
                key,
                getattr(getattr(full.budget, scope), unit),
                getattr(getattr(org.budget, scope), unit),
                getattr(ceiling_limit, unit) if ceiling_limit is not None else None,
                repo_set=_sets(repo_keys, key),
                org_set=_sets(org_keys, key),
            )
            parts[unit] = chosen.value
            sources.append(chosen)
        budget[scope] = Limit(**parts)
    models: dict[str, ModelChoice] = {}
    for slot in SLOTS:
        key = f"models.{slot}.max_output_tokens"
        mine, theirs = getattr(full.models, slot), getattr(org.models, slot)
        chosen = _choose(
            key,
            mine.max_output_tokens,
            theirs.max_output_tokens,
            ceilings.max_output_tokens,
            repo_set=_sets(repo_keys, key),
            org_set=_sets(org_keys, key),
        )
        models[slot] = mine.model_copy(update={"max_output_tokens": chosen.value})
        sources.append(chosen)
    ceiling_key = "approvals.budget_ceiling_usd"
    per_pr_ceiling = ceilings.budget.get("per_pr")
    approval_ceiling = _choose(
        ceiling_key,
        full.approvals.budget_ceiling_usd,
        org.approvals.budget_ceiling_usd,
        per_pr_ceiling.usd if per_pr_ceiling is not None else None,
        repo_set=_sets(repo_keys, ceiling_key),
        org_set=_sets(org_keys, ceiling_key),
    )
    sources.append(approval_ceiling)
    prices, price_sources = _prices(full, org, ceilings, repo_keys)
    sources += price_sources
    effective = full.model_copy(
        update={
            "budget": full.budget.model_copy(update=budget),
            "models": full.models.model_copy(update={**models, "prices": prices}),
            "approvals": full.approvals.model_copy(update={"budget_ceiling_usd": approval_ceiling.value}),
        }
    )
    return effective, tuple(sources)


def _sets(keys: frozenset[str], key: str) -> bool:
    return any(key == k or key.startswith(k + ".") for k in keys)


def _prices(
    full: Config, org: Config, ceilings: Ceilings, repo_keys: frozenset[str]
) -> tuple[dict[str, Price], list[LimitSource]]:
    """Known models: the operator's table, always. Others: the organization's price, or the repository's
    where the organization names none; a repository never lowers a price the organization set."""
    prices: dict[str, Price] = {}
    sources: list[LimitSource] = []
    for name, price in full.models.prices.items():
        key = f"models.prices.{name}"
        if name in ceilings.prices:
            prices[name] = ceilings.prices[name]
            if price != ceilings.prices[name] and _sets(repo_keys | frozenset(), key):
                sources.append(
                    LimitSource(key, "", OPERATOR, "a configuration file cannot price a known model")
                )
            continue
        theirs = org.models.prices.get(name)
        prices[name] = price if theirs is None else _dearer(price, theirs)
    for name, price in ceilings.prices.items():
        prices.setdefault(name, price)
    return prices, sources


def _dearer(a: Price, b: Price) -> Price:
    return Price(**{f: max(getattr(a, f), getattr(b, f)) for f in Price.model_fields})


def dotted_keys(data: Mapping[str, Any], prefix: str = "") -> frozenset[str]:
    """Every leaf key path a file sets, dotted (`budget.per_pr.usd`)."""
    keys: set[str] = set()
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            keys |= dotted_keys(value, path + ".")
        else:
            keys.add(path)
    return frozenset(keys)


_SCOPE_NAMES = {
    "per_pr": "per PR",
    "per_repo_month": "repository month",
    "per_org_month": "organization month",
}


def limits_notes(sources: tuple[LimitSource, ...]) -> tuple[str, ...]:
    """For the check run: each spend limit in force and the layer it came from; what was refused, and why."""
    if not sources:
        return ()
    by_key = {s.key: s for s in sources}
    parts = []
    for scope in SCOPES:
        usd, tokens = by_key.get(f"budget.{scope}.usd"), by_key.get(f"budget.{scope}.tokens")
        shown = [
            f"${s.value:,.2f} ({s.layer})" if s is usd else f"{s.value:,} tokens ({s.layer})"
            for s in (usd, tokens)
            if s is not None and s.value is not None
        ]
        parts.append(f"{_SCOPE_NAMES[scope]} " + (" · ".join(shown) if shown else "no limit"))
    notes = ["Spend limits: " + "; ".join(parts) + "."]
    refused = [s for s in sources if s.note]
    if refused:
        notes.append(
            "Not applied: "
            + "; ".join(f"`{s.key}` — {s.note}, so {_shown_value(s)} ({s.layer}) holds" for s in refused)
            + "."
        )
    return tuple(notes)


def _shown_value(source: LimitSource) -> str:
    if source.value == "" or source.value is None:
        return "the operator's price" if source.key.startswith("models.prices.") else "no limit"
    return f"{source.value:,}"
