#!/usr/bin/env bash
# The Debian/Ubuntu packages Glide needs outside Python, in one place.
#
#   tools/system-packages.sh          the test suite's: install what is missing with
#                                     apt-get when run as root, otherwise stop with the
#                                     one command to run (called by `make test`)
#   tools/system-packages.sh --warn   the app's own (`make run`): only warn
#   tools/system-packages.sh --bench  the app's and the benchmarks' (`make bench`),
#                                     installed as for the test suite
#
# With GLIDE_REQUIRE_SERVICES=1 (CI) the services the suite then requires are added:
# PostgreSQL and Redis, which .ci/run starts where none answers.
set -euo pipefail

has_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
has_command() { command -v "$1" >/dev/null 2>&1; }
has_file() { compgen -G "$1" >/dev/null; }

missing=()
need() {  # need PACKAGE PROBE...: PACKAGE is missing unless PROBE succeeds
    local package=$1
    shift
    "$@" || missing+=("$package")
}

# The app: WeasyPrint renders handouts with Pango, and without HarfBuzz's subsetting
# library falls back to a font subsetter about nine times slower; the handout's font.
need libpango-1.0-0 has_lib 'libpango-1.0.so.0'
need libpangoft2-1.0-0 has_lib 'libpangoft2-1.0.so.0'
need libharfbuzz-subset0 has_lib 'libharfbuzz-subset.so.0'
need fonts-dejavu-core has_file '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'

if [ "${1:-}" = "--warn" ]; then
    if [ ${#missing[@]} -gt 0 ]; then
        echo "WARNING: missing system packages: handouts may fail or render about nine times slower." >&2
        echo "Install them with: apt-get install -y ${missing[*]}" >&2
    fi
    exit 0
fi

if [ "${1:-}" = "--bench" ]; then
    # bench/throughput.py loads gunicorn with wrk.
    need wrk has_command wrk
else
    # The test suite: handouts read back as text, browser tests in a real Chromium.
    need poppler-utils has_command pdftotext
    need chromium test -x /usr/bin/chromium
    # Node and npm: npm installs axe-core, which the browser tests inject to check each
    # page, and the second FHIR validator of the tests (tools/fhir-validator) runs on Node.
    need nodejs has_command node
    need npm has_command npm
    # The catalogue's test extracts messages with GNU gettext (xgettext, msgmerge); the
    # compiled catalogues are committed, so the app itself does not need it.
    need gettext has_command xgettext
fi

if [ "${GLIDE_REQUIRE_SERVICES:-}" = "1" ]; then
    need postgresql has_file '/usr/lib/postgresql/*/bin/initdb'
    need redis-server has_command redis-server
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && has_command apt-get; then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    exit 0
fi
echo "The test suite needs system packages that are missing. Install them, then run make test again:" >&2
echo "    sudo apt-get install -y ${missing[*]}" >&2
exit 1
