"""Flask-RESTful resources: routed by `add_resource`, guarded by their methods' decorators."""

from __future__ import annotations

from checks.exposure import compare

API = """from flask_restful import Api
from app.handlers.users import UserResource

api = Api()
api.add_resource(UserResource, "/api/users/<user_id>", endpoint="user")
"""

HANDLERS = """from app.permissions import require_admin, require_permission


class UserResource(BaseResource):
    @require_permission("list_users")
    def get(self, user_id):
        return {}
"""

DISABLE = """

class UserDisableResource(BaseResource):
    @require_admin
    def post(self, user_id):
        return {}
"""


def test_new_resource_whose_methods_need_an_admin_is_internal() -> None:
    base = {"app/handlers/api.py": API, "app/handlers/users.py": HANDLERS}
    head = {
        "app/handlers/api.py": API
        + 'api.add_org_resource(UserDisableResource, "/api/users/<user_id>/disable")\n',
        "app/handlers/users.py": HANDLERS + DISABLE,
    }
    delta = compare(base, head)
    assert delta.grows
    assert [(f.change, f.endpoint.path) for f in delta.findings] == [
        ("added", "/api/users/{user_id}/disable")
    ]


def test_ordinary_permission_resource_is_not_internal() -> None:
    base = {"app/handlers/api.py": API, "app/handlers/users.py": HANDLERS}
    head = {"app/handlers/api.py": API + 'api.add_resource(UserResource, "/api/users/me")\n', **{}}
    head["app/handlers/users.py"] = HANDLERS
    delta = compare(base, head)
    assert not delta.grows and [f.change for f in delta.findings] == ["added"]
