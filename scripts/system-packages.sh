#!/usr/bin/env bash
# The Debian packages renkei-kg uses beyond Python, installed when missing (idempotent).
#   tesseract-ocr, tesseract-ocr-script-jpan, tesseract-ocr-jpn(-vert): OCR of scanned agreements
#     (kg/ingest/document/ocr.py; the script model reads 乙, which the language model drops)
#   fonts-ipafont-mincho, fonts-ipafont-gothic: Japanese glyphs for the test documents and screenshots
#   poppler-utils: pdftoppm, to look at a PDF page as an image when debugging a reading
# Without them text, 例規集 pages, text PDFs and Word files still work; scans are refused with a
# message naming what to install. Run as root (or with sudo) on Debian/Ubuntu; elsewhere it only says
# what is missing. `bash scripts/system-packages.sh --check` lists what is missing and exits 1 if any.
set -uo pipefail
want=(tesseract-ocr tesseract-ocr-script-jpan tesseract-ocr-jpn tesseract-ocr-jpn-vert fonts-ipafont-mincho fonts-ipafont-gothic poppler-utils)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "${1:-}" = "--check" ]; then echo "missing: ${missing[*]}"; exit 1; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: not a Debian system; install ${missing[*]} (or their equivalents) for OCR of scans" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "note: run as root to install ${missing[*]} (OCR of scans); text formats work without them" >&2
    exit 0
  fi
fi
echo "== installing ${missing[*]}"
$sudo apt-get update -qq || true
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || echo "note: could not install ${missing[*]}; scans will be refused until they are" >&2
exit 0
