"""Privileged roles named by a guard, by word in any spelling, the same for every framework family."""

from __future__ import annotations

from checks.exposure import compare
from checks.exposure.roles import privileged_role, words


def test_words_split_every_spelling() -> None:
    assert words("isSuperAdmin") == ["is", "super", "admin"]
    assert words("require_admin") == ["require", "admin"]
    assert words("can:settings-manage") == ["can", "settings", "manage"]
    assert words("HTTPAdminGuard") == ["http", "admin", "guard"]


def test_privileged_roles_recognized_by_word() -> None:
    for guard in (
        '@PreAuthorize("@perm.isSuperAdmin()")',
        "decorator @require_super_admin",
        "users.Use(session.MustAdmin())",
        "g.Use(RequireInstanceAdmin)",
        "middleware can:settings-manage",
        "middleware promiseEnforceMasterKeyAccess",
        "ROLE_ADMIN",
        "isadmin",
    ):
        assert privileged_role(guard), guard
    for guard in (
        "middleware auth",
        "badminton",
        "administrative_area",
        "can:content-export",
        "masterBranch",
        "parameter Depends(get_user_manager)",
    ):
        assert privileged_role(guard) is None, guard


SPRING = """@RestController
public class InfoController {
  @GetMapping("/info")
  public String info() { return ""; }
}
"""


def test_spring_pre_authorize_with_named_value_is_a_privileged_guard() -> None:
    added = SPRING.replace(
        "}\n}",
        '}\n  @PreAuthorize(value = "@permissionValidator.isSuperAdmin()")\n'
        '  @GetMapping("/diagnostics")\n  public String diag() { return ""; }\n}',
    )
    delta = compare({"src/InfoController.java": SPRING}, {"src/InfoController.java": added})
    assert delta.grows and [f.endpoint.path for f in delta.findings] == ["/diagnostics"]


def test_laravel_group_spans_its_whole_closure() -> None:
    routes = "\n".join(
        f"    Route::get('/page{i}/{{slug}}/with/a/long/path', [PageController::class, 'x']);"
        for i in range(80)
    )
    text = f"<?php\nRoute::middleware('auth')->group(function () {{\n{routes}\n}});\n"
    delta = compare(
        {"routes/web.php": text}, {"routes/web.php": text.replace("PageController", "Pages\\PageController")}
    )
    assert not delta.findings
    from checks.exposure import extract

    assert {ep.auth for ep in extract({"routes/web.php": text})} == {"authenticated"}


def test_laravel_route_permission_middleware_naming_an_admin_capability() -> None:
    base = "<?php\nRoute::get('/books', [BookController::class, 'index'])->middleware('auth');\n"
    head = (
        base + "Route::get('/audit', [AuditController::class, 'index'])->middleware('can:settings-manage');\n"
    )
    assert compare({"routes/web.php": base}, {"routes/web.php": head}).grows
    other = (
        base
        + "Route::get('/export', [ExportController::class, 'index'])->middleware('can:content-export');\n"
    )
    assert not compare({"routes/web.php": base}, {"routes/web.php": other}).grows
