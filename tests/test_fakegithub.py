from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from githubkit import AppAuthStrategy, GitHub
from githubkit.cache import MemCacheStrategy
from githubkit.exception import PrimaryRateLimitExceeded, RequestFailed, SecondaryRateLimitExceeded

from tests.fakegithub import TOKEN_PERMISSIONS, FakeGitHub

HEAD = "a" * 40
DIFF = """\
diff --git a/app/api.py b/app/api.py
index 1111111..2222222 100644
--- a/app/api.py
+++ b/app/api.py
@@ -1,4 +1,5 @@
 import flask
-app = flask.Flask("x")
+app = flask.Flask(__name__)
+app.config["DEBUG"] = False
 # routes
 def run():
diff --git a/docs/new.md b/docs/new.md
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/docs/new.md
@@ -0,0 +1,2 @@
+# New
+text
diff --git a/old.txt b/old.txt
deleted file mode 100644
index 4444444..0000000
--- a/old.txt
+++ /dev/null
@@ -1 +0,0 @@
-gone
"""


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub().serve() as server:
        server.add_installation(1, "acme")
        server.add_repo("acme", "widgets", installation_id=1)
        server.add_pull_request("acme", "widgets", 7, head_sha=HEAD, diff=DIFF, labels=["agent"], body="Hi")
        yield server


def client(fake: FakeGitHub, installation_id: int | None = 1) -> GitHub[Any]:
    # A private cache per client: githubkit's default cache is process-wide and would hand one fake's
    # JWT/token to the next; no auto retry, whose back-off sleeps would slow fault tests.
    auth = AppAuthStrategy(str(fake.app_id), fake.private_key_pem)
    return GitHub(
        auth.as_installation(installation_id) if installation_id else auth,
        base_url=fake.url,
        cache_strategy=MemCacheStrategy(),
        auto_retry=False,
    )


def app_jwt(
    fake: FakeGitHub, *, key: str | None = None, iss: Any = None, lifetime: int = 600, iat_offset: int = -30
) -> str:
    now = int(time.time()) + iat_offset
    claims = {"iss": fake.app_id if iss is None else iss, "iat": now, "exp": now + lifetime}
    # Signed as raw JWS: PyJWT's encode refuses an integer iss, which GitHub accepts.
    return jwt.api_jws.encode(json.dumps(claims).encode(), key or fake.private_key_pem, algorithm="RS256")


def bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


def http(fake: FakeGitHub, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"token {token}"} if token else {}
    return httpx.Client(base_url=fake.url, headers=headers)


def installation_token(fake: FakeGitHub, installation_id: int = 1) -> str:
    with httpx.Client(base_url=fake.url) as c:
        resp = c.post(f"/app/installations/{installation_id}/access_tokens", headers=bearer(app_jwt(fake)))
    assert resp.status_code == 201, resp.text
    return str(resp.json()["token"])


def other_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


# ---------------------------------------------------------------------- githubkit end to end


async def test_githubkit_reads_pull_request_diff_and_files(fake: FakeGitHub) -> None:
    gh = client(fake)
    pr = (await gh.rest.pulls.async_get("acme", "widgets", 7)).parsed_data
    assert (pr.number, pr.head.sha, pr.base.ref, pr.state) == (7, HEAD, "main", "open")
    assert [label.name for label in pr.labels] == ["agent"]
    assert (pr.additions, pr.deletions, pr.changed_files) == (4, 2, 3)
    assert pr.user.login == "octocat" and pr.user.type == "User"

    diff = await gh.rest.pulls.async_get(
        "acme",
        "widgets",
        7,
        headers={"Accept": "application/vnd.github.diff"},
    )
    assert diff.text == DIFF
    assert diff.headers["content-type"].startswith("application/vnd.github.diff")

    files = (await gh.rest.pulls.async_list_files("acme", "widgets", 7)).parsed_data
    assert [(f.filename, f.status, f.additions, f.deletions) for f in files] == [
        ("app/api.py", "modified", 2, 1),
        ("docs/new.md", "added", 2, 0),
        ("old.txt", "removed", 0, 1),
    ]
    assert files[0].patch is not None and files[0].patch.startswith("@@ -1,4 +1,5 @@")
    # One token was minted and then reused; the token never lands in the records.
    assert [r.path for r in fake.requests].count("/app/installations/1/access_tokens") == 1
    assert all(r.headers.get("authorization", "").endswith("[redacted]") for r in fake.requests)


