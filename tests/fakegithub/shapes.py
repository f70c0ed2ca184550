"""GitHub's JSON shapes for users, apps, installations, repositories, pull requests and check runs;
pagination."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from tests.fakegithub.model import (
    _PR,
    TOKEN_PERMISSIONS,
    WEB,
    _Call,
    _Installation,
    _int,
    _iso,
    _json,
    _Page,
    _public,
    _Repo,
)
from tests.fakegithub.state import World

REPO_URLS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}


class Shapes(World):
    def _user_id(self, login: str) -> int:
        return self._users.setdefault(login.lower(), next(self._ids))

    def _user_json(self, login: str, type_: str = "User") -> dict[str, Any]:
        uid = self._user_id(login)
        api = f"{self.url}/users/{login}"
        return {
            "login": login,
            "id": uid,
            "node_id": f"U_{uid}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "gravatar_id": "",
            "url": api,
            "html_url": f"{WEB}/{login}",
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": type_,
            "user_view_type": "public",
            "site_admin": False,
        }

    def _bot_json(self) -> dict[str, Any]:
        return self._user_json(f"{self.app_slug}[bot]", "Bot")

    def _app_json(self, app_id: int | None = None) -> dict[str, Any]:
        app_id = app_id or self.app_id
        slug = self.app_slug if app_id == self.app_id else self._foreign_apps.get(app_id, f"app-{app_id}")
        owner = next(iter(self._installations.values()), None)
        when = _iso(self._started)
        return {
            "id": app_id,
            "slug": slug,
            "node_id": f"A_{app_id}",
            "client_id": f"Iv1.{app_id:016x}",
            "owner": self._user_json(owner.account if owner else "octo-org", "Organization"),
            "name": slug,
            "description": "",
            "external_url": f"{WEB}/apps/{slug}",
            "html_url": f"{WEB}/apps/{slug}",
            "created_at": when,
            "updated_at": when,
            "permissions": dict(TOKEN_PERMISSIONS) if app_id == self.app_id else {},
            "events": ["check_run", "issue_comment", "pull_request"] if app_id == self.app_id else [],
            "installations_count": len(self._installations) if app_id == self.app_id else 1,
        }

    def _installation_json(self, inst: _Installation) -> dict[str, Any]:
        when = _iso(self._started)
        return {
            "id": inst.id,
            "account": self._user_json(inst.account, inst.account_type),
            "repository_selection": "all",
            "access_tokens_url": f"{self.url}/app/installations/{inst.id}/access_tokens",
            "repositories_url": f"{self.url}/installation/repositories",
            "html_url": f"{WEB}/organizations/{inst.account}/settings/installations/{inst.id}",
            "app_id": self.app_id,
            "app_slug": self.app_slug,
            "target_id": self._user_id(inst.account),
            "target_type": inst.account_type,
            "permissions": dict(TOKEN_PERMISSIONS),
            "events": ["check_run", "issue_comment", "pull_request"],
            "created_at": when,
            "updated_at": when,
            "single_file_name": None,
            "has_multiple_single_files": False,
            "single_file_paths": [],
            "suspended_by": self._user_json(inst.account) if inst.suspended else None,
            "suspended_at": when if inst.suspended else None,
        }

    def _repo_json(self, repo: _Repo, *, owner: str | None = None, fork: bool = False) -> dict[str, Any]:
        owner = owner or repo.owner
        rid = repo.id + 1_000_000 if fork else repo.id
        full = f"{owner}/{repo.name}"
        api = f"{self.url}/repos/{full}"
        inst = self._installations.get(repo.installation_id)
        owner_type = inst.account_type if inst and not fork and inst.account == owner else "User"
        data: dict[str, Any] = {
            "id": rid,
            "node_id": f"R_{rid}",
            "name": repo.name,
            "full_name": full,
            "owner": self._user_json(owner, owner_type),
            "private": True,
            "visibility": "private",
            "html_url": f"{WEB}/{full}",
            "description": None,
            "fork": fork,
            "url": api,
            **{key: api + suffix for key, suffix in REPO_URLS.items()},
            "git_url": f"git://github.com/{full}.git",
            "ssh_url": f"git@github.com:{full}.git",
            "clone_url": f"{WEB}/{full}.git",
            "svn_url": f"{WEB}/{full}",
            "mirror_url": None,
            "homepage": None,
            "language": None,
            "forks_count": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "size": 0,
            "default_branch": repo.default_branch,
            "open_issues_count": 0,
            "is_template": False,
            "topics": [],
            "has_issues": True,
            "has_projects": False,
            "has_wiki": False,
            "has_pages": False,
            "has_downloads": False,
            "has_discussions": False,
            "archived": False,
            "disabled": False,
            "pushed_at": repo.created_at,
            "created_at": repo.created_at,
            "updated_at": repo.created_at,
            "allow_forking": True,
            "web_commit_signoff_required": False,
            "subscribers_count": 0,
            "network_count": 0,
            "license": None,
            "forks": 0,
            "open_issues": 0,
            "watchers": 0,
        }
        return data

    def _label_json(self, repo: _Repo, name: str) -> dict[str, Any]:
        lid = int(hashlib.sha1(name.encode()).hexdigest()[:8], 16)
        return {
            "id": lid,
            "node_id": f"LA_{lid}",
            "url": f"{self.url}/repos/{repo.full_name}/labels/{name}",
            "name": name,
            "description": None,
            "color": "ededed",
            "default": False,
            "archived_by": None,
        }

    def _pr_json(self, pr: _PR) -> dict[str, Any]:
        repo = pr.repo
        api = f"{self.url}/repos/{repo.full_name}"
        html = f"{WEB}/{repo.full_name}/pull/{pr.number}"
        base_repo = self._repo_json(repo)
        head_owner = pr.user if pr.fork else repo.owner
        head_repo = self._repo_json(repo, owner=pr.user, fork=True) if pr.fork else base_repo
        user = self._user_json(pr.user, pr.user_type)
        additions = sum(int(f.get("additions", 0)) for f in pr.files)
        deletions = sum(int(f.get("deletions", 0)) for f in pr.files)
        links = {
            "self": f"{api}/pulls/{pr.number}",
            "html": html,
            "issue": f"{api}/issues/{pr.number}",
            "comments": f"{api}/issues/{pr.number}/comments",
            "review_comments": f"{api}/pulls/{pr.number}/comments",
            "review_comment": f"{api}/pulls/comments{{/number}}",
            "commits": f"{api}/pulls/{pr.number}/commits",
            "statuses": f"{api}/statuses/{pr.head_sha}",
        }
        return {
            "url": links["self"],
            "id": pr.id,
            "node_id": f"PR_{pr.id}",
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": links["issue"],
            "commits_url": links["commits"],
            "review_comments_url": links["review_comments"],
            "review_comment_url": links["review_comment"],
            "comments_url": links["comments"],
            "statuses_url": links["statuses"],
            "number": pr.number,
            "state": "open",
            "locked": False,
            "title": pr.title,
            "user": user,
            "body": pr.body or None,
            "labels": [self._label_json(repo, name) for name in pr.labels],
            "milestone": None,
            "active_lock_reason": None,
            "created_at": pr.created_at,
            "updated_at": pr.created_at,
            "closed_at": None,
            "merged_at": None,
            "merge_commit_sha": None,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": {
                "label": f"{head_owner}:{pr.head_ref}",
                "ref": pr.head_ref,
                "sha": pr.head_sha,
                "user": self._user_json(head_owner),
                "repo": head_repo,
            },
            "base": {
                "label": f"{repo.owner}:{pr.base_ref}",
                "ref": pr.base_ref,
                "sha": pr.base_sha,
                "user": self._user_json(repo.owner),
                "repo": base_repo,
            },
            "_links": {key: {"href": href} for key, href in links.items()},
            "author_association": "CONTRIBUTOR",
            "auto_merge": None,
            "draft": pr.draft,
            "merged": False,
            "mergeable": True,
            "rebaseable": True,
            "mergeable_state": "draft" if pr.draft else "clean",
            "merged_by": None,
            "comments": sum(1 for c in self.comments if self._is_comment_on(c, pr)),
            "review_comments": 0,
            "maintainer_can_modify": pr.fork,
            "commits": 1,
            "additions": additions,
            "deletions": deletions,
            "changed_files": len(pr.files),
        }

    def _is_comment_on(self, comment: dict[str, Any], pr: _PR) -> bool:
        return bool(comment["repository"] == pr.repo.full_name and comment["issue_number"] == pr.number)

    def _file_json(self, repo: _Repo, pr: _PR, entry: dict[str, Any]) -> dict[str, Any]:
        adds, dels = int(entry.get("additions", 0)), int(entry.get("deletions", 0))
        name = entry["filename"]
        data = {
            "sha": hashlib.sha1(f"{name}\0{entry.get('patch', '')}".encode()).hexdigest(),
            "filename": name,
            "status": entry.get("status", "modified"),
            "additions": adds,
            "deletions": dels,
            "changes": int(entry.get("changes", adds + dels)),
            "blob_url": f"{WEB}/{repo.full_name}/blob/{pr.head_sha}/{name}",
            "raw_url": f"{WEB}/{repo.full_name}/raw/{pr.head_sha}/{name}",
            "contents_url": f"{self.url}/repos/{repo.full_name}/contents/{name}?ref={pr.head_sha}",
        }
        for key in ("patch", "previous_filename"):
            if key in entry:
                data[key] = entry[key]
        return data

    def _minimal_pr_json(self, pr: _PR) -> dict[str, Any]:
        api = f"{self.url}/repos/{pr.repo.full_name}"
        repo = {"id": pr.repo.id, "url": api, "name": pr.repo.name}
        return {
            "url": f"{api}/pulls/{pr.number}",
            "id": pr.id,
            "number": pr.number,
            "head": {"ref": pr.head_ref, "sha": pr.head_sha, "repo": repo},
            "base": {"ref": pr.base_ref, "sha": pr.base_sha, "repo": repo},
        }

    def _run_json(self, run: dict[str, Any]) -> dict[str, Any]:
        data = _public(run)
        repo = self._repos[run["repository"].lower()]
        # Like GitHub: only same-repository PRs whose head is the run's sha (never forks).
        data["pull_requests"] = [
            self._minimal_pr_json(pr)
            for pr in self._prs.values()
            if pr.repo is repo and pr.head_sha == run["head_sha"] and not pr.fork
        ]
        data["app"] = self._app_json(run["app"]["id"])
        return data

    def _paginate(self, call: _Call, items: list[Any]) -> _Page:
        per_page = min(max(_int(call.query.get("per_page"), 30), 1), 100)
        page = max(_int(call.query.get("page"), 1), 1)
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]

        def href(n: int) -> str:
            return f"{self.url}{call.path}?{urlencode({**call.query, 'per_page': per_page, 'page': n})}"

        rels = []
        if page > 1:
            rels += [(min(page - 1, last), "prev")]
        if page < last:
            rels += [(page + 1, "next"), (last, "last")]
        if page > 1:
            rels += [(1, "first")]
        return _Page(chunk, ", ".join(f'<{href(n)}>; rel="{rel}"' for n, rel in rels) or None)

    def _paged(self, call: _Call, items: list[Any], wrap: Callable[[list[Any]], Any] = list) -> Response:
        page = self._paginate(call, items)
        return _json(200, wrap(page.items), {"link": page.link} if page.link else None)
