#!/usr/bin/env bash
# Install everything the tests need, run the whole suite, leave nothing running.
#   - a virtualenv in .venv with the project and its test extras
#   - redis-server from Debian's packages when absent (the tests start their own on a free loopback
#     port and stop it; a service the package install may have started is stopped again)
#   - chromium from Debian's packages when absent (the dashboard tests)
#   - postgresql from Debian's packages when absent (the tests initdb their own cluster on a free loopback
#     port and stop it; the cluster the package install starts is stopped again)
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test,postgres]"

if ! command -v redis-server >/dev/null 2>&1; then
  running_before=$(pgrep -x redis-server || true)
  as_root=""
  [ "$(id -u)" -eq 0 ] || as_root="sudo"
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  started=$(pgrep -x redis-server || true)
  if [ -n "$started" ] && [ -z "$running_before" ]; then
    $as_root service redis-server stop >/dev/null 2>&1 || $as_root pkill -x redis-server || true
  fi
fi

# The dashboard tests drive Debian's chromium through Playwright (executable_path); Playwright never
# downloads a browser of its own here.
if ! command -v chromium >/dev/null 2>&1; then
  as_root=""
  [ "$(id -u)" -eq 0 ] || as_root="sudo"
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# Debian keeps initdb and pg_ctl in /usr/lib/postgresql/VERSION/bin; tests/postgres_server.py finds them.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  as_root=""
  [ "$(id -u)" -eq 0 ] || as_root="sudo"
  running_before=$(pgrep -x postgres || true)
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  started=$(pgrep -x postgres || true)
  if [ -n "$started" ] && [ -z "$running_before" ]; then
    $as_root service postgresql stop >/dev/null 2>&1 || $as_root pg_ctlcluster --mode fast "$(ls /usr/lib/postgresql | sort -n | tail -1)" main stop || true
  fi
fi

exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
