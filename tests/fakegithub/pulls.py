"""Pull requests: the pull, its diff and files, its commits, the pulls of a commit, and reviews."""

from __future__ import annotations

import hashlib
import re

from starlette.responses import Response

from tests.fakegithub import rules
from tests.fakegithub.model import (
    DOCS,
    WEB,
    _Call,
    _Fail,
    _iso,
    _json,
    _now,
    _public,
)
from tests.fakegithub.repos import Repos


class Pulls(Repos):
    def _get_pull(self, call: _Call) -> Response:
        _, pr = self._pr_for(call)
        accept = call.headers.get("accept", "")
        if re.search(r"application/vnd\.github(\.v3)?\.diff", accept):
            lines = sum(int(f.get("additions", 0)) + int(f.get("deletions", 0)) for f in pr.files)
            if len(pr.files) > self.max_diff_files or lines > self.max_diff_lines:
                what, limit = (
                    ("files", self.max_diff_files)
                    if len(pr.files) > self.max_diff_files
                    else ("lines", self.max_diff_lines)
                )
                raise _Fail(
                    406,
                    f"Sorry, the diff exceeded the maximum number of {what} ({limit}). Consider using "
                    "'List pull requests files' API or locally cloning the repository instead.",
                    errors=[{"resource": "PullRequest", "field": "diff", "code": "too_large"}],
                    docs=f"{DOCS}/pulls/pulls#list-pull-requests-files",
                )
            return Response(pr.diff, 200, media_type="application/vnd.github.diff; charset=utf-8")
        return _json(200, self._pr_json(pr))

    def _pull_commits(self, call: _Call) -> Response:
        repo, pr = self._pr_for(call)
        api, web = f"{self.url}/repos/{repo.full_name}", f"{WEB}/{repo.full_name}"
        shas = [
            hashlib.sha1(f"{pr.head_sha}{i}".encode()).hexdigest() for i in range(len(pr.commit_messages))
        ]
        when = _now().strftime("%Y-%m-%dT%H:%M:%SZ")
        person = {"name": pr.user, "email": f"{pr.user}@example.com", "date": when}
        commits = []
        for i, (sha, message) in enumerate(zip(shas[:250], pr.commit_messages[:250], strict=False)):
            parent = shas[i - 1] if i else pr.base_sha
            tree = hashlib.sha1(f"tree{sha}".encode()).hexdigest()
            commits.append(
                {
                    "url": f"{api}/commits/{sha}",
                    "sha": sha,
                    "node_id": "C_" + sha[:20],
                    "html_url": f"{web}/commit/{sha}",
                    "comments_url": f"{api}/commits/{sha}/comments",
                    "commit": {
                        "url": f"{api}/git/commits/{sha}",
                        "message": message,
                        "author": person,
                        "committer": person,
                        "comment_count": 0,
                        "tree": {"sha": tree, "url": f"{api}/git/trees/{tree}"},
                        "verification": {
                            "verified": False,
                            "reason": "unsigned",
                            "signature": None,
                            "payload": None,
                            "verified_at": None,
                        },
                    },
                    "author": self._user_json(pr.user, pr.user_type),
                    "committer": self._user_json(pr.user, pr.user_type),
                    "parents": [
                        {
                            "sha": parent,
                            "url": f"{api}/commits/{parent}",
                            "html_url": f"{web}/commit/{parent}",
                        }
                    ],
                }
            )
        return self._paged(call, commits)

    def _commit_pulls(self, call: _Call) -> Response:
        """`GET /repos/{o}/{r}/commits/{sha}/pulls`: PRs whose head is this commit (forks included)."""
        repo = self._repo_for(call)
        sha = call.params["sha"]
        found = [
            self._pr_json(pr)
            for pr in self._prs.values()
            if pr.repo.full_name.lower() == repo.full_name.lower() and pr.head_sha == sha
        ]
        return self._paged(call, found)

    def _list_pull_files(self, call: _Call) -> Response:
        repo, pr = self._pr_for(call)
        files = [self._file_json(repo, pr, f) for f in pr.files[: self.max_listed_files]]
        return self._paged(call, files)

    def _post_review(self, call: _Call) -> Response:
        repo, pr = self._pr_for(call)
        body = call.body if isinstance(call.body, dict) else {}
        patches = {f["filename"]: f.get("patch") for f in pr.files}
        state, text, comments = rules.validate_review(body, patches, self)
        event = body.get("event")
        rid = next(self._ids)
        api = f"{self.url}/repos/{repo.full_name}/pulls/{pr.number}"
        html = f"{WEB}/{repo.full_name}/pull/{pr.number}#pullrequestreview-{rid}"
        review = {
            "id": rid,
            "node_id": f"PRR_{rid}",
            "user": self._bot_json(),
            "body": text,
            "state": state,
            "html_url": html,
            "pull_request_url": api,
            "_links": {"html": {"href": html}, "pull_request": {"href": api}},
            "submitted_at": _iso(_now()) if event else None,
            "commit_id": body.get("commit_id") or pr.head_sha,
            "author_association": "NONE",
            "comments": list(comments),
            "repository": repo.full_name,
        }
        self.reviews.append(review)
        return _json(200, _public(review))