async def test_githubkit_check_run_create_update_and_annotations_append(fake: FakeGitHub) -> None:
    gh = client(fake)
    note = {
        "path": "app/api.py",
        "start_line": 2,
        "end_line": 2,
        "annotation_level": "warning",
        "message": "new route",
    }
    created = (
        await gh.rest.checks.async_create(
            "acme",
            "widgets",
            data={
                "name": "agentbudget",
                "head_sha": HEAD,
                "status": "in_progress",
                "output": {"title": "Working", "summary": "…", "annotations": [note] * 50},
            },
        )
    ).parsed_data
    assert created.status == "in_progress" and created.conclusion is None
    assert created.app is not None and created.app.id == fake.app_id
    assert [p.number for p in created.pull_requests] == [7]

    updated = (
        await gh.rest.checks.async_update(
            "acme",
            "widgets",
            created.id,
            data={
                "conclusion": "action_required",
                "output": {"title": "Blocked", "summary": "evidence missing", "annotations": [note] * 3},
                "actions": [
                    {"label": "Approve size", "description": "Review the big diff", "identifier": "size"}
                ],
            },
        )
    ).parsed_data
    # A conclusion implies completed, as on GitHub.
    assert (updated.status, updated.conclusion) == ("completed", "action_required")
    assert updated.completed_at is not None
    assert updated.output.title == "Blocked" and updated.output.annotations_count == 53

    [run] = fake.runs_for("acme", "widgets", HEAD)
    assert len(run["annotations"]) == 53 and run["actions"][0]["identifier"] == "size"
    listed = (await gh.rest.checks.async_list_for_ref("acme", "widgets", HEAD)).parsed_data
    assert listed.total_count == 1 and listed.check_runs[0].id == created.id


async def test_too_large_diff_is_406_and_files_still_list(fake: FakeGitHub) -> None:
    gh = client(fake)
    fake.max_diff_files = 2
    with pytest.raises(RequestFailed) as err:
        await gh.rest.pulls.async_get("acme", "widgets", 7, headers={"Accept": "application/vnd.github.diff"})
    body = err.value.response.json()
    assert err.value.response.status_code == 406
    assert body["errors"] == [{"resource": "PullRequest", "field": "diff", "code": "too_large"}]
    assert "maximum number of files (2)" in body["message"]
    assert len((await gh.rest.pulls.async_list_files("acme", "widgets", 7)).parsed_data) == 3

    fake.max_diff_files, fake.max_diff_lines = 300, 5
    with pytest.raises(RequestFailed) as err:
        await gh.rest.pulls.async_get(
            "acme",
            "widgets",
            7,
            headers={"Accept": "application/vnd.github.v3.diff"},
        )
    assert "maximum number of lines (5)" in err.value.response.json()["message"]
    # The JSON form of the same PR is not limited.
    assert (await gh.rest.pulls.async_get("acme", "widgets", 7)).parsed_data.changed_files == 3


async def test_githubkit_app_endpoints_use_jwt(fake: FakeGitHub) -> None:
    gh = client(fake, installation_id=None)
    app = (await gh.rest.apps.async_get_authenticated()).parsed_data
    assert app is not None and (app.id, app.slug) == (fake.app_id, "agentbudget")
    assert (await gh.rest.apps.async_get_repo_installation("acme", "widgets")).parsed_data.id == 1
    assert fake.requests[-1].headers["authorization"] == "Bearer [redacted]"


# ---------------------------------------------------------------------- check-run validation


def _note(**over: Any) -> dict[str, Any]:
    note = {"path": "a.py", "start_line": 1, "end_line": 1, "annotation_level": "notice", "message": "m"}
    return {**note, **over}


def _action(**over: Any) -> dict[str, Any]:
    return {"label": "Approve", "description": "Approve it", "identifier": "ok", **over}


def _run(output: dict[str, Any] | None = None, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "agentbudget", "head_sha": HEAD, **over}
    if output is not None:
        body["output"] = {"title": "T", "summary": "S", **output}
    return body


