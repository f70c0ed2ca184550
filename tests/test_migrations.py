"""The ledger's schema: versions, migrations applied once by one command or at worker start, concurrent
migrations, databases from before versions, and readers that never create anything (a SELECT-only role)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import UTC, datetime

import httpx
import psycopg
import pytest

from app.budget import LedgerUnavailable, open_ledger, open_reader
from app.budget.database import connect
from app.budget.events import Events, ReviewDecision
from app.budget.migrations import LATEST, MIGRATIONS, schema_version
from app.cli import main
from app.settings import Settings
from app.web import create_app
from tests.conftest import SECRET
from tests.postgres_server import PostgresServer
from tests.servers import serve_asgi
from tests.test_ledger import usage


def tables(database_url: str) -> set[str]:
    db = connect(database_url)
    try:
        if db.dialect == "sqlite":
            rows = db.select("SELECT name FROM sqlite_master WHERE type = 'table'")
        else:
            rows = db.select("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public'")
        return {r[0] for r in rows}
    finally:
        db.close()


def test_migrate_applies_each_version_once(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", "migrate", "--database-url", database_url]) == 0
    assert f"applied {', '.join(str(m.version) for m in MIGRATIONS)}" in capsys.readouterr().out
    assert main(["ledger", "migrate", "--database-url", database_url]) == 0
    assert "nothing to apply" in capsys.readouterr().out
    db = connect(database_url)
    try:
        assert schema_version(db) == LATEST
        assert [r[0] for r in db.select("SELECT version FROM schema_version ORDER BY version")] == [
            m.version for m in MIGRATIONS
        ]
    finally:
        db.close()


def test_processes_migrating_an_empty_database_at_once_all_succeed(database_url: str) -> None:
    command = [sys.executable, "-m", "app.cli", "ledger", "migrate", "--database-url", database_url]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    results = [(p.wait(60), *(s.decode() for s in p.communicate())) for p in procs]
    assert [code for code, _, _ in results] == [0, 0, 0, 0], results
    outs = [out for _, out, _ in results]
    assert sum("applied 1, 2" in out for out in outs) == 1, outs  # the others waited, found nothing to do
    assert sum("nothing to apply" in out for out in outs) == 3, outs


def test_a_ledger_from_before_versions_is_adopted_and_upgraded(database_url: str) -> None:
    db = connect(database_url)
    try:
        for statement in MIGRATIONS[0].statements:  # what the ledger created before it had versions
            db.execute(statement)
    finally:
        db.close()
    with pytest.raises(LedgerUnavailable, match="ledger migrate"):
        open_reader(database_url)  # a reader says what to do, and changes nothing
    assert "schema_version" not in tables(database_url)
    ledger = open_ledger(database_url)  # a worker starting: migrates
    assert ledger.record_usage(usage("r1"))
    ledger.close()
    reader = open_reader(database_url)
    try:
        assert [r.request_id for r in reader.usage_records()] == ["r1"]
    finally:
        reader.close()


def test_a_reader_on_an_empty_database_creates_nothing(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        with pytest.raises(FileNotFoundError):
            open_reader(database_url)
        return
    with pytest.raises(LedgerUnavailable, match="has no schema"):
        open_reader(database_url)
    assert tables(database_url) == set()


def select_only_role(server: PostgresServer, database_url: str) -> tuple[str, str]:
    """A role that may connect and SELECT, nothing else (no CREATE on the schema, no INSERT)."""
    role = f"reader_{uuid.uuid4().hex[:8]}"
    name = database_url.rsplit("/", 1)[1]
    server.sql(f"CREATE ROLE {role} LOGIN")
    server.sql(f'GRANT CONNECT ON DATABASE "{name}" TO {role}')
    server.sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC", name)
    server.sql(f"GRANT USAGE ON SCHEMA public TO {role}", name)
    server.sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}", name)
    return role, server.url(name, user=role)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_report_dashboard_and_readyz_work_with_a_select_only_role(
    database_url: str, redis_url: str, capsys: pytest.CaptureFixture[str], postgres_server: PostgresServer
) -> None:
    ledger = open_ledger(database_url)
    at = datetime.now(UTC)
    ledger.record_usage(usage("r1", at=at))
    Events(ledger).record_review_decision(
        ReviewDecision("d1", "acme", "api", 7, "a" * 40, "octocat", "opened", "run", (), ("evidence",), at)
    )
    ledger.close()
    role, reader_url = select_only_role(postgres_server, database_url)
    try:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            open_ledger(reader_url)  # this role may not migrate (or write) …
        month = at.strftime("%Y-%m")
        assert main(["report", "--period", month, "--format", "json", "--database-url", reader_url]) == 0
        assert '"reviews": 1' in capsys.readouterr().out  # … but reads everything
        settings = Settings(webhook_secret=SECRET, redis_url=redis_url, database_url=reader_url,
                            metrics_token="t0ken")  # fmt: skip
        with serve_asgi(create_app(settings)) as base, httpx.Client(base_url=base) as client:
            assert client.get("/readyz").json() == {"ok": True, "redis": "ok", "ledger": "ok"}
            page = client.get(f"/dashboard?month={month}", headers={"Authorization": "Bearer t0ken"})
            assert page.status_code == 200 and "acme/api#7" in page.text
    finally:
        postgres_server.drop_database(database_url)
        postgres_server.sql(f"DROP ROLE {role}")
