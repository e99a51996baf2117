#!/usr/bin/env bash
# Renders what a clerk prints from the example roll to PNG pictures, to look at:
# the certificates (PDF), the roll (PDF), and, where LibreOffice is installed,
# the roll and the register as DOCX and XLSX and the certificates filled into the
# bundled Word template (examples/证书模板.docx) — each converted to PDF by
# LibreOffice, as Word or Excel would print it, then to PNG by pdftoppm.
#
#   bash scripts/render_pages.sh [OUT_FOLDER]     # default: benchmarks/out/pages
#   UPDATE_DOCS=1 bash scripts/render_pages.sh    # also refresh the README's pictures
#
# Needs honours installed (HONOURS=path/to/honours to choose one), a CJK font
# (apt-get install fonts-arphic-ukai), poppler-utils (pdftoppm) and optionally
# LibreOffice (apt-get install libreoffice-writer libreoffice-calc).
set -euo pipefail
cd "$(dirname "$0")/.."
HONOURS=${HONOURS:-honours}
OUT=${1:-benchmarks/out/pages}
DPI=${DPI:-60}
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
HONOURS="$HONOURS" bash examples/jinshan-2024.sh "$work/jinshan.json" >/dev/null
h() { "$HONOURS" --db "$work/jinshan.json" "$@" >/dev/null; }

h certificates -o "$work/certificates.pdf"
h export -o "$work/roll.pdf"
h export -o "$work/roll.docx"
h export -o "$work/roll.xlsx"
h register -f docx -o "$work/register.docx"
h register -f xlsx -o "$work/register-sheet.xlsx"
h certificates --docx-template examples/证书模板.docx -o "$work/word-certificates.docx"

png() {  # png FILE.pdf NAME [LAST_PAGE]
  pdftoppm -png -r "$DPI" -f 1 -l "${3:-3}" "$1" "$OUT/$2"
}
png "$work/certificates.pdf" certificates 3
png "$work/roll.pdf" roll 3
if command -v libreoffice >/dev/null 2>&1; then
  for file in roll.docx roll.xlsx register.docx register-sheet.xlsx word-certificates.docx; do
    mkdir -p "$work/lo-${file%%.*}-${file##*.}"
    libreoffice --headless --convert-to pdf --outdir "$work/lo-${file%%.*}-${file##*.}" \
      "$work/$file" >/dev/null 2>&1
    png "$work/lo-${file%%.*}-${file##*.}/${file%.*}.pdf" "${file%%.*}-${file##*.}" 2
  done
else
  echo "LibreOffice is not installed: DOCX and XLSX pages are not rendered" >&2
fi
ls "$OUT"
if [ "${UPDATE_DOCS:-}" = 1 ]; then
  pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/roll.pdf" docs/images/roll-page
  # a person's certificate: the first page of the list of members
  "$HONOURS" --db "$work/jinshan.json" certificates -o "$work/one.pdf" --only 马罡 --force \
    >/dev/null
  pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/one.pdf" docs/images/certificate-page
  echo "updated docs/images/roll-page.png and docs/images/certificate-page.png"
fi
