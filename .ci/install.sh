#!/usr/bin/env bash
# Install everything a fresh machine lacks: Debian's Chromium and CJK fonts, and the Python packages.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
