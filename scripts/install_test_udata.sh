#!/usr/bin/env bash
# The real data.gouv.fr software (udata), in its own virtualenv so its pins never meet ours.
# tests/test_datagouv_udata.py starts it on 127.0.0.1 (tests/udata_server.py). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${UDATA_VENV:-.venv-udata}"
UDATA_VERSION="17.18.0"
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import mongomock, importlib.metadata as m; assert m.version(\"udata\") == \"$UDATA_VERSION\"" 2>/dev/null; then
  echo "udata already installed in $VENV: $("$VENV/bin/python" -m pip show udata 2>/dev/null | sed -n "s/^Version: //p")"
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "udata==$UDATA_VERSION" "mongomock==4.3.0"
echo "udata $("$VENV/bin/python" -m pip show udata | sed -n "s/^Version: //p") installed in $VENV"
