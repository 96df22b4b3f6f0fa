#!/usr/bin/env bash
# Installs the pinned npm packages the client tests drive (package-lock.json) with the node and npm on the PATH.
# Run by the build (generate-test-resources); a no-op while node_modules matches the lock file.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ERROR: the client tests (routes/src/test/js) need Node.js 20 or later and npm on the PATH." >&2
  echo "       Install them (Debian/Ubuntu: apt-get install nodejs npm), or build without tests: mvn -DskipTests" >&2
  exit 1
fi
stamp=node_modules/.taas-package-lock.sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "npm packages of routes/src/test/js are up to date (node $(node --version))"
  exit 0
fi
echo "Installing the npm packages of routes/src/test/js (npm ci, node $(node --version))"
npm ci --no-audit --no-fund --loglevel=error
echo "$wanted" > "$stamp"
