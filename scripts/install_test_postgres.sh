#!/usr/bin/env bash
# Installs the PostgreSQL server the deployment test starts (tests/test_deploy_postgres.py):
# Debian's postgresql package, binaries only (the test runs its own throwaway cluster in a
# temporary folder; no system service is needed). Called by `make test-deps`. Idempotent.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "postgresql already installed: $(ls /usr/lib/postgresql/*/bin/postgres | head -1)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends postgresql postgresql-contrib
ls /usr/lib/postgresql/*/bin/initdb
