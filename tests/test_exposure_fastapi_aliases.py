"""FastAPI `Annotated` dependency aliases, in the file and across files; minimal snippets written for this test."""

from __future__ import annotations

from checks.exposure import extract
from checks.exposure.extract import unresolved_guards
from tests.exposure_growth import grown

DEPS = """from typing import Annotated
from fastapi import Depends

SessionDep = Annotated[Session, Depends(get_db)]
CurrentUser = Annotated[User, Depends(get_current_user)]
SuperUser = Annotated[User, Depends(get_current_active_superuser)]
ReaderOrAnonymous = Annotated[Subject, Depends(Authenticator(allowed_subjects={User, Anonymous}))]
"""
ROUTES = """from fastapi import APIRouter
from app.api import deps

router = APIRouter()

@router.get("/items")
def items(session: deps.SessionDep, user: deps.CurrentUser):
    return []
"""


def test_parameters_annotated_with_an_alias_take_its_dependencies() -> None:
    local = DEPS + ROUTES.replace("deps.", "")
    [ep] = extract({"app/api/items.py": local})
    assert ep.auth == "authenticated" and ep.reasons == ("parameter CurrentUser = Depends(get_current_user)",)
    [ep] = extract({"app/api/deps.py": DEPS, "app/api/items.py": ROUTES})
    assert ep.auth == "authenticated"
    [ep] = extract({"app/api/items.py": ROUTES.replace("user: deps.CurrentUser", "x: int")})
    assert ep.auth == "unauthenticated"


def test_an_alias_for_a_privileged_dependency_makes_the_route_internal() -> None:
    base = {"app/api/deps.py": DEPS, "app/api/items.py": ROUTES}
    head = {
        **base,
        "app/api/items.py": ROUTES
        + '\n@router.delete("/items/purge")\ndef purge(session: deps.SessionDep, user: deps.SuperUser):\n    return None\n',
    }
    assert grown(base, head) == {("added", "DELETE", "/items/purge")}


def test_switching_to_an_alias_that_admits_anonymous_callers_widens() -> None:
    base = {"app/api/deps.py": DEPS, "app/api/items.py": ROUTES}
    head = {**base, "app/api/items.py": ROUTES.replace("deps.CurrentUser", "deps.ReaderOrAnonymous")}
    assert grown(base, head) == {("widened", "GET", "/items")}


def test_an_alias_defined_in_an_unchanged_file_is_searched_for() -> None:
    assert unresolved_guards({"app/api/items.py": ROUTES}) == ["CurrentUser ="]
    assert unresolved_guards({"app/api/deps.py": DEPS, "app/api/items.py": ROUTES}) == []
