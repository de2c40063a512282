#!/usr/bin/env python3
"""Checks the published catalogs in regions/<code>/catalog against the
format in README.md, independently of generate.py (standard library only):
the shapes the core accepts (no unknown keys), hashes and sizes, sorted
unique codes, GB 32100 credit codes, pinyin lengths, references, names
in every language, and the golden set's codes.

    python3 tools/catalog/check.py [region ...]
"""

import hashlib
import json
import os
import re
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REGIONS = ["330106", "440106", "653101"]
LICENCES = {"id_card", "household_register", "driving_licence", "residence_permit", "social_security_card",
            "business_licence"}
CHANNELS = {"online", "counter", "grid_worker"}
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
CODE = re.compile(r"^[0-9]{2}[1-7][A-Z][0-9]{4}[0-9]{3}000-([0-9]{12})-([0-9]{3})-([0-9A-Z]{18})-([12])-([0-9]{2})$")


def uscc_ok(c):
    if len(c) != 18 or any(x not in ALPHABET for x in c):
        return False
    k = 31 - sum(ALPHABET.index(x) * w for x, w in zip(c, WEIGHTS)) % 31
    return ALPHABET[0 if k == 31 else k] == c[17]


def keys(obj, allowed, required, where):
    assert isinstance(obj, dict), where
    extra = set(obj) - set(allowed)
    assert not extra, f"{where}: unknown keys {extra}"
    missing = set(required) - set(obj)
    assert not missing, f"{where}: missing {missing}"


def names_ok(names, langs, where):
    assert isinstance(names, dict) and all(isinstance(v, str) and v and "\n" not in v for v in names.values()), where
    missing = set(langs) - set(names)
    assert not missing, f"{where}: no names in {missing}"


