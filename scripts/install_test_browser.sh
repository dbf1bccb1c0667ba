#!/usr/bin/env bash
# Installs the headless browser the landing-page test drives (tests/test_release_landing.py).
# Debian's chromium package; called by .ci/run before the tests. Idempotent.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || true)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
# fonts-dejavu-core: text in screenshots renders with a real font instead of boxes.
$SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
/usr/bin/chromium --version
