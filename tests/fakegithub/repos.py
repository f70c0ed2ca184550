"""Repositories: the repository, file contents at a ref (git blobs), and collaborator permissions."""

from __future__ import annotations

import base64

from starlette.responses import Response

from tests.fakegithub.auth import Auth
from tests.fakegithub.model import DOCS, LEGACY_PERMISSION, WEB, _Call, _Fail, _json, _Repo, blob_sha


class Repos(Auth):
    def _get_repo_route(self, call: _Call) -> Response:
        return _json(200, self._repo_json(self._repo_for(call)))

    def _get_contents(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        path = call.params["path"].strip("/")
        ref = call.query.get("ref") or repo.default_branch
        text = self._lookup_file(repo, ref, path)
        if text is None:
            raise _Fail(404, "Not Found", docs=f"{DOCS}/repos/contents#get-repository-content")
        data = text.encode()
        sha = blob_sha(text)
        if "application/vnd.github.raw" in call.headers.get("accept", ""):
            return Response(data, 200, media_type="application/vnd.github.raw")
        if len(data) > 1_000_000:
            # GitHub stops inlining content above 1 MB.
            content, encoding = "", "none"
        else:
            b64 = base64.b64encode(data).decode()
            content = "".join(b64[i : i + 60] + "\n" for i in range(0, len(b64), 60))
            encoding = "base64"
        api = f"{self.url}/repos/{repo.full_name}/contents/{path}?ref={ref}"
        html = f"{WEB}/{repo.full_name}/blob/{ref}/{path}"
        git = f"{self.url}/repos/{repo.full_name}/git/blobs/{sha}"
        return _json(
            200,
            {
                "type": "file",
                "encoding": encoding,
                "size": len(data),
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "content": content,
                "sha": sha,
                "url": api,
                "git_url": git,
                "html_url": html,
                "download_url": f"https://raw.githubusercontent.com/{repo.full_name}/{ref}/{path}",
                "_links": {"self": api, "git": git, "html": html},
            },
        )

    def _lookup_file(self, repo: _Repo, ref: str, path: str) -> str | None:
        key = repo.full_name.lower()
        if (key, ref, path) in self._contents:
            return self._contents[(key, ref, path)]
        for pr in self._prs.values():
            if pr.repo is not repo:
                continue
            for sha, branch in ((pr.base_sha, pr.base_ref), (pr.head_sha, pr.head_ref)):
                if ref == sha and (key, branch, path) in self._contents:
                    return self._contents[(key, branch, path)]
        return None

    def _resolve_sha(self, repo: _Repo, ref: str) -> str:
        for pr in self._prs.values():
            if pr.repo is repo and ref == pr.head_ref:
                return pr.head_sha
        for pr in self._prs.values():
            if pr.repo is repo and ref == pr.base_ref:
                return pr.base_sha
        return ref

    def _permission(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        user = call.params["user"]
        role = self._permissions.get((repo.full_name.lower(), user.lower()))
        if role is None:
            raise _Fail(404, f"{user} is not a user", docs=f"{DOCS}/collaborators/collaborators")
        return _json(
            200,
            {
                "permission": LEGACY_PERMISSION.get(role, role),
                "role_name": "" if role == "none" else role,
                "user": {**self._user_json(user), "role_name": role},
            },
        )