ACCEPTED = [
    pytest.param(_run({"summary": "x" * 65_535, "text": "y" * 65_535}), id="summary-and-text-at-limit"),
    pytest.param(_run({"annotations": [_note()] * 50}), id="50-annotations"),
    pytest.param(_run(actions=[_action()] * 3), id="3-actions"),
    pytest.param(
        _run(actions=[_action(label="L" * 20, description="D" * 40, identifier="I" * 20)]),
        id="action-fields-at-limit",
    ),
    pytest.param(_run(status="waiting"), id="status-waiting"),
]
REJECTED = [
    pytest.param({"head_sha": HEAD}, id="missing-name"),
    pytest.param({"name": "x"}, id="missing-head-sha"),
    pytest.param(_run(status="done"), id="bad-status"),
    pytest.param(_run(conclusion="passed"), id="bad-conclusion"),
    pytest.param(_run(status="completed"), id="completed-without-conclusion"),
    pytest.param(_run({"summary": "x" * 65_536}), id="summary-65536"),
    pytest.param(_run({"text": "x" * 65_536}), id="text-65536"),
    pytest.param({**_run(), "output": {"title": "T"}}, id="output-without-summary"),
    pytest.param({**_run(), "output": {"summary": "S"}}, id="output-without-title"),
    pytest.param(_run({"annotations": [_note()] * 51}), id="51-annotations"),
    pytest.param(_run({"annotations": [_note(message=None)]}), id="annotation-without-message"),
    pytest.param(_run({"annotations": [_note(path="")]}), id="annotation-without-path"),
    pytest.param(_run({"annotations": [_note(annotation_level="error")]}), id="annotation-bad-level"),
    pytest.param(_run({"annotations": [_note(message="m" * (64 * 1024 + 1))]}), id="annotation-message-64k"),
    pytest.param(_run(actions=[_action()] * 4), id="4-actions"),
    pytest.param(_run(actions=[_action(label="L" * 21)]), id="label-21"),
    pytest.param(_run(actions=[_action(description="D" * 41)]), id="description-41"),
    pytest.param(_run(actions=[_action(identifier="I" * 21)]), id="identifier-21"),
]


@pytest.mark.parametrize("body", ACCEPTED)
def test_check_run_limits_accept_the_edge(fake: FakeGitHub, body: dict[str, Any]) -> None:
    with http(fake, installation_token(fake)) as c:
        resp = c.post("/repos/acme/widgets/check-runs", json=body)
    assert resp.status_code == 201, resp.text
    assert len(fake.check_runs) == 1


@pytest.mark.parametrize("body", REJECTED)
def test_check_run_limits_reject_like_github(fake: FakeGitHub, body: dict[str, Any]) -> None:
    with http(fake, installation_token(fake)) as c:
        resp = c.post("/repos/acme/widgets/check-runs", json=body)
    assert resp.status_code == 422, resp.text
    assert resp.json()["message"].startswith("Invalid request.\n\n")
    assert fake.check_runs == []


def test_rejected_update_leaves_the_run_unchanged(fake: FakeGitHub) -> None:
    with http(fake, installation_token(fake)) as c:
        run_id = c.post("/repos/acme/widgets/check-runs", json=_run({"summary": "first"})).json()["id"]
        resp = c.patch(f"/repos/acme/widgets/check-runs/{run_id}", json=_run({"summary": "x" * 65_536}))
        assert resp.status_code == 422
        assert c.get(f"/repos/acme/widgets/check-runs/{run_id}").json()["output"]["summary"] == "first"


