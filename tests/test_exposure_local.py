"""`agentbudget check` on a git range runs the exposure gate as the App does (issue 14, parity)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import FASTAPI_APP, agentbudget, commit, git, repo
from tests.test_exposure_idioms import LARAVEL_KERNEL, LARAVEL_MIDDLEWARE, LARAVEL_OPS, LARAVEL_PROVIDER

__all__ = ["repo"]


def test_check_on_a_git_range_blocks_on_exposure_growth_and_carries_the_delta(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    commit(repo, {"api.py": FASTAPI_APP})
    git(repo, "checkout", "-q", "-B", "feature")
    commit(repo, {"api.py": FASTAPI_APP + "\n\n@app.post('/admin/reset')\ndef reset():\n    return {}\n"})
    done = agentbudget("check", "--base", "main", "--format", "json", cwd=repo)
    verdict = json.loads(done.stdout)
    assert done.returncode == 1, done.stdout + done.stderr
    gates = {g["gate"]: g["outcome"] for g in verdict["gates"]}
    assert gates["exposure"] == "fail"
    assert verdict["exposure"]["grows"] is True
    (finding,) = verdict["exposure"]["findings"]
    assert (finding["change"], finding["method"], finding["path"]) == ("added", "POST", "/admin/reset")


def test_exposure_reads_the_unchanged_file_that_mounts_a_changed_router(repo: Path) -> None:
    main = (
        "from fastapi import FastAPI, Depends\nfrom app.routes import reports\n\napp = FastAPI()\n"
        "app.include_router(reports.router, prefix='/admin', dependencies=[Depends(require_user)])\n"
    )
    reports = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    (repo / "app" / "routes").mkdir(parents=True)
    git(repo, "checkout", "-q", "main")
    commit(repo, {"app/main.py": main, "app/routes/reports.py": reports})
    git(repo, "checkout", "-q", "-B", "feature")
    commit(
        repo, {"app/routes/reports.py": reports + "\n@router.get('/export')\ndef export():\n    return []\n"}
    )
    done = agentbudget("exposure", "--base", "main", "--format", "json", cwd=repo)
    found = json.loads(done.stdout)
    (finding,) = found["findings"]
    assert (finding["path"], finding["internal"]) == ("/admin/export", True)
    assert done.returncode == 1


def test_exposure_reads_the_unchanged_roles_table_a_changed_route_requires(repo: Path) -> None:
    roles = (
        "const roles = ['member', 'admin'];\nconst grants = new Map();\ngrants.set(roles[1], ['wipeAll']);\n"
    )
    routes = "const router = express.Router();\nrouter.get('/health', ok);\n"
    (repo / "src" / "routes").mkdir(parents=True)
    (repo / "src" / "config").mkdir(parents=True)
    git(repo, "checkout", "-q", "main")
    commit(repo, {"src/config/roles.js": roles, "src/routes/items.route.js": routes})
    git(repo, "checkout", "-q", "-B", "feature")
    commit(repo, {"src/routes/items.route.js": routes + "router.delete('/items', guard('wipeAll'), wipe);\n"})
    done = agentbudget("exposure", "--base", "main", "--format", "json", cwd=repo)
    (finding,) = json.loads(done.stdout)["findings"]
    assert (finding["path"], finding["internal"]) == ("/items", True)
    assert done.returncode == 1


def test_exposure_follows_a_laravel_middleware_group_to_its_class(repo: Path) -> None:
    for folder in ("routes", "app/Providers", "app/Http/Middleware"):
        (repo / folder).mkdir(parents=True, exist_ok=True)
    git(repo, "checkout", "-q", "main")
    shared = {
        "app/Providers/RouteServiceProvider.php": LARAVEL_PROVIDER,
        "app/Http/Kernel.php": LARAVEL_KERNEL,
        "app/Http/Middleware/OnlyRootUsers.php": LARAVEL_MIDDLEWARE,
    }
    commit(repo, {**shared, "routes/ops.php": LARAVEL_OPS % ""})
    git(repo, "checkout", "-q", "-B", "feature")
    commit(repo, {"routes/ops.php": LARAVEL_OPS % "Route::post('/drain', 'DrainController');\n"})
    done = agentbudget("exposure", "--base", "main", "--format", "json", cwd=repo)
    (finding,) = json.loads(done.stdout)["findings"]
    assert (finding["path"], finding["internal"]) == ("/api/ops/drain", True)
    assert done.returncode == 1


def test_exposure_follows_a_provider_and_the_routes_file_requiring_a_whole_directory(repo: Path) -> None:
    from tests.test_exposure_set_ap import ACCESS_PHP, WEB_PHP

    provider = (
        "<?php\nclass RouteServiceProvider extends ServiceProvider\n{\n    public function map()\n    {\n"
        "        Route::middleware('web')->group(base_path('routes/web.php'));\n"
        "        // Access control lives under routes/Backend\n    }\n}\n"
    )
    for folder in ("routes/Backend", "app/Providers"):
        (repo / folder).mkdir(parents=True, exist_ok=True)
    git(repo, "checkout", "-q", "main")
    shared = {"app/Providers/RouteServiceProvider.php": provider, "routes/web.php": WEB_PHP}
    commit(repo, {**shared, "routes/Backend/Access.php": ACCESS_PHP % ""})
    git(repo, "checkout", "-q", "-B", "feature")
    added = "    Route::delete('user/{user}/social/{social}/unlink', 'UserSocialController@unlink');\n"
    commit(repo, {"routes/Backend/Access.php": ACCESS_PHP % added})
    done = agentbudget("exposure", "--base", "main", "--format", "json", cwd=repo)
    (finding,) = json.loads(done.stdout)["findings"]
    assert (finding["path"], finding["internal"]) == (
        "/admin/access/user/{user}/social/{social}/unlink",
        True,
    )
    assert done.returncode == 1
