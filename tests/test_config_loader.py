from __future__ import annotations

import hashlib

import pytest

from config.cache import ConfigCache
from config.changes import describe_changes, loosens_gate
from config.loader import LoadedConfig, load_config, parse_config_text
from config.model import Config

Files = dict[tuple[str, str, str | None], str]


class FakeRepos:
    """Files by (repo, path, ref); ref None is the default branch. Records every read."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self.reads: list[tuple[str, str, str | None]] = []

    async def __call__(self, repo: str, path: str, ref: str | None) -> tuple[str, str] | None:
        self.reads.append((repo, path, ref))
        text = self.files.get((repo, path, ref))
        return None if text is None else (text, hashlib.sha1(text.encode()).hexdigest())


async def load(files: Files, repo: str = "acme/widgets", base_ref: str = "main") -> LoadedConfig:
    return await load_config(FakeRepos(files), repo, base_ref, cache=ConfigCache())


async def test_no_files_means_shipped_defaults() -> None:
    loaded = await load({})
    assert loaded == LoadedConfig(Config(), (), ())


@pytest.mark.parametrize("path", [".agentbudget.yml", ".github/agentbudget.yml"])
async def test_repo_file_is_read_at_the_base_ref(path: str) -> None:
    loaded = await load({("acme/widgets", path, "main"): "review: {max_files: 7}"})
    assert loaded.config.review.max_files == 7
    assert loaded.sources == (f"acme/widgets:{path}@main",)


async def test_root_file_wins_over_dot_github_file() -> None:
    files: Files = {
        ("acme/widgets", ".agentbudget.yml", "main"): "review: {max_files: 1}",
        ("acme/widgets", ".github/agentbudget.yml", "main"): "review: {max_files: 2}",
    }
    assert (await load(files)).config.review.max_files == 1


async def test_org_defaults_merge_under_the_repo_file() -> None:
    files: Files = {
        (
            "acme/.github",
            ".agentbudget.yml",
            None,
        ): "review: {max_files: 9, max_changed_lines: 900}\nmode: observe",
        ("acme/widgets", ".agentbudget.yml", "main"): "review: {max_files: 3}",
    }
    loaded = await load(files)
    assert (loaded.config.review.max_files, loaded.config.review.max_changed_lines) == (3, 900)
    assert loaded.config.mode == "observe"
    assert loaded.sources == ("acme/widgets:.agentbudget.yml@main", "acme/.github:.agentbudget.yml")


async def test_org_defaults_alone_apply_to_a_repo_without_a_file() -> None:
    files: Files = {("acme/.github", ".github/agentbudget.yml", None): "budget: {per_pr: {usd: 0.5}}"}
    loaded = await load(files)
    assert loaded.config.budget.per_pr.micro_usd == 500_000


async def test_the_org_repo_itself_reads_its_own_file_once() -> None:
    files: Files = {("acme/.github", ".agentbudget.yml", "main"): "review: {max_files: 4}"}
    loaded = await load(files, repo="acme/.github")
    assert loaded.config.review.max_files == 4 and len(loaded.sources) == 1


async def test_extends_chain_of_three_merges_each_under_the_one_before() -> None:
    files: Files = {
        ("acme/widgets", ".agentbudget.yml", "main"): "_extends: base\nreview: {max_files: 1}",
        (
            "acme/base",
            ".agentbudget.yml",
            None,
        ): "_extends: other/policy\nreview: {max_files: 2, max_changed_lines: 20}",
        (
            "other/policy",
            ".github/agentbudget.yml",
            None,
        ): "_extends: other/policy:deep/root.yaml\nmode: observe",
        (
            "other/policy",
            "deep/root.yaml",
            None,
        ): "review: {max_files: 4, max_changed_lines: 40, skip_drafts: false}",
    }
    loaded = await load(files)
    assert loaded.problems == ()
    review = loaded.config.review
    assert (review.max_files, review.max_changed_lines, review.skip_drafts) == (1, 20, False)
    assert loaded.config.mode == "observe"
    assert loaded.sources == (
        "acme/widgets:.agentbudget.yml@main",
        "acme/base:.agentbudget.yml",
        "other/policy:.github/agentbudget.yml",
        "other/policy:deep/root.yaml",
    )


async def test_extends_into_the_same_repo_reads_the_base_ref_not_the_default_branch() -> None:
    files: Files = {
        ("acme/widgets", ".agentbudget.yml", "release"): "_extends: widgets:policies/strict.yml",
        ("acme/widgets", "policies/strict.yml", "release"): "review: {max_files: 5}",
        ("acme/widgets", "policies/strict.yml", None): "review: {max_files: 500}",
    }
    assert (await load(files, base_ref="release")).config.review.max_files == 5


async def test_extends_cycle_is_a_clear_problem_naming_the_chain() -> None:
    files: Files = {
        ("acme/widgets", ".agentbudget.yml", "main"): "review: {max_files: 1}\n_extends: a",
        ("acme/a", ".agentbudget.yml", None): "_extends: b",
        ("acme/b", ".agentbudget.yml", None): "_extends: acme/a",
    }
    loaded = await load(files)
    assert loaded.config == Config()
    (problem,) = loaded.problems
    assert problem.message == (
        "`_extends` cycle: acme/widgets:.agentbudget.yml@main → acme/a:.agentbudget.yml → "
        "acme/b:.agentbudget.yml → acme/a:.agentbudget.yml"
    )
    assert (problem.file, problem.key_path, problem.line) == ("acme/b:.agentbudget.yml", "_extends", 1)
    assert "remove `_extends`" in problem.fix


async def test_a_file_extending_itself_is_a_cycle() -> None:
    files: Files = {("acme/widgets", ".agentbudget.yml", "main"): "_extends: widgets"}
    (problem,) = (await load(files)).problems
    assert "cycle" in problem.message and problem.file == ".agentbudget.yml"


async def test_extends_deeper_than_five_is_refused() -> None:
    files: Files = {("acme/widgets", ".agentbudget.yml", "main"): "_extends: r1"}
    files.update({(f"acme/r{i}", ".agentbudget.yml", None): f"_extends: r{i + 1}" for i in range(1, 8)})
    (problem,) = (await load(files)).problems
    assert problem.message.startswith(
        "more than 5 `_extends` in a row: acme/widgets:.agentbudget.yml@main → acme/r1"
    )


async def test_extends_of_a_missing_file_is_a_problem_not_silence() -> None:
    files: Files = {
        ("acme/widgets", ".agentbudget.yml", "main"): "mode: observe\n_extends: acme/policy:x.yml"
    }
    loaded = await load(files)
    (problem,) = loaded.problems
    assert problem.message == "`_extends: acme/policy:x.yml`: no x.yml in acme/policy"
    assert (problem.key_path, problem.line) == ("_extends", 2)
    assert loaded.config == Config()


async def test_problem_in_an_extended_file_names_that_file_and_line() -> None:
    files: Files = {
        ("acme/widgets", ".agentbudget.yml", "main"): "_extends: base\nreview: {max_files: 1}",
        ("acme/base", ".agentbudget.yml", None): "mode: enforce\nreview:\n  max_changed_lines: many\n",
    }
    (problem,) = (await load(files)).problems
    assert (problem.file, problem.key_path, problem.line) == (
        "acme/base:.agentbudget.yml",
        "review.max_changed_lines",
        3,
    )


async def test_a_value_set_in_both_layers_is_blamed_on_the_top_one() -> None:
    files: Files = {
        ("acme/.github", ".agentbudget.yml", None): "review:\n  max_files: 3\n",
        ("acme/widgets", ".agentbudget.yml", "main"): "mode: enforce\nreview:\n  max_files: -3\n",
    }
    (problem,) = (await load(files)).problems
    assert (problem.file, problem.line) == (".agentbudget.yml", 3)


async def test_broken_org_defaults_fail_loudly_in_every_repo() -> None:
    files: Files = {("acme/.github", ".agentbudget.yml", None): "reveiw: {}"}
    loaded = await load(files)
    assert [p.file for p in loaded.problems] == ["acme/.github:.agentbudget.yml"]
    assert loaded.sources == ("acme/.github:.agentbudget.yml",)


async def test_lists_replace_and_mappings_merge_across_layers() -> None:
    files: Files = {
        ("acme/.github", ".agentbudget.yml", None): "review: {branches: [main, develop]}\n"
        "models: {prices: {my-model: {input_per_mtok: 1, cached_input_per_mtok: 0, cache_write_per_mtok: 1, "
        "output_per_mtok: 2}}}",
        ("acme/widgets", ".agentbudget.yml", "main"): "review: {branches: [trunk]}\n"
        "models: {large: {provider: openai, name: my-model, max_output_tokens: 100}}",
    }
    config = (await load(files)).config
    assert config.review.branches == ("trunk",)
    assert config.models.large.name == "my-model"
    assert {"my-model", "claude-haiku-4-5"} <= set(config.models.prices)


async def test_repeated_events_parse_each_blob_once() -> None:
    cache = ConfigCache()
    fetch = FakeRepos(
        {
            ("acme/widgets", ".agentbudget.yml", "main"): "_extends: .github\nreview: {max_files: 2}",
            ("acme/.github", ".agentbudget.yml", None): "mode: observe",
        }
    )
    first = await load_config(fetch, "acme/widgets", "main", cache=cache)
    for _ in range(5):
        assert await load_config(fetch, "acme/widgets", "main", cache=cache) == first
    assert cache.parses == 2
    assert first.config.mode == "observe" and first.config.review.max_files == 2
    # the repo already extends the org file: it is not read a second time as org defaults
    assert first.sources == ("acme/widgets:.agentbudget.yml@main", "acme/.github:.agentbudget.yml")


async def test_invalid_files_are_cached_too_and_report_fresh_errors() -> None:
    cache = ConfigCache()
    fetch = FakeRepos({("acme/widgets", ".agentbudget.yml", "main"): "mode: [x"})
    results = [await load_config(fetch, "acme/widgets", "main", cache=cache) for _ in range(3)]
    assert cache.parses == 1
    assert results[0].problems == results[2].problems and results[0].problems


async def test_cache_is_bounded() -> None:
    cache = ConfigCache(max_entries=2)
    for n in range(5):
        await load_config(
            FakeRepos({("acme/w", ".agentbudget.yml", "main"): f"review: {{max_files: {n}}}"}),
            "acme/w",
            "main",
            cache=cache,
        )
    assert len(cache.sources) == 2 and len(cache.configs) == 2


async def test_a_pr_that_raises_its_own_budget_does_not_get_it() -> None:
    base_text = "budget:\n  per_pr: {usd: 5}\n"
    head_text = "budget:\n  per_pr: {usd: 50}\n"
    fetch = FakeRepos(
        {
            ("acme/widgets", ".agentbudget.yml", "main"): base_text,
            ("acme/widgets", ".agentbudget.yml", "agent/raise-budget"): head_text,
        }
    )
    loaded = await load_config(fetch, "acme/widgets", "main", cache=ConfigCache())
    assert loaded.config.budget.per_pr.usd == 5
    assert all(ref != "agent/raise-budget" for _, _, ref in fetch.reads)
    head = parse_config_text(head_text, ".agentbudget.yml")
    assert describe_changes(loaded.config, head) == ("`budget.per_pr.usd`: 5 → 50 (loosens the gate)",)
    assert loosens_gate(loaded.config, head)


async def test_fetch_failures_propagate_for_the_caller_to_retry() -> None:
    async def failing(repo: str, path: str, ref: str | None) -> tuple[str, str] | None:
        raise TimeoutError("github is slow")

    with pytest.raises(TimeoutError):
        await load_config(failing, "acme/widgets", "main", cache=ConfigCache())
