#!/usr/bin/env bash
# Regenerates docs/images/certificate-preview.png: the example roll built into a
# temporary database, then the first page of one certificate rendered to PNG.
# Needs honours installed (HONOURS=path/to/honours to choose one) and a CJK font
# (apt-get install fonts-arphic-ukai).
set -euo pipefail
cd "$(dirname "$0")/.."
HONOURS=${HONOURS:-honours}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
HONOURS="$HONOURS" bash examples/jinshan-2024.sh "$work/jinshan.json" >/dev/null
h() { "$HONOURS" --db "$work/jinshan.json" "$@"; }
h settings set issuer 政协上海市金山区委员会 >/dev/null
h settings set date 2024-12 >/dev/null
h certificates -o "$work/certificates.pdf" --only 马罡 \
  --preview docs/images/certificate-preview.png --force