def test_list_check_runs_filters_and_foreign_runs(fake: FakeGitHub) -> None:
    fake.add_foreign_check_run("acme", "widgets", HEAD, "tests", "completed", "failure", app_id=99)
    fake.add_foreign_check_run("acme", "widgets", HEAD, "tests", "completed", "success", app_id=99)
    with http(fake, installation_token(fake)) as c:
        own = c.post("/repos/acme/widgets/check-runs", json=_run()).json()
        latest = c.get(f"/repos/acme/widgets/commits/{HEAD}/check-runs").json()
        assert latest["total_count"] == 2
        assert {(r["name"], r["conclusion"]) for r in latest["check_runs"]} == {
            ("tests", "success"),
            ("agentbudget", None),
        }
        assert (
            c.get(f"/repos/acme/widgets/commits/{HEAD}/check-runs", params={"filter": "all"}).json()[
                "total_count"
            ]
            == 3
        )
        mine = c.get(f"/repos/acme/widgets/commits/{HEAD}/check-runs", params={"app_id": fake.app_id}).json()
        assert [r["id"] for r in mine["check_runs"]] == [own["id"]]
        by_name = c.get(
            f"/repos/acme/widgets/commits/{HEAD}/check-runs", params={"check_name": "tests", "filter": "all"}
        ).json()
        assert by_name["total_count"] == 2 and by_name["check_runs"][0]["app"]["id"] == 99
        # Another app's run cannot be modified.
        foreign = by_name["check_runs"][0]["id"]
        patched = c.patch(f"/repos/acme/widgets/check-runs/{foreign}", json={"conclusion": "success"})
        assert patched.status_code == 403
        # The head branch name resolves to the head sha.
        assert c.get("/repos/acme/widgets/commits/feature/check-runs").json()["total_count"] == 2


def test_fork_pr_runs_have_no_pull_requests(fake: FakeGitHub) -> None:
    fork_head = "f" * 40
    pr = fake.add_pull_request("acme", "widgets", 8, head_sha=fork_head, fork=True, user="mallory")
    assert pr["head"]["repo"]["fork"] is True and pr["head"]["repo"]["full_name"] == "mallory/widgets"
    with http(fake, installation_token(fake)) as c:
        run = c.post("/repos/acme/widgets/check-runs", json=_run(head_sha=fork_head)).json()
        same_repo = c.post("/repos/acme/widgets/check-runs", json=_run()).json()
    assert run["pull_requests"] == []
    assert [p["number"] for p in same_repo["pull_requests"]] == [7]


# ---------------------------------------------------------------------- pagination and contents


async def test_files_pagination_with_link_header(fake: FakeGitHub) -> None:
    files = [{"filename": f"f{i:03}.py", "additions": 1, "deletions": 0} for i in range(250)]
    fake.add_pull_request("acme", "widgets", 9, head_sha="c" * 40, files=files)
    with http(fake, installation_token(fake)) as c:
        first = c.get("/repos/acme/widgets/pulls/9/files", params={"per_page": 100})
        assert len(first.json()) == 100
        assert first.links["next"]["url"].endswith("per_page=100&page=2")
        assert first.links["last"]["url"].endswith("page=3")
        last = c.get(first.links["last"]["url"])
        assert [f["filename"] for f in last.json()] == [f"f{i:03}.py" for i in range(200, 250)]
        assert "next" not in last.links and "prev" in last.links
        assert len(c.get("/repos/acme/widgets/pulls/9/files").json()) == 30  # GitHub's default
        assert len(c.get("/repos/acme/widgets/pulls/9/files", params={"per_page": 500}).json()) == 100

    gh = client(fake)
    every = [
        f.filename
        async for f in gh.rest.paginate(
            gh.rest.pulls.async_list_files, owner="acme", repo="widgets", pull_number=9, per_page=100
        )
    ]
    assert every == [f["filename"] for f in files]

    fake.max_listed_files = 120  # GitHub stops at 3000
    capped = [
        f
        async for f in gh.rest.paginate(
            gh.rest.pulls.async_list_files, owner="acme", repo="widgets", pull_number=9, per_page=100
        )
    ]
    assert len(capped) == 120


async def test_contents_base64_like_github(fake: FakeGitHub) -> None:
    text = "budget:\n  per_pr_tokens: 200000\n" + "# padding line to wrap base64\n" * 10
    sha = fake.set_file("acme", "widgets", "main", ".agentbudget.yml", text)
    data = text.encode()
    assert sha == hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()

    with http(fake, installation_token(fake)) as c:
        got = c.get("/repos/acme/widgets/contents/.agentbudget.yml").json()  # default branch
        assert (got["type"], got["encoding"], got["sha"], got["size"]) == ("file", "base64", sha, len(data))
        lines = got["content"].split("\n")
        assert lines[-1] == "" and all(len(line) == 60 for line in lines[:-2])
        assert base64.b64decode(got["content"]).decode() == text
        # The PR's base sha sees what is stored under the base branch name.
        by_sha = c.get("/repos/acme/widgets/contents/.agentbudget.yml", params={"ref": "b" * 40})
        assert by_sha.json()["sha"] == sha
        missing = c.get("/repos/acme/widgets/contents/.agentbudget.yml", params={"ref": HEAD})
        assert missing.status_code == 404 and missing.json()["message"] == "Not Found"

    gh = client(fake)  # keep a reference: githubkit's namespaces hold the client only weakly
    content = (await gh.rest.repos.async_get_content("acme", "widgets", ".agentbudget.yml")).parsed_data
    assert base64.b64decode(getattr(content, "content", "")).decode() == text


