# One image for both roles: `agentbudget serve` (default) and `agentbudget worker`.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
COPY checks ./checks
COPY config ./config
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
RUN groupadd --system agentbudget && useradd --system --gid agentbudget --home /srv agentbudget \
    && apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
COPY --from=build /install /usr/local
WORKDIR /srv
USER agentbudget
ENV PORT=8000 AGENTBUDGET_HOST=0.0.0.0 PYTHONUNBUFFERED=1
EXPOSE 8000
# /readyz fails while Redis is unreachable, so an orchestrator stops routing deliveries here.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import os,urllib.request,sys; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"8000\")}/readyz', timeout=2)" || exit 1
ENTRYPOINT ["agentbudget"]
CMD ["serve"]
