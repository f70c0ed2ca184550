"""Exposure extraction throughput on a generated multi-framework tree, beside the cost of reading the bytes.

Run: python -m bench.exposure
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from checks.exposure import extract

FILES_PER_FRAMEWORK = 200
ROUTES_PER_FILE = 40


def _fastapi(i: int) -> str:
    body = "".join(
        f'@router.get("/items{j}/{{item_id}}")\nasync def get_{j}(item_id: int, user=Depends(get_current_user)):\n    return {{"id": item_id}}\n\n'
        for j in range(ROUTES_PER_FILE)
    )
    return f'from fastapi import APIRouter, Depends\nrouter = APIRouter(prefix="/svc{i}")\n\n' + body


def _express(i: int) -> str:
    body = "".join(
        f"router.{'get' if j % 2 else 'post'}('/things{j}/:id', requireAuth, handler{j});\n"
        for j in range(ROUTES_PER_FILE)
    )
    return "const router = require('express').Router();\n" + body + "module.exports = router;\n"


def _go(i: int) -> str:
    body = "".join(f'\t\tr.Get("/res{j}/{{id}}", h{j})\n' for j in range(ROUTES_PER_FILE))
    return f'package main\nfunc routes{i}(r chi.Router) {{\n\tr.Route("/v{i}", func(r chi.Router) {{\n\t\tr.Use(Auth)\n{body}\t}})\n}}\n'


def _spring(i: int) -> str:
    body = "".join(
        f'    @GetMapping("/r{j}/{{id}}")\n    public String r{j}(@PathVariable String id) {{ return id; }}\n\n'
        for j in range(ROUTES_PER_FILE)
    )
    return f'@RestController\n@RequestMapping("/c{i}")\n@PreAuthorize("isAuthenticated()")\npublic class C{i} {{\n{body}}}\n'


def _proto(i: int) -> str:
    body = "".join(
        f'  rpc M{j}(Req) returns (Resp) {{\n    option (google.api.http) = {{ get: "/v1/s{i}/m{j}/{{id}}" }};\n  }}\n'
        for j in range(ROUTES_PER_FILE)
    )
    return f'syntax = "proto3";\npackage p{i};\nservice S{i} {{\n{body}}}\n'


def _aspnet(i: int) -> str:
    body = "".join(
        f'    [HttpGet("r{j}/{{id}}")]\n    [Authorize(Policy = "Admin")]\n    public IActionResult R{j}(string id) => Ok(id);\n\n'
        for j in range(ROUTES_PER_FILE)
    )
    return f'[Route("c{i}")]\n[Authorize]\npublic class C{i}Controller : ControllerBase\n{{\n{body}}}\n'


def generate() -> dict[str, str]:
    tree: dict[str, str] = {}
    for i in range(FILES_PER_FRAMEWORK):
        tree[f"py/routers/r{i}.py"] = _fastapi(i)
        tree[f"js/routes/r{i}.js"] = _express(i)
        tree[f"go/routes{i}.go"] = _go(i)
        tree[f"java/C{i}.java"] = _spring(i)
        tree[f"proto/s{i}.proto"] = _proto(i)
        tree[f"cs/C{i}Controller.cs"] = _aspnet(i)
    return tree


def main() -> None:
    tree = generate()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for path, text in tree.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text)
        # The floor is a real read: open, read and decode every file from disk (page cache warm).
        start = time.perf_counter()
        read = {path: (root / path).read_text() for path in tree}
        floor = time.perf_counter() - start
    size = sum(len(t.encode()) for t in read.values())
    start = time.perf_counter()
    endpoints = extract(read)
    spent = time.perf_counter() - start
    mb = size / 1e6
    print(f"tree: {len(tree)} files, {mb:.1f} MB, {len(endpoints)} endpoints")
    print(f"read from disk:      {floor * 1000:.1f} ms  ({mb / floor:.0f} MB/s)")
    print(f"extract:             {spent * 1000:.1f} ms  ({mb / spent:.1f} MB/s)")
    print(f"ratio extract/floor: {spent / floor:.0f}x")


if __name__ == "__main__":
    main()
