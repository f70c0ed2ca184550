"""Issue comments and their reactions."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from tests.fakegithub import rules
from tests.fakegithub.checks import Checks
from tests.fakegithub.model import (
    WEB,
    _Call,
    _Fail,
    _iso,
    _json,
    _now,
    _public,
    _Repo,
)


class Issues(Checks):
    def _new_comment(self, repo: _Repo, number: int, body: str, user: str, user_type: str) -> dict[str, Any]:
        cid = next(self._ids)
        when = _iso(_now())
        api = f"{self.url}/repos/{repo.full_name}"
        comment = {
            "id": cid,
            "node_id": f"IC_{cid}",
            "url": f"{api}/issues/comments/{cid}",
            "html_url": f"{WEB}/{repo.full_name}/pull/{number}#issuecomment-{cid}",
            "body": body,
            "user": self._user_json(user, user_type),
            "created_at": when,
            "updated_at": when,
            "issue_url": f"{api}/issues/{number}",
            "author_association": "NONE" if user_type == "Bot" else "CONTRIBUTOR",
            "repository": repo.full_name,
            "issue_number": number,
        }
        self.comments.append(comment)
        return comment

    def _comment_body(self, call: _Call) -> str:
        return rules.comment_body(call.body, self)

    def _post_comment(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        number = int(call.params["number"])
        if (repo.full_name.lower(), number) not in self._prs:
            raise _Fail(404, "Not Found")
        comment = self._new_comment(repo, number, self._comment_body(call), *self._bot_identity())
        return _json(201, _public(comment))

    def _bot_identity(self) -> tuple[str, str]:
        return f"{self.app_slug}[bot]", "Bot"

    def _list_comments(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        number = int(call.params["number"])
        found = [
            _public(c)
            for c in self.comments
            if c["repository"] == repo.full_name and c["issue_number"] == number
        ]
        return self._paged(call, found)

    def _comment_for(self, call: _Call) -> dict[str, Any]:
        repo = self._repo_for(call)
        cid = int(call.params["comment_id"])
        for comment in self.comments:
            if comment["id"] == cid and comment["repository"] == repo.full_name:
                return comment
        raise _Fail(404, "Not Found")

    def _patch_comment(self, call: _Call) -> Response:
        comment = self._comment_for(call)
        comment["body"] = self._comment_body(call)
        comment["updated_at"] = _iso(_now())
        return _json(200, _public(comment))

    def _post_reaction(self, call: _Call) -> Response:
        comment = self._comment_for(call)
        content = rules.reaction_content(call.body)
        user = self._bot_json()
        for reaction in self.reactions:
            if (reaction["comment_id"], reaction["content"], reaction["user"]["login"]) == (
                comment["id"],
                content,
                user["login"],
            ):
                return _json(200, _public(reaction))
        rid = next(self._ids)
        reaction = {
            "id": rid,
            "node_id": f"REA_{rid}",
            "user": user,
            "content": content,
            "created_at": _iso(_now()),
            "comment_id": comment["id"],
            "repository": comment["repository"],
        }
        self.reactions.append(reaction)
        return _json(201, _public(reaction))
