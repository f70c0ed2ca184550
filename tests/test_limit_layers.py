"""Finding 4: spend limits in three layers. The operator's ceilings bind every file; an organization's limits
bind its repositories, which may only tighten them; known models are priced by the operator's table."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from app.budget import open_ledger
from app.settings import Settings, SettingsError
from config.cache import ConfigCache
from config.limits import OPERATOR, ORGANIZATION, REPOSITORY, SHIPPED, Ceilings
from config.loader import load_config
from config.model import Limit
from tests.fakegithub import FakeGitHub
from tests.fakeproviders import FakeProvider, serve_provider
from tests.stack import OWNER, REPO, SHA_1, deliver, delivery_for, drain

GREEDY_REPO = """\
budget:
  per_pr: {usd: 1000}
  per_org_month: {usd: null, tokens: null}
models:
  small: {provider: anthropic, name: claude-haiku-4-5, max_output_tokens: 100000000}
  prices:
    claude-haiku-4-5:
      {input_per_mtok: 0, cached_input_per_mtok: 0, cache_write_per_mtok: 0, output_per_mtok: 0}
"""
ORG = "mode: enforce\nbudget:\n  per_pr: {usd: 3}\n"


class Files:
    def __init__(self, files: dict[tuple[str, str], str]) -> None:
        self.files = files

    async def __call__(self, repo: str, path: str, ref: str | None) -> tuple[str, str] | None:
        text = self.files.get((repo, path))
        return None if text is None else (text, str(hash(text)))


async def load(files: dict[tuple[str, str], str], ceilings: Ceilings | None = None):  # type: ignore[no-untyped-def]
    return await load_config(Files(files), "acme/w", "main", cache=ConfigCache(), ceilings=ceilings)


async def test_a_repository_cannot_lift_what_its_organization_set() -> None:
    loaded = await load(
        {("acme/w", ".agentbudget.yml"): GREEDY_REPO, ("acme/.github", ".agentbudget.yml"): ORG}
    )
    config = loaded.config
    assert config.budget.per_pr.usd == 3  # the org's, not the repo's 1000
    assert config.budget.per_org_month.usd == 500  # the org-month budget is never the repo's to lift
    assert config.models.small.max_output_tokens == 16_384  # the operator's default ceiling
    assert config.models.prices["claude-haiku-4-5"].output_per_mtok == 5.0  # the shipped price, not 0
    layers = {s.key: s.layer for s in loaded.limits}
    assert layers["budget.per_pr.usd"] == ORGANIZATION
    assert layers["budget.per_org_month.usd"] == SHIPPED
    assert layers["models.small.max_output_tokens"] == OPERATOR


async def test_a_repository_may_tighten_and_set_what_the_organization_left_alone() -> None:
    repo = "budget:\n  per_pr: {usd: 1}\n  per_repo_month: {usd: 150}\n"
    loaded = await load({("acme/w", ".agentbudget.yml"): repo, ("acme/.github", ".agentbudget.yml"): ORG})
    assert loaded.config.budget.per_pr.usd == 1
    assert (
        loaded.config.budget.per_repo_month.usd == 150
    )  # not set by the org: the shipped value is a default
    assert {s.key: s.layer for s in loaded.limits}["budget.per_pr.usd"] == REPOSITORY


async def test_operator_ceilings_bind_the_organization_too() -> None:
    org = "budget:\n  per_org_month: {usd: null}\n  per_pr: {usd: 50}\napprovals: {budget_ceiling_usd: 900}\n"
    ceilings = Ceilings(
        budget={"per_org_month": Limit(usd=40.0), "per_pr": Limit(usd=5.0)}, max_output_tokens=1000
    )
    loaded = await load({("acme/.github", ".agentbudget.yml"): org}, ceilings)
    assert loaded.config.budget.per_org_month.usd == 40
    assert loaded.config.budget.per_pr.usd == 5
    assert loaded.config.approvals.budget_ceiling_usd == 5
    assert loaded.config.models.large.max_output_tokens == 1000


def test_operator_ceilings_from_the_environment_and_a_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "limits.yml"
    path.write_text("budget:\n  per_org_month: {usd: 70}\nmax_output_tokens: 2000\n")
    settings = Settings.from_env({"AGENTBUDGET_LIMITS_FILE": str(path), "AGENTBUDGET_MAX_PR_USD": "4"})
    assert settings.ceilings.budget["per_org_month"].usd == 70
    assert settings.ceilings.budget["per_pr"].usd == 4
    assert settings.ceilings.max_output_tokens == 2000
    with pytest.raises(SettingsError, match="AGENTBUDGET_MAX_PR_USD"):
        Settings.from_env({"AGENTBUDGET_MAX_PR_USD": "lots"})
    path.write_text("budget:\n  per_week: {usd: 70}\n")
    with pytest.raises(SettingsError, match="per_week"):
        Settings.from_env({"AGENTBUDGET_LIMITS_FILE": str(path)})


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeProvider]:
    with serve_provider("anthropic") as fake:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
        yield fake


async def test_a_greedy_repository_is_metered_at_the_operators_prices_and_limits(
    server: httpx.Client, github: FakeGitHub, settings: Settings, provider: FakeProvider
) -> None:
    github.set_file(OWNER, REPO, "main", ".agentbudget.yml", GREEDY_REPO)
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    assert provider.calls == 1
    assert provider.requests[0].body["max_tokens"] == 16_384
    ledger = open_ledger(settings.database_url)
    try:
        (record,) = ledger.usage_records()
    finally:
        ledger.close()
    assert record.micros > 0  # priced from the operator's table, not the repository's zeros
    (run,) = github.runs_for(OWNER, REPO, SHA_1)
    summary = run["output"]["summary"]
    assert "organization month $500.00 (shipped default)" in summary
    assert "Not applied" in summary and "`models.small.max_output_tokens`" in summary
