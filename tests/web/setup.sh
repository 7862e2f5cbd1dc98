#!/bin/sh
# Installs playwright-core (pinned in package.json) for the browser tests, once.
set -eu
cd "$(dirname "$0")"
[ -d node_modules/playwright-core ] || npm install --no-audit --no-fund --silent
