# One image for every role: `agentbudget serve` (default), `agentbudget worker`, `agentbudget ledger migrate`.
# Base pinned by version (not a floating tag) so a rebuild installs what was tested.
FROM python:3.11.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
COPY checks ./checks
COPY config ./config
# The postgres extra (psycopg + psycopg_pool): the compose stack's ledger is PostgreSQL.
RUN pip install --no-cache-dir --prefix=/install ".[postgres]"

FROM python:3.11.11-slim-bookworm
RUN groupadd --system agentbudget && useradd --system --gid agentbudget --home /srv agentbudget \
    && apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /srv/data && chown -R agentbudget:agentbudget /srv
COPY --from=build /install /usr/local
WORKDIR /srv
# A named volume mounted here starts as a copy of this directory: owned by the image's user, so a SQLite
# ledger (DATABASE_URL=sqlite:////srv/data/agentbudget.sqlite3) is writable without running as root.
VOLUME ["/srv/data"]
USER agentbudget
ENV PORT=8000 AGENTBUDGET_HOST=0.0.0.0 PYTHONUNBUFFERED=1
EXPOSE 8000
# /readyz fails while Redis or the ledger is unreachable, so an orchestrator stops routing deliveries here.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import os,urllib.request,sys; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"8000\")}/readyz', timeout=2)" || exit 1
ENTRYPOINT ["agentbudget"]
CMD ["serve"]
