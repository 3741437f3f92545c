#!/usr/bin/env bash
# Installs what the real-browser report test and the terminal review test need,
# when missing: Debian chromium (+ chromium-driver), a CJK font for screenshots,
# tmux (pseudo-terminal review test), node/npm, and playwright-core (npm ci).
set -euo pipefail
cd "$(dirname "$0")"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium chromium-driver)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
fc-list 2>/dev/null | grep -qiE 'wqy|noto (sans|serif) cjk' || need+=(fonts-wqy-microhei)
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