def check(region):
    base = os.path.join(ROOT, "regions", region, "catalog")
    with open(os.path.join(base, "manifest.json"), "rb") as f:
        mbytes = f.read()
    m = json.loads(mbytes)
    keys(m, ["format", "region_code", "version", "languages", "chunks"],
         ["format", "region_code", "version", "languages", "chunks"], "manifest")
    assert m["format"] == 1 and m["region_code"] == region
    langs = m["languages"]
    chunks = m["chunks"]
    assert chunks[0]["kind"] == "index" and all(c["kind"] == "guides" for c in chunks[1:])
    files = sorted(os.listdir(os.path.join(base, "chunks")))
    assert files == sorted(c["sha256"] + ".zlib" for c in chunks), "chunks/ holds other files"
    assert sorted(os.listdir(base)) == ["chunks", "manifest.json"]
    raw = []
    total = len(mbytes)
    for i, c in enumerate(chunks):
        keys(c, ["kind", "sha256", "bytes", "raw_bytes", "first", "last"], ["kind", "sha256", "bytes", "raw_bytes"],
             f"chunk {i}")
        with open(os.path.join(base, "chunks", c["sha256"] + ".zlib"), "rb") as f:
            data = f.read()
        total += len(data)
        assert hashlib.sha256(data).hexdigest() == c["sha256"] and len(data) == c["bytes"]
        r = zlib.decompress(data)
        assert len(r) == c["raw_bytes"]
        assert r == json.dumps(json.loads(r), ensure_ascii=False, separators=(",", ":")).encode()
        raw.append(json.loads(r))
    idx = raw[0]
    keys(idx, ["departments", "categories", "services", "life_events", "synonyms", "traditional"],
         ["departments", "categories", "services", "life_events", "synonyms", "traditional"], "index")
    for d in idx["departments"]:
        keys(d, ["code", "names"], ["code", "names"], "department")
        assert uscc_ok(d["code"]), d["code"]
        names_ok(d["names"], langs, d["code"])
    depts = [d["code"] for d in idx["departments"]]
    assert len(set(depts)) == len(depts)
    cats = set()
    for c in idx["categories"]:
        keys(c, ["id", "names"], ["id", "names"], "category")
        names_ok(c["names"], langs, c["id"])
        cats.add(c["id"])
    services = idx["services"]
    codes = [s["code"] for s in services]
    assert codes == sorted(codes) and len(set(codes)) == len(codes), "codes not sorted and unique"
    must = ["zh-Hans"] + (["ug"] if "ug" in langs else [])
    zh_names = set()
    for s in services:
        keys(s, ["code", "names", "pinyin", "department", "category", "keywords", "popularity", "guide"],
             ["code", "names", "pinyin", "department", "category", "keywords", "popularity", "guide"], s["code"])
        mt = CODE.match(s["code"])
        assert mt, s["code"]
        div, _, credit, _, _ = mt.groups()
        assert div.startswith(region) and uscc_ok(credit) and credit == depts[s["department"]], s["code"]
        names_ok(s["names"], must, s["code"])
        assert set(s["names"]) <= set(langs), s["code"]
        zh = s["names"]["zh-Hans"]
        assert zh not in zh_names, f"duplicate name {zh}"
        zh_names.add(zh)
        py = s["pinyin"].split(" ")
        assert len(py) == len(zh) and all(py), (zh, s["pinyin"])
        assert s["category"] in cats and 1 <= len(s["keywords"]) <= 4 and all(s["keywords"])
        assert isinstance(s["popularity"], int) and 0 <= s["popularity"] <= 1000
        assert 1 <= s["guide"] < len(chunks)
        g = chunks[s["guide"]]
        assert g["first"] <= s["code"] <= g["last"]
    for e in idx["life_events"]:
        keys(e, ["id", "names", "services"], ["id", "names", "services"], "life event")
        names_ok(e["names"], langs, e["id"])
        assert 3 <= len(e["services"]) <= 10 and all(c in set(codes) for c in e["services"]), e["id"]
    for w in idx["synonyms"]:
        keys(w, ["word", "terms", "pinyin"], ["word", "terms"], "synonym")
        assert "pinyin" not in w or len(w["pinyin"].split(" ")) == len(w["word"]), w
        assert w["word"] and w["terms"] and all(w["terms"])
    t = idx["traditional"]
    pairs = [t[i:i + 2] for i in range(0, len(t), 2)]
    assert len(t) % 2 == 0 and pairs == sorted(set(pairs)) and all(p[0] != p[1] for p in pairs)
    guides = []
    for i, g in enumerate(raw[1:], 1):
        keys(g, ["guides"], ["guides"], f"guides {i}")
        gc = [x["code"] for x in g["guides"]]
        assert gc and gc[0] == chunks[i]["first"] and gc[-1] == chunks[i]["last"]
        guides += g["guides"]
    assert [g["code"] for g in guides] == codes
    forms = 0
    for g in guides:
        keys(g, ["code", "materials", "time_limit_days", "fee_fen", "channels", "counter", "form"],
             ["code", "materials", "time_limit_days", "fee_fen", "channels"], g["code"])
        assert 1 <= len(g["materials"]) <= 8
        for mat in g["materials"]:
            keys(mat, ["names", "licence", "form", "photo", "original", "copies"], ["names"], g["code"])
            names_ok(mat["names"], langs, g["code"])
            assert mat.get("licence", "id_card") in LICENCES
            assert all(isinstance(mat.get(k, False), bool) for k in ("form", "photo", "original"))
        assert g["channels"] and set(g["channels"]) <= CHANNELS
        assert isinstance(g["fee_fen"], int) and g["fee_fen"] >= 0 and isinstance(g["time_limit_days"], int)
        if "counter" in g:
            names_ok(g["counter"], langs, g["code"])
        if "form" in g:
            keys(g["form"], ["id", "version"], ["id", "version"], g["code"])
            forms += 1
    raw_total = len(mbytes) + sum(c["raw_bytes"] for c in chunks)
    published = {lang: sum(lang in s["names"] for s in services) for lang in langs}
    print(f"{region}: ok — {len(services)} services, {forms} with a form, names {published}; "
          f"{total:,} bytes on disk, {raw_total:,} bytes of JSON")
    assert total <= 1_000_000
    return set(codes)


def main():
    regions = sys.argv[1:] or REGIONS
    codes = {r: check(r) for r in regions}
    if set(regions) == set(REGIONS):
        with open(os.path.join(ROOT, "regions", "catalog-golden.json"), encoding="utf-8") as f:
            golden = json.load(f)
        for q in golden:
            keys(q, ["region", "lang", "query", "kind", "expect", "why"],
                 ["region", "lang", "query", "kind", "expect", "why"], q["query"])
            assert q["expect"] in codes[q["region"]], q
        print(f"golden: ok — {len(golden)} queries")


if __name__ == "__main__":
    main()
