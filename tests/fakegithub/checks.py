"""Check runs (create, update, annotations, list by ref) and commit statuses."""

from __future__ import annotations

import time
from typing import Any

from starlette.responses import Response

from tests.fakegithub import rules
from tests.fakegithub.model import (
    DOCS,
    STATUS_STATES,
    WEB,
    _Call,
    _Fail,
    _iso,
    _json,
    _now,
    _Repo,
    _unprocessable,
)
from tests.fakegithub.pulls import Pulls


class Checks(Pulls):
    def _validate_run(self, body: Any, *, create: bool) -> dict[str, Any]:
        return rules.validate_run(body, create=create, limits=self)

    def _apply_run(self, run: dict[str, Any], body: dict[str, Any]) -> None:
        for key in ("name", "external_id", "details_url", "started_at", "completed_at"):
            if key in body:
                run[key] = body[key]
        if body.get("conclusion") is not None:
            # As GitHub does: a conclusion completes the run.
            run["conclusion"], run["status"] = body["conclusion"], "completed"
        elif "status" in body:
            run["status"] = body["status"]
        if run["status"] == "completed" and not run["completed_at"]:
            run["completed_at"] = _iso(_now())
        if "output" in body:
            output = body["output"]
            run["annotations"].extend(output.get("annotations") or [])
            run["output"].update(
                {
                    "title": output["title"],
                    "summary": output["summary"],
                    "text": output.get("text"),
                    "annotations_count": len(run["annotations"]),
                }
            )
        if "actions" in body:
            run["actions"] = list(body["actions"])
        if run["status"] == "completed":
            self.completions.append((time.monotonic(), str(run["repository"]).lower(), run["head_sha"]))

    def _create_run(self, repo: _Repo, body: dict[str, Any], app_id: int) -> dict[str, Any]:
        body = self._validate_run(body, create=True)
        run_id = next(self._run_ids)
        api = f"{self.url}/repos/{repo.full_name}/check-runs/{run_id}"
        run: dict[str, Any] = {
            "id": run_id,
            "head_sha": body["head_sha"],
            "node_id": f"CR_{run_id}",
            "external_id": "",
            "url": api,
            "html_url": f"{WEB}/{repo.full_name}/runs/{run_id}",
            "details_url": None,
            "status": "queued",
            "conclusion": None,
            "started_at": _iso(_now()),
            "completed_at": None,
            "name": body["name"],
            "output": {
                "title": None,
                "summary": None,
                "text": None,
                "annotations_count": 0,
                "annotations_url": f"{api}/annotations",
            },
            "check_suite": {"id": run_id // 7},
            "app": {"id": app_id, "slug": self._app_json(app_id)["slug"]},
            "pull_requests": [],
            "annotations": [],
            "actions": [],
            "repository": repo.full_name,
        }
        self._apply_run(run, body)
        self.check_runs.append(run)
        return run

    def _run_for(self, call: _Call) -> tuple[_Repo, dict[str, Any]]:
        repo = self._repo_for(call)
        run_id = int(call.params["run_id"])
        for run in self.check_runs:
            if run["id"] == run_id and run["repository"] == repo.full_name:
                return repo, run
        raise _Fail(404, "Not Found")

    def _post_check_run(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        sha = call.body.get("head_sha") if isinstance(call.body, dict) else None
        if isinstance(sha, str) and sha not in self.known_shas:
            raise _Fail(422, f"No commit found for SHA: {sha}", docs=f"{DOCS}/checks/runs#create-a-check-run")
        return _json(201, self._run_json(self._create_run(repo, call.body, self.app_id)))

    def _patch_check_run(self, call: _Call) -> Response:
        _, run = self._run_for(call)
        if run["app"]["id"] != self.app_id:
            raise _Fail(
                403,
                f"Invalid app_id `{self.app_id}` - check run can only be modified by the "
                "GitHub App that created it.",
            )
        self._apply_run(run, self._validate_run(call.body, create=False))
        return _json(200, self._run_json(run))

    def _get_check_run(self, call: _Call) -> Response:
        _, run = self._run_for(call)
        return _json(200, self._run_json(run))

    def _list_annotations(self, call: _Call) -> Response:
        _, run = self._run_for(call)
        notes = [
            {
                "path": n["path"],
                "start_line": n["start_line"],
                "end_line": n["end_line"],
                "start_column": n.get("start_column"),
                "end_column": n.get("end_column"),
                "annotation_level": n["annotation_level"],
                "title": n.get("title"),
                "message": n["message"],
                "raw_details": n.get("raw_details"),
                "blob_href": f"{WEB}/blob/{run['head_sha']}/{n['path']}",
            }
            for n in run["annotations"]
        ]
        return self._paged(call, notes)

    def _list_check_runs(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        sha = self._resolve_sha(repo, call.params["ref"])
        runs = [r for r in self.check_runs if r["repository"] == repo.full_name and r["head_sha"] == sha]
        q = call.query
        if name := q.get("check_name"):
            runs = [r for r in runs if r["name"] == name]
        if status := q.get("status"):
            runs = [r for r in runs if r["status"] == status]
        if app_id := q.get("app_id"):
            runs = [r for r in runs if str(r["app"]["id"]) == app_id]
        if q.get("filter", "latest") == "latest":
            newest: dict[tuple[int, str], dict[str, Any]] = {}
            for run in runs:
                newest[(run["app"]["id"], run["name"])] = run
            runs = list(newest.values())
        runs = sorted(runs, key=lambda r: r["id"], reverse=True)
        return self._paged(
            call,
            [self._run_json(r) for r in runs],
            lambda page: {"total_count": len(runs), "check_runs": page},
        )

    def _new_status(self, repo: _Repo, sha: str, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("state") not in STATUS_STATES:
            raise _unprocessable(f"State is not included in the list: {body.get('state')!r}")
        sid = next(self._ids)
        when = _iso(_now())
        status = {
            "url": f"{self.url}/repos/{repo.full_name}/statuses/{sha}",
            "avatar_url": None,
            "id": sid,
            "node_id": f"SC_{sid}",
            "state": body["state"],
            "description": body.get("description"),
            "target_url": body.get("target_url"),
            "context": body.get("context") or "default",
            "created_at": when,
            "updated_at": when,
            "creator": self._bot_json(),
            "repository": repo.full_name,
            "sha": sha,
        }
        self._statuses.append(status)
        return status

    def _post_status(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        body = call.body if isinstance(call.body, dict) else {}
        status = self._new_status(repo, call.params["sha"], body)
        return _json(201, {k: v for k, v in status.items() if k not in ("repository", "sha")})

    def _combined_status(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        sha = self._resolve_sha(repo, call.params["ref"])
        latest: dict[str, dict[str, Any]] = {}
        for status in self._statuses:
            if status["repository"] == repo.full_name and status["sha"] == sha:
                latest[status["context"]] = status
        statuses = [
            {k: v for k, v in s.items() if k not in ("repository", "sha", "creator")} for s in latest.values()
        ]
        states = {s["state"] for s in statuses}
        if states & {"error", "failure"}:
            state = "failure"
        elif not states or "pending" in states:
            state = "pending"
        else:
            state = "success"
        repo_json = self._repo_json(repo)
        api = f"{self.url}/repos/{repo.full_name}"
        return _json(
            200,
            {
                "state": state,
                "statuses": statuses,
                "sha": sha,
                "total_count": len(statuses),
                "repository": repo_json,
                "commit_url": f"{api}/commits/{sha}",
                "url": f"{api}/commits/{sha}/status",
            },
        )