async def test_deliveries_cursor_pagination_and_redelivery(fake: FakeGitHub) -> None:
    ids = [
        fake.add_delivery(f"guid-{i}", "pull_request", "opened", 200 if i % 2 else 502)["id"]
        for i in range(5)
    ]
    gh = client(fake, installation_id=None)
    seen = [d.guid async for d in gh.rest.paginate(gh.rest.apps.async_list_webhook_deliveries, per_page=2)]
    assert seen == [f"guid-{i}" for i in reversed(range(5))]  # newest first
    assert sum(r.path == "/app/hook/deliveries" for r in fake.requests) == 3
    assert "cursor" in fake.requests[-1].query

    failed = (await gh.rest.apps.async_list_webhook_deliveries(status="failure")).parsed_data
    assert sorted(d.status_code for d in failed) == [502, 502, 502]
    resp = await gh.rest.apps.async_redeliver_webhook_delivery(ids[0])
    assert resp.status_code == 202 and fake.redelivery_attempts == [ids[0]]
    with pytest.raises(RequestFailed) as err:
        await gh.rest.apps.async_redeliver_webhook_delivery(123)
    assert err.value.response.status_code == 404


# ---------------------------------------------------------------------- auth


def test_installation_token_shape(fake: FakeGitHub) -> None:
    with httpx.Client(base_url=fake.url) as c:
        resp = c.post("/app/installations/1/access_tokens", headers=bearer(app_jwt(fake)))
    body = resp.json()
    assert resp.status_code == 201 and body["token"].startswith("ghs_")
    assert body["expires_at"].endswith("Z") and body["repository_selection"] == "all"


@pytest.mark.parametrize(
    ("make_jwt", "message"),
    [
        (lambda f: app_jwt(f, key=other_key_pem()), "A JSON web token could not be decoded"),
        (lambda f: app_jwt(f, iss=f.app_id + 1), "A JSON web token could not be decoded"),
        (lambda f: app_jwt(f, iss=str(f.app_id), lifetime=3600), "too far in the future"),
        (lambda f: app_jwt(f, iat_offset=-2000), "'Expiration time' claim"),
        (lambda f: "not-a-jwt", "A JSON web token could not be decoded"),
    ],
)
def test_bad_jwt_is_401(fake: FakeGitHub, make_jwt: Any, message: str) -> None:
    with httpx.Client(base_url=fake.url) as c:
        resp = c.post("/app/installations/1/access_tokens", headers=bearer(make_jwt(fake)))
        assert resp.status_code == 401 and message in resp.json()["message"]
        assert c.get("/app", headers=bearer(make_jwt(fake))).status_code == 401


def test_string_iss_is_accepted_and_installation_states(fake: FakeGitHub) -> None:
    fake.add_installation(2, "paused", suspended=True)
    with httpx.Client(base_url=fake.url) as c:

        def mint(inst: int) -> httpx.Response:
            jwt_ = app_jwt(fake, iss=str(fake.app_id))
            return c.post(f"/app/installations/{inst}/access_tokens", headers=bearer(jwt_))

        assert mint(1).status_code == 201
        assert mint(2).status_code == 403
        assert mint(404).status_code == 404


