"""The one model of `.agentbudget.yml`: its defaults, its JSON Schema and the shipped file come from here.

Every section forbids unknown keys. Scalars are strict (a quoted "1500" is not a number) so the model and
the JSON Schema editors see agree on what is valid. Field descriptions are the documentation: they become
the comments of `config/default.agentbudget.yml` and the hovers of `config/schema.json`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    StrictInt,
    StrictStr,
    model_validator,
)

from config.errors import KeyProblem
from config.globs import MAX_GLOB_LENGTH, MAX_GLOB_WILDCARDS, check_glob

Usd = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)]
Count = Annotated[StrictInt, Field(ge=0)]


def _bounded_glob(pattern: str) -> str:
    problem = check_glob(pattern)
    if problem is not None:
        raise KeyProblem(
            (),
            f"{problem}: `{pattern[:60]}`",
            f"use a shorter glob (at most {MAX_GLOB_LENGTH} characters and {MAX_GLOB_WILDCARDS} wildcards)",
        )
    return pattern


# A path or branch glob: matched in linear time (checks/globs.py), and bounded in size here.
Glob = Annotated[StrictStr, AfterValidator(_bounded_glob)]
PullRequestAction = Literal[
    "opened",
    "reopened",
    "synchronize",
    "ready_for_review",
    "edited",
    "labeled",
    "unlabeled",
    "converted_to_draft",
    "review_requested",
    "rerequested",
]
EvidenceSection = Literal["what_changed", "not_changed", "tests_run", "uncertainty", "tokens"]
Permission = Literal["admin", "maintain", "write", "triage"]
PERMISSION_ORDER: tuple[Permission, ...] = ("triage", "write", "maintain", "admin")
MICRO_USD_PER_USD = 1_000_000


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Triggers(Section):
    events: tuple[PullRequestAction, ...] = Field(
        default=("opened", "reopened", "synchronize", "ready_for_review", "rerequested"),
        description="Pull-request events that start a review. `rerequested` is a re-run from the Checks tab.",
    )
    labels: tuple[StrictStr, ...] = Field(
        default=(),
        description="Adding one of these labels to a pull request starts a review.",
    )
    commands: tuple[Literal["review"], ...] = Field(
        default=("review",),
        description="Slash-commands that start a review from a PR comment "
        "(`review` is `/agentbudget review`); "
        "an empty list disables them. Approvals (`/agentbudget approve ...`) always re-evaluate.",
    )


class AgentDetection(Section):
    authors: tuple[StrictStr, ...] = Field(
        default=(
            "Copilot",
            "copilot-swe-agent[bot]",
            "devin-ai-integration[bot]",
            "google-labs-jules[bot]",
            "chatgpt-codex-connector[bot]",
            "claude[bot]",
            "cursor[bot]",
            "cursoragent",
            "sweep-ai[bot]",
            "codegen-sh[bot]",
            "openhands-agent",
            "open-swe[bot]",
            "amazon-q-developer[bot]",
            "vercel[bot]",
            "v0[bot]",
            "factory-droid[bot]",
            "sentry-junior[bot]",
            "seer-by-sentry[bot]",
            "roomote[bot]",
            "blinkagent[bot]",
            "cto-new[bot]",
            "*-agent[bot]",
            "*-agent-*[bot]",
            "holonbot[bot]",
            "*-codex[bot]",
            "*-claude[bot]",
            "*coding-agent*",
            "*-ai[bot]",
        ),
        description="Logins of coding agents (case-insensitive; `*` is a wildcard, e.g. `*-agent[bot]`).",
    )
    labels: tuple[StrictStr, ...] = Field(
        default=("agent-authored", "ai-generated", "codex"),
        description="Labels that mark a pull request as agent-authored.",
    )
    titles: tuple[StrictStr, ...] = Field(
        default=("[codex]*",),
        description="Pull request titles and commit subjects that mark a pull request as agent-authored "
        "(case-insensitive, `*` wildcard, matched whole): the Codex connector titles its pull requests "
        "`[codex] …`.",
    )
    branches: tuple[StrictStr, ...] = Field(
        default=("codex/*", "copilot/*", "cursor/*", "claude/*", "devin/*"),
        description="Head branches that coding agents create (case-insensitive, `*` wildcard, matched "
        "whole): Codex, the Copilot coding agent, Cursor's background agents, Claude Code and Devin name "
        "their branches so.",
    )
    trailers: tuple[StrictStr, ...] = Field(
        default=(
            "Co-authored-by: Claude *",
            "Co-authored-by: * <noreply@anthropic.com>",
            # the coding agent and Copilot App, not "Copilot Autofix powered by AI" (a code-scanning fix)
            "Co-authored-by: Copilot <*",
            "Co-authored-by: Copilot App *",
            "Co-authored-by: *copilot-swe-agent*",
            "Co-authored-by: Cursor *",
            "Co-authored-by: * <cursoragent@cursor.com>",
            "Co-authored-by: *Codex*",
            "Co-authored-by: *aider*",
            "Co-authored-by: *google-labs-jules*",
            "Co-authored-by: *devin-ai-integration*",
            "Co-authored-by: *openhands*",
            "Co-authored-by: * <amp@ampcode.com>",
            "Co-authored-by: * <roomote@roocode.com>",
            "Co-authored-by: *factory-droid*",
            "Co-authored-by: * <noreply@opencode.ai>",
            "Co-authored-by: * <crush@charm.land>",
            "Co-authored-by: cto-new[bot] *",
            "Co-authored-by: *gemini-code-assist*",
            "Co-authored-by: *gemini-cli*",
            "Co-authored-by: Gemini CLI *",
            "Co-authored-by: * <gemini-generated@google.com>",
            "Co-authored-by: *agentty*",
            "Co-authored-by: * <*@sisyphuslabs.ai>",
            "Co-authored-by: * <noreply@forgecode.dev>",
            "Co-authored-by: * Agent <*",
            "Amp-Thread-ID: *",
            "Entire-Checkpoint: *",
            "Claude-Session: *",
            "Copilot-Session: *",
            "Assisted-by: *",
            "Assisted By: *",
            "Generated-by: *",
            "Agent-Tokens: *",
            "Made-with: Cursor*",
        ),
        description="Commit trailers (`Key: value`, case-insensitive, `*` wildcard) that mark a commit as "
        "agent-authored.",
    )
    markers: tuple[StrictStr, ...] = Field(
        default=(
            "*Generated with [Claude Code]*",
            "*Generated with Claude Code*",
            "*claude.ai/code/session*",
            "*chatgpt.com/codex/tasks/*",
            "*chatgpt.com/codex/cloud/tasks/*",
            "*app.devin.ai/sessions/*",
            "*Made with [Cursor]*",
            "*Made-with: Cursor*",
            "*cursor.com/background-agent*",
            "*cursor.com/agents*",
            "*jules.google.com/task*",
            "*<!-- START COPILOT CODING AGENT*",
            "*gh.io/copilot-coding-agent*",
            "*gh.io/cca-*",
            "*PR was created by Copilot*",
            "*Generated by Copilot at *",
            "*created by OpenHands*",
            "*openhands-ai*",
            "*Created by Open SWE*",
            "*Made by [Open SWE]*",
            "*feedback for Jules to continue*",
            "*ampcode.com/threads/*",
            "*app.all-hands.dev/conversations/*",
            "*Generated with Crush*",
            "*<!-- mux-attribution:*",
            "*🤖 Generated with *",
            "*Installing Claude Code GitHub App*",
            "*copilot-workspace.githubnext.com/*",
            "*app.warp.dev/conversation/*",
            "*set up this repo for success with Ona*",
            "*<!-- VORFLUX_AGENT_PR_BODY_BEGIN -->*",
            "*vorflux.com/agent-sessions/*",
            "*Generated with Blink*",
            "*created with the help of Coder Agents*",
            "*Created with [PostHog Code]*",
        ),
        description="Footers and markers in the PR body that coding agents write (case-insensitive, `*` "
        "wildcard, matched anywhere in the body): Claude Code's footer and session links, Codex task links, "
        "Devin session links, Cursor's footer, Copilot's HTML markers.",
    )
    names: tuple[StrictStr, ...] = Field(
        default=(
            "Claude Code",
            "Claude",
            "OpenAI Codex",
            "codex-cli",
            "Codex CLI",
            "Codex",
            "GitHub Copilot",
            "Copilot",
            "Cursor",
            "Devin",
            "Jules",
            "Gemini CLI",
            "Gemini",
            "Gemini Code Assist",
            "Amp",
            "aider",
            "OpenHands",
            "Windsurf",
            "Cline",
            "Roo Code",
            "Kiro",
            "opencode",
            "Letta Code",
            "Crush",
            "Factory Droid",
            "Antigravity",
            "Vibe Kanban",
            "Warp",
            "Qodo",
            "Goose",
            "Junie",
            "IBM Bob",
            "Codebuff",
            "Blink",
            "Coder Agents",
            "an AI agent",
            "an agent",
            "an AI coding agent",
            "a coding agent",
            "AI",
        ),
        description='Coding agents a disclosure in the PR body may credit, case-insensitive: "This PR was '
        'written by Codex", "changes generated by Cursor background composer", a line "🤖 Generated by AI", '
        '"Gemini CLI was used to …".',
    )


class Review(Section):
    triggers: Triggers = Field(default=Triggers(), description="What may start an AI review.")
    branches: tuple[Glob, ...] = Field(
        default=("**",),
        description="Base branches (globs: `*` within a segment, `**` across `/`) whose pull requests are "
        "reviewed.",
    )
    max_changed_lines: Count = Field(
        default=1500,
        description="Above this many changed lines (after ignore_paths) the review waits for "
        "`/agentbudget approve size`.",
    )
    max_files: Count = Field(
        default=100,
        description="Above this many changed files (after ignore_paths) the review waits for "
        "`/agentbudget approve size`.",
    )
    ignore_paths: tuple[Glob, ...] = Field(
        default=(
            "package-lock.json",
            "yarn.lock",
            "pnpm-lock.yaml",
            "poetry.lock",
            "Cargo.lock",
            "go.sum",
            "Gemfile.lock",
            "composer.lock",
            "uv.lock",
            "Pipfile.lock",
            "vendor/**",
            "third_party/**",
            "node_modules/**",
            "*.min.js",
            "*.pb.go",
            "*_pb2.py",
            "*.generated.*",
            "dist/**",
        ),
        description="Path globs (gitignore-like) not counted toward size and not sent to the model: "
        "lockfiles, vendored and generated files. The check run lists what was ignored.",
    )
    required: StrictBool = Field(
        default=False,
        description="No merge without the AI review: while a size, budget or model gate holds the review "
        "for approval, the check run blocks the merge (`action_required`). Off: the run says the review "
        "waits and names the command that lifts it, and the pull request may merge.",
    )
    skip_drafts: StrictBool = Field(default=True, description="Do not review draft pull requests.")
    skip_authors: tuple[StrictStr, ...] = Field(
        default=("dependabot[bot]", "renovate[bot]"),
        description="Never review pull requests by these logins (case-insensitive, `*` wildcard).",
    )
    only_authors: tuple[StrictStr, ...] = Field(
        default=(),
        description="If not empty, review only pull requests by these logins "
        "(case-insensitive, `*` wildcard).",
    )
    agents: AgentDetection = Field(
        default=AgentDetection(),
        description="How an agent-authored pull request is recognized (any one signal suffices).",
    )
    guidelines: Annotated[StrictStr, Field(max_length=20_000)] = Field(
        default="",
        description="Your review guidelines, sent first in every review prompt (with the instructions) so "
        "the provider's prompt cache serves them.",
    )
    max_prompt_tokens: Annotated[StrictInt, Field(ge=2_000, le=1_000_000)] = Field(
        default=60_000,
        description="Hard cap on a review prompt's tokens; files that do not fit are left out and named.",
    )


class Limit(Section):
    tokens: Count | None = Field(default=None, description="Tokens (input + output); null: no token limit.")
    usd: Usd | None = Field(default=None, description="US dollars; null: no dollar limit.")

    @property
    def micro_usd(self) -> int | None:
        return None if self.usd is None else round(self.usd * MICRO_USD_PER_USD)


class Budget(Section):
    per_pr: Limit = Field(default=Limit(usd=2.0), description="Review spend allowed per pull request.")
    per_repo_month: Limit = Field(
        default=Limit(usd=100.0), description="Review spend allowed per repository per calendar month (UTC)."
    )
    per_org_month: Limit = Field(
        default=Limit(usd=500.0),
        description="Review spend allowed per organization per calendar month (UTC), "
        "across its repositories.",
    )
    warn_at: tuple[Annotated[float, Strict(), Field(gt=0, le=1, allow_inf_nan=False)], ...] = Field(
        default=(0.8,),
        description="Fractions of a budget (0 < f <= 1) at which the check run warns.",
    )


class ModelChoice(Section):
    provider: Literal["anthropic", "openai"] = Field(
        description="`openai` also covers OpenAI-compatible servers (vLLM, Ollama, LiteLLM)."
    )
    name: StrictStr = Field(description="The provider's model name; it needs an entry in models.prices.")
    max_output_tokens: Annotated[StrictInt, Field(gt=0)] = Field(
        description="Cap on the review's output tokens."
    )


class RoutingRule(Section):
    use: Literal["small", "large"] = Field(description="The model this rule picks.")
    changed_lines_over: Count | None = Field(
        default=None, description="Matches when the counted changed lines exceed this."
    )
    paths: tuple[Glob, ...] = Field(default=(), description="Matches when any changed file matches a glob.")
    labels: tuple[StrictStr, ...] = Field(
        default=(), description="Matches when the pull request has any label."
    )

    @model_validator(mode="after")
    def _has_a_condition(self) -> RoutingRule:
        if self.changed_lines_over is None and not self.paths and not self.labels:
            raise KeyProblem(
                (),
                "a routing rule needs a condition",
                "add `changed_lines_over`, `paths` or `labels` to the rule",
            )
        return self


class Price(Section):
    input_per_mtok: Usd = Field(description="USD per million uncached input tokens.")
    cached_input_per_mtok: Usd = Field(description="USD per million input tokens read from the prompt cache.")
    cache_write_per_mtok: Usd = Field(description="USD per million input tokens written to the prompt cache.")
    output_per_mtok: Usd = Field(description="USD per million output tokens.")


class Models(Section):
    small: ModelChoice = Field(
        default=ModelChoice(provider="anthropic", name="claude-haiku-4-5", max_output_tokens=2048),
        description="The model used unless a routing rule picks `large`.",
    )
    large: ModelChoice = Field(
        default=ModelChoice(provider="anthropic", name="claude-sonnet-4-5", max_output_tokens=4096),
        description="The model for large or sensitive changes.",
    )
    large_requires_approval: StrictBool = Field(
        default=False,
        description="Routing to the large model waits for `/agentbudget approve large-model`.",
    )
    routing: tuple[RoutingRule, ...] = Field(
        default=(
            RoutingRule(use="large", changed_lines_over=500),
            RoutingRule(use="large", paths=("**/auth/**", "**/security/**", "**/migrations/**")),
            RoutingRule(use="large", labels=("deep-review",)),
        ),
        description="First matching rule wins; no match means `small`. A rule has `use: small|large` and "
        "conditions that must all hold: `changed_lines_over: N`, `paths: [globs]` (any changed file "
        "matches), `labels: [names]` (the PR has any).",
    )
    prices: dict[StrictStr, Price] = Field(
        default={
            "claude-haiku-4-5": Price(
                input_per_mtok=1.0, cached_input_per_mtok=0.1, cache_write_per_mtok=1.25, output_per_mtok=5.0
            ),
            "claude-sonnet-4-5": Price(
                input_per_mtok=3.0, cached_input_per_mtok=0.3, cache_write_per_mtok=3.75, output_per_mtok=15.0
            ),
            "gpt-5-mini": Price(
                input_per_mtok=0.25,
                cached_input_per_mtok=0.025,
                cache_write_per_mtok=0.25,
                output_per_mtok=2.0,
            ),
            "gpt-5": Price(
                input_per_mtok=1.25,
                cached_input_per_mtok=0.125,
                cache_write_per_mtok=1.25,
                output_per_mtok=10.0,
            ),
        },
        description="USD per million tokens by model name: input_per_mtok, cached_input_per_mtok (cache "
        "reads), cache_write_per_mtok (Anthropic 5-minute cache writes; OpenAI charges input price), "
        "output_per_mtok. Your entries are added to (and override) the shipped ones.",
    )
    prices_as_of: dt.date = Field(
        default=dt.date(2025, 10, 16),
        description="When the prices were last checked against the providers' price lists (YYYY-MM-DD).",
    )

    @model_validator(mode="after")
    def _chosen_models_have_prices(self) -> Models:
        for role in ("small", "large"):
            name = getattr(self, role).name
            if name not in self.prices:
                raise KeyProblem(
                    (role, "name"),
                    f"no price for `{name}` in models.prices, so its cost cannot be metered",
                    f"add `models.prices.{name}` with input_per_mtok, cached_input_per_mtok, "
                    "cache_write_per_mtok and output_per_mtok",
                )
        return self


class Evidence(Section):
    required: tuple[EvidenceSection, ...] = Field(
        default=("what_changed", "not_changed", "tests_run", "uncertainty"),
        description="PR-body sections that must be present: what_changed, not_changed, tests_run, "
        "uncertainty, tokens. Missing ones block the merge and are named with a template.",
    )
    small_change_lines: Count = Field(
        default=20,
        description="At or below this many changed lines (after review.ignore_paths, so a lockfile- or "
        "ignored-only pull request counts 0) only what_changed and tests_run are asked for.",
    )
    applies_to: Literal["all", "agent"] = Field(
        default="agent",
        description="`agent`: only agent-authored pull requests (see review.agents); "
        "`all`: every pull request.",
    )
    require_passing_checks: tuple[Glob, ...] = Field(
        default=(),
        description="Check-run names (globs) that must have passed on the head commit, e.g. `test*`.",
    )


class Exposure(Section):
    internal_paths: tuple[Glob, ...] = Field(
        default=(
            "**/internal/**",
            "**/internal-*/**",
            "**/internal_*/**",
            "**/*-internal/**",
            "**/*_internal/**",
            "**/admin/**",
            "**/admin-*/**",
            "**/admin_*/**",
            "**/*-admin/**",
            "**/*_admin/**",
            "**/private/**",
            # a private API version (`/api/v2private/orgs`)
            "**/v[0-9]private/**",
            "**/manager/**",
            "**/debug*/**",
            "**/_internal/**",
            "**/_debug*/**",
            "**/metrics/**",
            "**/actuator/**",
            "**/pprof/**",
            "**/prometheus*/**",
            "**/profiler/**",
            "**/_profiler/**",
            "**/stacktrace/**",
            "**/threaddump/**",
            "**/heapdump/**",
            "**/shutdown/**",
            # changing a running server's log level
            "**/log_level/**",
            "**/log-level/**",
            "**/loglevel/**",
            # Prometheus-style lifecycle endpoints: reload the configuration, stop the server
            "**/-/reload/**",
            "**/-/quit/**",
            # an operations area (`/api/ops/flags`, `/api/ops/commands/…`)
            "**/ops/**",
            # a message queue's failed messages, listed, retried or purged
            "**/dead-letter-queue*/**",
            "**/dead-letters/**",
            "**/dlq/**",
            "**/sidekiq/**",
            "**/jobs/**",
            "**/cron/**",
            "**/housekeeping/**",
            "**/house-keeping/**",
            "**/flower/**",
            "**/pghero/**",
            "**/dashboard/**",
            "**/monitor/**",
            "**/statusz/**",
            # Dockerflow's build version and error trigger (its `__heartbeat__` is the health check)
            "**/__version__/**",
            "**/__error__/**",
            "**/varz/**",
            "**/stacksz/**",
            "**/threadz/**",
            "**/raftz/**",
            "**/connz/**",
            "**/tracez/**",
            "**/rpcz/**",
            "**/flagz/**",
            "**/configz/**",
            # the server's own log files: `/system/logs`, `/log-viewer`, `/logs_viewer`
            "**/system/logs/**",
            "**/server/logs/**",
            "**/server-logs/**",
            "**/log-viewer/**",
            "**/logviewer/**",
            "**/logs-viewer/**",
            "**/logs_viewer/**",
            # a running server's diagnostics and host facts: dumps, recent logs, versions, environment
            "**/diagnostics/**",
            "**/diagnostic/**",
            "**/system-info/**",
            "**/system_info/**",
            "**/systeminfo/**",
            # a cluster's membership pages (Cortex, Loki, Mimir: `/ring` can make the cluster forget a member)
            "**/ring/**",
            "**/memberlist/**",
            "**/memory-stats/**",
            "**/memory_stats/**",
            "**/memstats/**",
            "**/cp/**",
            # a site's own staff tools (`/stafftools/users/{id}`)
            "**/stafftools/**",
            "**/staff-tools/**",
            "**/staff_tools/**",
            # an ops dashboard served through the application (a reverse proxy to Grafana or Kibana)
            "**/grafana/**",
            "**/kibana/**",
        ),
        description="HTTP route globs that are internal, matched at any segment (`**/admin/**` covers "
        "`/api/v1/admin/x`): a pull request that adds or widens one grows exposure.",
    )
    internal_files: tuple[Glob, ...] = Field(
        default=(
            "**/admin/**",
            "**/*_admin/**",
            "**/*-admin/**",
            "**/admin[_-]rout*",
            # a routes file of the admin API (`config/routes/admin_api.yaml`; not a document generator's data
            # about it, `autodoc/admin-api/data/admin-api.lua`)
            "**/admin[_-]api.yaml",
            "**/admin[_-]api.yml",
            "**/adminRout*",
            "**/private[_-]rout*",
            "**/privateRout*",
            "**/internal[_-]rout*",
            "**/internalRout*",
            "**/routes/private.*",
            "**/routes/internal.*",
            "**/routes/cp.*",
        ),
        description="Source-file globs whose routes all count as internal: by default the routes a project "
        "declares in an `admin/` directory or an admin application's (`apps/shop_admin/`, an admin panel's "
        "URL module, an admin controller), in a file "
        "named for its admin router (`admin_router.go`, `adminRoutes.ts`), or in a routes module named "
        "private or internal (`src/routes/private.ts`, `private_routes.go`, mounted for other "
        "services), or a CMS's control-panel routes (`routes/cp.php`). Go's "
        "`internal/` directory is not listed: it is compile-time package visibility, not HTTP exposure.",
    )
    internal_services: tuple[StrictStr, ...] = Field(
        default=(
            "*AdminService",
            "*Admin",
            "*OperatorService",
            "*InternalService",
            "*DebugService",
            "*.admin.*",
            "*.internal.*",
            "*.internals.*",
            "*.debug.*",
        ),
        description="gRPC service-name globs (matched against the package-qualified name, e.g. "
        "`kong.admin.service.v1.PluginService`) whose RPCs (and their HTTP bindings) are internal.",
    )
    block_on_growth: StrictBool = Field(
        default=True,
        description="Block the merge when internal exposure grows, until `/agentbudget approve exposure`.",
    )


class Approvals(Section):
    permission: Permission = Field(
        default="maintain",
        description="Lowest repository permission that may approve (admin, maintain, write, triage).",
    )
    allow_self_approval: StrictBool = Field(
        default=False, description="May the pull request's author approve their own escalation?"
    )
    bound_to_sha: StrictBool = Field(
        default=True,
        description="An approval covers only the commit it was given on; a new push needs a new one.",
    )
    budget_ceiling_usd: Usd | None = Field(
        default=10.0,
        description="An over-budget approval may let one pull request spend up to this many USD; "
        "null: no ceiling.",
    )


class Config(Section):
    mode: Literal["enforce", "observe"] = Field(
        default="observe",
        description="`observe` (the default, and what `agentbudget init` writes) reports what would block "
        "but never blocks (conclusion neutral); `enforce` blocks the merge on missing evidence and internal "
        "API exposure growth (see docs/rollout.md).",
    )
    review: Review = Field(default=Review(), description="When the AI review runs.")
    budget: Budget = Field(
        default=Budget(), description="Spend limits; a review that would exceed one does not run."
    )
    models: Models = Field(default=Models(), description="Which model reviews, and what tokens cost.")
    evidence: Evidence = Field(
        default=Evidence(), description="What a pull request must show before it merges."
    )
    exposure: Exposure = Field(default=Exposure(), description="Internal API exposure checks.")
    approvals: Approvals = Field(
        default=Approvals(), description="Who may approve escalations, and for how long."
    )

    def permission_suffices(self, permission: str) -> bool:
        """Does a collaborator with `permission` (GitHub's role name) meet approvals.permission?"""
        ranks: dict[str, int] = {name: rank for rank, name in enumerate(PERMISSION_ORDER)}
        return ranks.get(permission, -1) >= ranks[self.approvals.permission]
