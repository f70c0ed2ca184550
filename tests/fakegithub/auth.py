"""App and installation auth: JWTs, installation tokens and their permissions, the app endpoints and
webhook deliveries."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import jwt
from starlette.responses import Response

from tests.fakegithub.model import (
    _PR,
    DOCS,
    LEVELS,
    ROUTE_PERMISSIONS,
    _Call,
    _Fail,
    _int,
    _iso,
    _json,
    _now,
    _Repo,
    _Token,
)
from tests.fakegithub.shapes import Shapes


class Auth(Shapes):
    def _require_jwt(self, call: _Call) -> None:
        scheme, _, credential = call.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not credential:
            raise _Fail(401, "A JSON web token could not be decoded")
        try:
            claims = jwt.decode(
                credential,
                self._public_key,
                algorithms=["RS256"],
                leeway=5,
                options={"require": ["iat", "exp", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise _Fail(
                401,
                "'Expiration time' claim ('exp') must be a numeric value representing the "
                "future time at which the assertion expires",
            ) from None
        except jwt.ImmatureSignatureError:
            raise _Fail(
                401,
                "'Issued at' claim ('iat') must be an Integer representing the time that "
                "the assertion was issued",
            ) from None
        except jwt.PyJWTError:
            raise _Fail(401, "A JSON web token could not be decoded") from None
        if str(claims["iss"]) != str(self.app_id):
            raise _Fail(401, "A JSON web token could not be decoded")
        if int(claims["exp"]) - int(claims["iat"]) > 660:
            raise _Fail(401, "'Expiration time' claim ('exp') is too far in the future")

    def _require_token(self, call: _Call) -> _Token:
        scheme, _, credential = call.headers.get("authorization", "").partition(" ")
        if not credential:
            raise _Fail(401, "Requires authentication")
        token = self._tokens.get(credential) if scheme.lower() in ("token", "bearer") else None
        if token is None or token.revoked or token.expires_at <= _now():
            raise _Fail(401, "Bad credentials")
        return token

    def _require_permission(self, call: _Call, handler: str) -> None:
        needed = ROUTE_PERMISSIONS.get(handler)
        if needed is None:
            return
        token = self._require_token(call)
        name, level = needed
        if LEVELS.get(token.permissions.get(name, ""), 0) < LEVELS[level]:
            raise _Fail(403, "Resource not accessible by integration", docs=f"{DOCS}/{handler.strip('_')}")

    def set_token_permissions(self, permissions: dict[str, str]) -> None:
        """What tokens minted from now on carry (an installation that accepted fewer permissions)."""
        with self._lock:
            self.token_permissions = dict(permissions)

    def _repo_for(self, call: _Call) -> _Repo:
        """The URL's repository, if the caller's installation token may see it (404 otherwise, as
        GitHub hides repositories a token cannot access)."""
        token = self._require_token(call)
        repo = self._repos.get(f"{call.params['owner']}/{call.params['repo']}".lower())
        if repo is None or repo.installation_id != token.installation_id:
            raise _Fail(404, "Not Found")
        return repo

    def _pr_for(self, call: _Call) -> tuple[_Repo, _PR]:
        repo = self._repo_for(call)
        pr = self._prs.get((repo.full_name.lower(), int(call.params["number"])))
        if pr is None:
            raise _Fail(404, "Not Found")
        return repo, pr

    def _get_repo(self, owner: str, repo: str) -> _Repo:
        found = self._repos.get(f"{owner}/{repo}".lower())
        if found is None:
            raise KeyError(f"add_repo({owner!r}, {repo!r}, ...) first")
        return found

    def _create_token(self, call: _Call) -> Response:
        self._require_jwt(call)
        inst = self._installations.get(int(call.params["installation_id"]))
        if inst is None:
            raise _Fail(404, "Not Found")
        if inst.suspended:
            raise _Fail(403, "This installation has been suspended")
        body = call.body if isinstance(call.body, dict) else {}
        granted = self.token_permissions
        asked = body.get("permissions") or dict(granted)
        # A token may be narrowed below what the installation granted, never widened past it.
        permissions = {
            k: v for k, v in asked.items() if LEVELS.get(granted.get(k, ""), 0) >= LEVELS.get(v, 9)
        }
        token = "ghs_" + secrets.token_urlsafe(27).replace("-", "A").replace("_", "b")[:36]
        expires = (_now() + timedelta(hours=1)).replace(microsecond=0)
        self._tokens[token] = _Token(inst.id, expires, permissions)
        return _json(
            201,
            {
                "token": token,
                "expires_at": _iso(expires),
                "permissions": permissions,
                "repository_selection": "selected"
                if body.get("repositories") or body.get("repository_ids")
                else "all",
            },
        )

    def accept_manifest(self, manifest: dict[str, Any]) -> str:
        """What github.com's "Create GitHub App" page does with a posted manifest: a one-time code."""
        code = secrets.token_hex(10)
        with self._lock:
            self._manifests[code] = manifest
        return code

    def _convert_manifest(self, call: _Call) -> Response:
        # No authentication: the code itself is the credential, valid once (and for an hour on GitHub).
        manifest = self._manifests.pop(call.params["code"], None)
        if manifest is None:
            raise _Fail(404, "Not Found")
        app_id = 900_000 + len(self._foreign_apps) + 1
        slug = re.sub(r"[^a-z0-9-]+", "-", str(manifest.get("name", "app")).lower()).strip("-")
        self._foreign_apps[app_id] = slug
        data = self._app_json(app_id)
        data.update(
            permissions=dict(manifest.get("default_permissions") or {}),
            events=list(manifest.get("default_events") or []),
            client_secret=secrets.token_hex(20),
            webhook_secret=secrets.token_hex(20),
            pem=self.private_key_pem,
        )
        return _json(201, data)

    def _get_app(self, call: _Call) -> Response:
        self._require_jwt(call)
        return _json(200, self._app_json())

    def _get_installation(self, call: _Call) -> Response:
        self._require_jwt(call)
        inst = self._installations.get(int(call.params["installation_id"]))
        if inst is None:
            raise _Fail(404, "Not Found")
        return _json(200, self._installation_json(inst))

    def _get_repo_installation(self, call: _Call) -> Response:
        self._require_jwt(call)
        repo = self._repos.get(f"{call.params['owner']}/{call.params['repo']}".lower())
        if repo is None:
            raise _Fail(404, "Not Found")
        return _json(200, self._installation_json(self._installations[repo.installation_id]))

    def _list_deliveries(self, call: _Call) -> Response:
        self._require_jwt(call)
        per_page = min(max(_int(call.query.get("per_page"), 30), 1), 100)
        items = sorted(self._deliveries, key=lambda d: d["id"], reverse=True)
        if status := call.query.get("status"):
            ok = status == "success"
            items = [d for d in items if (200 <= d["status_code"] < 300) == ok]
        if cursor := call.query.get("cursor"):
            start = _int(cursor.removeprefix("v1_"), 0)
            items = [d for d in items if d["id"] <= start]
        page, rest = items[:per_page], items[per_page:]
        headers = None
        if rest:
            query = urlencode({**call.query, "per_page": per_page, "cursor": f"v1_{rest[0]['id']}"})
            headers = {"link": f'<{self.url}{call.path}?{query}>; rel="next"'}
        return _json(200, [dict(d) for d in page], headers)

    def _redeliver(self, call: _Call) -> Response:
        self._require_jwt(call)
        delivery_id = int(call.params["delivery_id"])
        if not any(d["id"] == delivery_id for d in self._deliveries):
            raise _Fail(404, "Not Found")
        self.redelivery_attempts.append(delivery_id)
        return _json(202, {})