def test_bad_expired_and_foreign_tokens(fake: FakeGitHub) -> None:
    fake.add_installation(2, "other")
    fake.add_repo("other", "thing", installation_id=2)
    token = installation_token(fake)
    with http(fake, token) as c:
        assert c.get("/repos/acme/widgets").status_code == 200
        # A valid token does not see another installation's repository.
        assert c.get("/repos/other/thing").status_code == 404
        assert c.get("/repos/acme/nope").status_code == 404
    with http(fake, "ghs_made_up") as c:
        resp = c.get("/repos/acme/widgets/pulls/7")
        assert resp.status_code == 401
        assert resp.json() == {
            "message": "Bad credentials",
            "documentation_url": "https://docs.github.com/rest",
            "status": "401",
        }
    with httpx.Client(base_url=fake.url) as c:
        assert c.get("/repos/acme/widgets").status_code == 401
        assert c.get("/repos/acme/widgets", headers=bearer(token)).status_code == 200
    fake.expire_tokens()
    with http(fake, token) as c:
        assert c.get("/repos/acme/widgets").json()["message"] == "Bad credentials"
    assert installation_token(fake) != token


async def test_githubkit_keeps_an_expired_token_and_gets_401(fake: FakeGitHub) -> None:
    gh = client(fake)
    await gh.rest.repos.async_get("acme", "widgets")
    fake.expire_tokens()
    with pytest.raises(RequestFailed) as err:
        await gh.rest.repos.async_get("acme", "widgets")
    assert err.value.response.status_code == 401


# ---------------------------------------------------------------------- faults and headers


def test_fault_injection_then_normal_answers(fake: FakeGitHub) -> None:
    fake.fail("GET", r"/repos/acme/widgets/pulls/7", 502, times=2)
    with http(fake, installation_token(fake)) as c:
        for _ in range(2):
            resp = c.get("/repos/acme/widgets/pulls/7")
            assert resp.status_code == 502 and resp.headers["content-type"].startswith("text/html")
        assert c.get("/repos/acme/widgets/pulls/7").status_code == 200
        # Full match: the files route was never faulted.
        fake.fail("GET", r"/repos/acme/widgets/pulls/7", 500)
        assert c.get("/repos/acme/widgets/pulls/7/files").status_code == 200
        fake.fail("*", r"/repos/.*/check-runs", 422, body={"message": "nope"})
        resp = c.post("/repos/acme/widgets/check-runs", json=_run())
        assert resp.status_code == 422 and resp.json() == {"message": "nope"}
    assert [r.status for r in fake.requests[-5:]] == [502, 502, 200, 200, 422]
    assert fake.check_runs == []


async def test_rate_limit_faults_reach_githubkit_as_rate_limits(fake: FakeGitHub) -> None:
    gh = client(fake)
    fake.fail("GET", r"/repos/acme/widgets", 403, headers={"retry-after": "30"})
    with pytest.raises(SecondaryRateLimitExceeded) as secondary:
        await gh.rest.repos.async_get("acme", "widgets")
    assert secondary.value.retry_after.total_seconds() == 30
    assert "secondary rate limit" in secondary.value.response.json()["message"]

    reset = int(time.time()) + 120
    fake.fail(
        "GET",
        r"/repos/acme/widgets",
        403,
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)},
    )
    with pytest.raises(PrimaryRateLimitExceeded) as primary:
        await gh.rest.repos.async_get("acme", "widgets")
    assert primary.value.response.headers["x-ratelimit-reset"] == str(reset)

    fake.fail("GET", r"/repos/acme/widgets", 429, headers={"retry-after": "1"})
    with pytest.raises(SecondaryRateLimitExceeded):
        await gh.rest.repos.async_get("acme", "widgets")
    assert (await gh.rest.repos.async_get("acme", "widgets")).status_code == 200


def test_unknown_route_and_rate_limit_headers(fake: FakeGitHub) -> None:
    with httpx.Client(base_url=fake.url) as c:
        resp = c.get("/repos/acme/widgets/no/such/thing")
    assert resp.status_code == 404 and resp.json()["message"] == "Not Found"
    for name in (
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-ratelimit-used",
        "x-ratelimit-resource",
        "x-github-request-id",
    ):
        assert name in resp.headers
    assert fake.requests[-1].status == 404


def test_server_stops_on_exit() -> None:
    with FakeGitHub().serve() as fake:
        url = fake.url
        assert httpx.get(f"{url}/app").status_code == 401
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/app")


# ---------------------------------------------------------------------- comments, reactions, reviews


