#!/usr/bin/env bash
# The project's test command (README, .ci/run): sets up what the tests need and runs them.
# As root with apt, installs the real parts the tests drive: LibreOffice (oracle for Word numbering,
# conversions). Without root the tests that need them are skipped with a reason.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer-nogui)
# DejaVu Serif: the font the PDF reader tests print their постановление in (line breaks depend on it)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || need_apt+=(fonts-dejavu-core)
# PostgreSQL server binaries (initdb, pg_ctl): the registry tests start a throwaway cluster with them
command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_apt+=(postgresql)
# the opinion's PDF pages: Liberation fonts (metrics of Times New Roman) and pdftoppm to look at them
[ -f /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || need_apt+=(fonts-liberation)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
# headless Chromium and its driver: the web application's browser tests (tests/test_web_browser.py)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
if [ ${#need_apt[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
