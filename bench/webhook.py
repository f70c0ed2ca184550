"""Webhook throughput: `agentbudget serve` (verify + dedupe + enqueue to real Redis) vs a bare Starlette
endpoint, both on uvicorn in their own process, driven by the same load generator in one run.

    .venv/bin/python -m bench.webhook [--requests 3000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from app.signature import sign
from tests.redis_server import RedisServer, free_port

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "github-webhooks" / "pull_request.synchronize.json"
SECRET = "bench-secret"


def deliveries(count: int) -> list[tuple[bytes, dict[str, str]]]:
    if not FIXTURE.is_file():
        raise SystemExit(f"bench/webhook.py: the recorded payload {FIXTURE} is missing")
    template = json.loads(FIXTURE.read_text())
    out = []
    for i in range(count):
        template["pull_request"]["head"]["sha"] = f"{i:040x}"
        body = json.dumps(template).encode()
        headers = {
            "X-GitHub-Event": "pull_request",
            "X-GitHub-Delivery": str(uuid.uuid4()),
            "X-Hub-Signature-256": sign(SECRET, body),
            "Content-Type": "application/json",
        }
        out.append((body, headers))
    return out


def start(cmd: list[str], port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.post(f"http://127.0.0.1:{port}/webhook", content=b"{}", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"server on {port} did not start: {' '.join(cmd)}")


async def _post(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    writer.write(request)
    await writer.drain()
    status_line = await reader.readline()
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(status_line.split()[1])


def raw_request(port: int, body: bytes, headers: dict[str, str]) -> bytes:
    head = ["POST /webhook HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def drive(
    port: int, items: list[tuple[bytes, dict[str, str]]], concurrency: int
) -> tuple[float, list[float], dict[int, int]]:
    """A minimal keep-alive HTTP/1.1 load generator: cheap enough that the servers, not the client, are
    measured. Every request is pre-built (signed, own delivery id and head sha) before the clock starts."""
    requests = [raw_request(port, body, headers) for body, headers in items]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    position = 0

    async def connection() -> None:
        nonlocal position
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while position < len(requests):
                request = requests[position]
                position += 1
                began = time.perf_counter()
                status = await _post(reader, writer, request)
                latencies.append(time.perf_counter() - began)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return time.perf_counter() - began, latencies, statuses


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()

    redis = RedisServer().start()
    ours_port, bare_port = free_port(), free_port()
    env = {**os.environ, "GITHUB_WEBHOOK_SECRET": SECRET, "REDIS_URL": redis.url, "PORT": str(ours_port)}
    uvicorn_args = ["--log-level", "warning", "--no-access-log"]
    ours = start([sys.executable, "-m", "app.cli", "serve"], ours_port, env)
    bare = start(
        [sys.executable, "-m", "uvicorn", "bench.bare:app", "--port", str(bare_port), *uvicorn_args],
        bare_port,
        env,
    )
    try:
        results = {}
        for name, port in (("bare starlette", bare_port), ("agentbudget serve", ours_port)):
            items = deliveries(args.requests)
            asyncio.run(drive(port, items[:200], args.concurrency))  # warm-up
            elapsed, lat, statuses = asyncio.run(drive(port, items[200:], args.concurrency))
            results[name] = (len(lat) / elapsed, pct(lat, 50), pct(lat, 99), statuses)
        for name, (rps, p50, p99, statuses) in results.items():
            print(f"{name:18s} {rps:8.0f} req/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  statuses {statuses}")
        ratio = results["agentbudget serve"][0] / results["bare starlette"][0]
        print(f"ratio (agentbudget / bare): {ratio:.2f}")
    finally:
        for proc in (ours, bare):
            proc.terminate()
            proc.wait(timeout=10)
        redis.cleanup()


if __name__ == "__main__":
    main()