def test_comments_reactions_and_permissions(fake: FakeGitHub) -> None:
    seeded = fake.add_comment("acme", "widgets", 7, "/agentbudget approve size", user="alice")
    fake.set_permission("acme", "widgets", "alice", "maintain")
    fake.set_permission("acme", "widgets", "bob", "triage")
    with http(fake, installation_token(fake)) as c:
        perm = c.get("/repos/acme/widgets/collaborators/alice/permission").json()
        # The legacy field folds maintain into write; role_name keeps it.
        assert (perm["permission"], perm["role_name"]) == ("write", "maintain")
        assert c.get("/repos/acme/widgets/collaborators/bob/permission").json()["permission"] == "read"
        assert c.get("/repos/acme/widgets/collaborators/eve/permission").status_code == 404

        path = f"/repos/acme/widgets/issues/comments/{seeded['id']}/reactions"
        assert c.post(path, json={"content": "eyes"}).status_code == 201
        assert c.post(path, json={"content": "eyes"}).status_code == 200  # already there
        assert c.post(path, json={"content": "thumbsup"}).status_code == 422

        reply = c.post("/repos/acme/widgets/issues/7/comments", json={"body": "Approved size."})
        assert reply.status_code == 201 and reply.json()["user"]["login"] == "agentbudget[bot]"
        assert c.post("/repos/acme/widgets/issues/7/comments", json={"body": "x" * 65_537}).status_code == 422
        edited = c.patch(f"/repos/acme/widgets/issues/comments/{reply.json()['id']}", json={"body": "Done."})
        assert edited.json()["body"] == "Done."
        listed = c.get("/repos/acme/widgets/issues/7/comments").json()
        assert [x["body"] for x in listed] == ["/agentbudget approve size", "Done."]
    assert len(fake.reactions) == 1 and fake.reactions[0]["comment_id"] == seeded["id"]
    assert fake.comments[-1]["body"] == "Done."


def test_review_comments_must_target_diff_lines(fake: FakeGitHub) -> None:
    with http(fake, installation_token(fake)) as c:

        def review(comments: list[dict[str, Any]]) -> httpx.Response:
            return c.post(
                "/repos/acme/widgets/pulls/7/reviews",
                json={"body": "Review", "event": "COMMENT", "comments": comments},
            )

        ok = review([{"path": "app/api.py", "line": 3, "body": "new config line"}])
        assert ok.status_code == 200 and ok.json()["state"] == "COMMENTED"
        assert ok.json()["commit_id"] == HEAD
        assert review([{"path": "app/api.py", "line": 40, "body": "x"}]).json()["errors"] == [
            "Line could not be resolved"
        ]
        assert review([{"path": "nope.py", "line": 1, "body": "x"}]).status_code == 422
        assert review([{"path": "old.txt", "line": 1, "side": "LEFT", "body": "x"}]).status_code == 200
    assert len(fake.reviews) == 2 and fake.reviews[0]["comments"][0]["line"] == 3


def test_combined_status_rolls_up(fake: FakeGitHub) -> None:
    fake.set_token_permissions({**TOKEN_PERMISSIONS, "statuses": "write"})  # posting as another CI would
    with http(fake, installation_token(fake)) as c:
        assert c.get(f"/repos/acme/widgets/commits/{HEAD}/status").json()["state"] == "pending"
        c.post(f"/repos/acme/widgets/statuses/{HEAD}", json={"state": "success", "context": "ci/lint"})
        assert c.get(f"/repos/acme/widgets/commits/{HEAD}/status").json()["state"] == "success"
        fake.add_status("acme", "widgets", HEAD, "ci/test", "failure")
        combined = c.get(f"/repos/acme/widgets/commits/{HEAD}/status").json()
        assert combined["state"] == "failure" and combined["total_count"] == 2
        assert c.post(f"/repos/acme/widgets/statuses/{HEAD}", json={"state": "green"}).status_code == 422


def test_set_head_is_a_push(fake: FakeGitHub) -> None:
    new_head = "d" * 40
    fake.set_head("acme", "widgets", 7, new_head, diff=DIFF.split("diff --git a/docs")[0])
    with http(fake, installation_token(fake)) as c:
        pr = c.get("/repos/acme/widgets/pulls/7").json()
        assert pr["head"]["sha"] == new_head and pr["changed_files"] == 1
