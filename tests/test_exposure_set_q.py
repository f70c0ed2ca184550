"""Issue 14: idioms read from set Q's misses, each as a minimal snippet written for this test."""

from __future__ import annotations

from checks.exposure.extract import extract
from tests.exposure_growth import grown


def _laravel_routes(groups: int, last: str) -> str:
    siblings = "\n".join(
        f"    Route::prefix('p{i}')->group(function (): void {{\n"
        f"        Route::name('p{i}.')->group(function (): void {{\n"
        f"            Route::get('/', [C{i}::class, 'index'])->name('index');\n"
        "        });\n    });"
        for i in range(groups)
    )
    return (
        "<?php\nRoute::prefix('staff')->middleware(['auth', 'admin'])->group(function (): void {\n"
        f"{siblings}\n{last}\n}});\n"
    )


def test_a_laravel_route_file_with_hundreds_of_groups_keeps_every_group_prefix_and_guard() -> None:
    path = "routes/web.php"
    added = (
        "    Route::prefix('history')->group(function (): void { Route::get('/', [H::class, 'index']); });"
    )
    base, head = _laravel_routes(150, ""), _laravel_routes(150, added)
    last = [e for e in extract({path: head}) if e.path == "/staff/history"]
    assert last and last[0].auth == "authenticated"
    assert grown({path: base}, {path: head}) == {("added", "GET", "/staff/history")}
