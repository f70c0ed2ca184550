"""django-modernrpc methods: each `@rpc_method` is an endpoint guarded by the decorators stacked with it."""

from __future__ import annotations

from checks.exposure.extract import extract, unresolved_guards
from tests.exposure_growth import grown

USERS = """from modernrpc.core import rpc_method
from modernrpc.auth.basic import http_basic_auth_login_required, http_basic_auth_superuser_required


@rpc_method(name="users.get")
@http_basic_auth_login_required
@handle_rpc_exceptions
def get(*, user_id: int):
    return {}
%s"""
ADD = """

@rpc_method(name="users.add")
@http_basic_auth_superuser_required
@handle_rpc_exceptions
def add(*, user_def):
    return {}
"""
DECORATORS = """from modernrpc.core import rpc_method


def project_rpc_method(*, name, auth="superuser"):
    def combo(f):
        return rpc_method(name=name)(f)
    return combo
"""
WRAPPED = """from project.rpc.decorators import project_rpc_method


@project_rpc_method(name="forms.get", auth="login")
def get(*, form_id: int):
    return {}
%s"""


def test_rpc_methods_are_endpoints_named_as_clients_call_them() -> None:
    path = "project/rpc/users.py"
    methods = {e.path: e for e in extract({path: USERS % ADD})}
    assert methods["users.get"].kind == "rpc" and methods["users.get"].auth == "authenticated"
    assert grown({path: USERS % ""}, {path: USERS % ADD}) == {("added", "CALL", "users.add")}
    login = ADD.replace("superuser", "login")
    assert grown({path: USERS % ""}, {path: USERS % login}) == set()


def test_an_anonymous_method_beside_guarded_ones_grows_exposure() -> None:
    path = "project/rpc/forms.py"
    public = '\n\n@project_rpc_method(name="forms.get_public", auth="anonymous")\ndef get_public(*, form_id):\n    return {}\n'
    assert grown({path: WRAPPED % ""}, {path: WRAPPED % public}) == {("added", "CALL", "forms.get_public")}


def test_a_wrapper_without_auth_takes_the_default_its_definition_declares() -> None:
    path, decorators = "project/rpc/users.py", "project/rpc/decorators.py"
    plain = WRAPPED.replace(', auth="login"', "") % ""
    assert unresolved_guards({path: plain}) == ["def project_rpc_method("]
    method = next(e for e in extract({path: plain, decorators: DECORATORS}) if e.path == "forms.get")
    assert method.auth == "authenticated" and any("superuser" in r for r in method.reasons)
    # Moving a superuser method onto the wrapper's default keeps it guarded: no widening.
    before = USERS % ADD
    after = before.replace(
        '@rpc_method(name="users.add")\n@http_basic_auth_superuser_required',
        '@project_rpc_method(name="users.add")',
    )
    assert grown({path: before, decorators: DECORATORS}, {path: after, decorators: DECORATORS}) == set()
