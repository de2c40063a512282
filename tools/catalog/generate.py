#!/usr/bin/env python3
"""Generates the offline service catalogs (办事指南) of the regions from the
seed lists beside this file, and the golden query set. README.md is the
spec. Deterministic: every random choice comes from an RNG seeded by the
region and the thing chosen, every list is sorted, so a rerun writes the
same bytes.

    python3 generate.py                 # all regions + regions/catalog-golden.json
    python3 generate.py 330106          # one region (no golden set)
    python3 generate.py --check         # build in memory, write nothing
"""

import argparse
import hashlib
import json
import math
import os
import random
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep tools/catalog free of __pycache__

from opencc import OpenCC  # noqa: E402
from pypinyin import Style, lazy_pinyin, load_phrases_dict  # noqa: E402

import seeds_common as C  # noqa: E402
import seeds_services  # noqa: E402
import seeds_more  # noqa: E402,F401  (appends to seeds_services.SERVICES)
import seeds_events as E  # noqa: E402
import golden as G  # noqa: E402

SERVICES = seeds_services.SERVICES
FORMAT = 1
VERSION = 1
GUIDES_PER_CHUNK = 500
EN_HOTTEST = 300
HANT_SHARE = 0.30
FORM = {"id": "residence-certificate", "version": 1}

CC = OpenCC("s2t")

# Readings pypinyin's phrase data gets wrong in these names (checked by
# hand); added as phrases, so the rest of the name keeps its phrase data.
PINYIN_FIXES = {
    "还款": [["huán"], ["kuǎn"]],
    "偿还": [["cháng"], ["huán"]],
    "还房贷": [["huán"], ["fáng"], ["dài"]],
    "伯什克然木": [["bó"], ["shí"], ["kè"], ["rán"], ["mù"]],
    "献血": [["xiàn"], ["xuè"]],
    "用血": [["yòng"], ["xuè"]],
}
load_phrases_dict(PINYIN_FIXES)

# ---------------------------------------------------------------------------
# Codes
# ---------------------------------------------------------------------------
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def uscc_check(first17):
    """GB 32100-2015 check character of a unified social credit code."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    c = 31 - total % 31
    return USCC_ALPHABET[0 if c == 31 else c]


def uscc_valid(code):
    return (len(code) == 18 and all(c in USCC_ALPHABET for c in code)
            and uscc_check(code[:17]) == code[17])


def org_check(body8):
    """GB 11714-1997 check character of an organisation code (digits)."""
    total = sum(int(c) * w for c, w in zip(body8, ORG_WEIGHTS))
    c = 11 - total % 11
    return "0" if c == 11 else "X" if c == 10 else str(c)


def credit_code(region, key, organ):
    rng = random.Random(f"palmgov-catalog|uscc|{region}|{key}")
    body = f"{rng.randrange(10 ** 6):06d}"
    body = ("00" if organ.startswith("1") else f"{rng.randrange(10, 100)}") + body
    first17 = organ + region + body + org_check(body)
    return first17 + uscc_check(first17)


def main_numbers():
    """The 4-digit main item number of each base, by its code letter; the
    same in every region (one national basic catalog)."""
    rng = random.Random("palmgov-catalog|basic-codes")
    used, out = {}, []
    for b in SERVICES:
        letter = C.DEPARTMENTS[b["dept"]][0]
        taken = used.setdefault(letter, set())
        while True:
            n = rng.randrange(1, 10000)
            if n not in taken:
                taken.add(n)
                out.append(n)
                break
    return out


MAIN_NUMBERS = main_numbers()

# ---------------------------------------------------------------------------
# Texts
# ---------------------------------------------------------------------------


def tri(text):
    parts = text.split("|")
    assert len(parts) >= 3, text
    return {"zh-Hans": parts[0], "en": parts[1], "ug": parts[2]}


def labels(t, langs):
    out = {}
    for lang in langs:
        if lang == "zh-Hant":
            out[lang] = CC.convert(t["zh-Hans"])
        else:
            out[lang] = t[lang]
    return out


UG_OK = set(" -().،0123456789") | {chr(c) for c in range(0x0600, 0x0700)}


def check_ug(text):
    bad = sorted(set(text) - UG_OK)
    assert not bad, f"non-Uyghur characters {bad} in {text!r}"


def pinyin(name):
    syll = lazy_pinyin(name, style=Style.NORMAL, errors=lambda s: [c.lower() for c in s])
    assert len(syll) == len(name), (name, syll)
    assert all(s and " " not in s for s in syll), (name, syll)
    return " ".join(syll)


def paren(base, extra, lang):
    """base（a，b） in Chinese, base (a, b) in English, base (a، b) in Uyghur."""
    if not extra:
        return base
    if lang == "en":
        return f"{base} ({', '.join(extra)})"
    if lang == "ug":
        return f"{base} ({'، '.join(extra)})"
    return f"{base}（{'，'.join(extra)}）"


def sub_parse(s):
    p = s.split("|")
    return {"t": tri(s), "kw": p[3] if len(p) > 3 and p[3] else None,
            "mats": [m for m in p[4].split(",") if m] if len(p) > 4 else []}


# ---------------------------------------------------------------------------
# Service points
# ---------------------------------------------------------------------------
UG_SUFFIX = {"street": " كوچا باشقارمىسى", "town": " بازىرى", "township": " يېزىسى"}
ZH_SUFFIX = {"street": "街道", "town": "镇", "township": "乡"}


def points(region):
    r = C.REGIONS[region]
    d = tri(r["district"])
    out = []
    for zh, en, ug, kind, num in r["points"]:
        stem = {"zh-Hans": zh[: -len(ZH_SUFFIX[kind])], "en": en.rsplit(" ", 1)[0],
                "ug": ug[: -len(UG_SUFFIX[kind])]}
        if kind == "street":
            office = {"zh-Hans": f"{d['zh-Hans']}{zh}办事处", "en": f"{en} Office, {d['en']}", "ug": ug}
        else:
            level = "بازارلىق" if kind == "town" else "يېزىلىق"
            office = {"zh-Hans": f"{d['zh-Hans']}{zh}人民政府", "en": f"{en} People's Government, {d['en']}",
                      "ug": f"{stem['ug']} {level} خەلق ھۆكۈمىتى"}
        out.append({
            "num": num, "kind": kind, "name": {"zh-Hans": zh, "en": en, "ug": ug}, "stem": stem,
            "office": office, "key": f"point-{num:03d}",
            "weight": random.Random(f"{r['seed']}|point|{num}").uniform(0.5, 1.0),
        })
    return out


def unit(point, how):
    """Where a service point's variant of a service is offered: its label
    (the name suffix), its department key, and its counter."""
    s = point["stem"]
    if how == "police":
        name = {"zh-Hans": f"{s['zh-Hans']}派出所", "en": f"{s['en']} Police Station",
                "ug": f"{s['ug']} ساقچىخانىسى"}
        counter = {"zh-Hans": f"{name['zh-Hans']}户籍窗口",
                   "en": f"Household registration counter, {name['en']}",
                   "ug": f"{name['ug']} نوپۇس كۆزنىكى"}
        return name, "police", counter
    if how == "market":
        name = {"zh-Hans": f"{s['zh-Hans']}市场监管所", "en": f"{s['en']} Market Regulation Office",
                "ug": f"{s['ug']} بازار نازارەت باشقۇرۇش ئورنى"}
        counter = {"zh-Hans": f"{name['zh-Hans']}登记窗口", "en": f"Registration counter, {name['en']}",
                   "ug": f"{name['ug']} تىزىملاش كۆزنىكى"}
        return name, "market", counter
    if how == "clinic":
        if point["kind"] == "street":
            name = {"zh-Hans": f"{s['zh-Hans']}社区卫生服务中心", "en": f"{s['en']} Community Health Centre",
                    "ug": f"{s['ug']} مەھەللە سەھىيە مۇلازىمەت مەركىزى"}
        else:
            level = "بازارلىق" if point["kind"] == "town" else "يېزىلىق"
            name = {"zh-Hans": f"{point['name']['zh-Hans']}卫生院", "en": f"{s['en']} Health Centre",
                    "ug": f"{s['ug']} {level} دوختۇرخانىسى"}
        counter = {"zh-Hans": f"{name['zh-Hans']}服务台", "en": f"Front desk, {name['en']}",
                   "ug": f"{name['ug']} مۇلازىمەت سۇپىسى"}
        return name, "health", counter
    name = point["name"]
    t = tri(C.POINT_COUNTER)
    counter = {k: v.replace("{p}", name[k]).replace("{pu}", name[k]) for k, v in t.items()}
    return name, point["key"], counter


ZH_DIGITS = "〇一二三四五六七八九"


def district_counter(region, dept):
    r = C.REGIONS[region]
    center = tri(r["center"])
    floor = C.DEPARTMENTS[dept][2]
    c = tri(C.COUNTERS[dept])
    return {
        "zh-Hans": f"{center['zh-Hans']}{ZH_DIGITS[floor]}楼{c['zh-Hans']}",
        "en": f"{c['en'][0].upper()}{c['en'][1:]}, floor {floor}, {center['en']}",
        "ug": f"{center['ug']} {floor}-قەۋەت {c['ug']}",
    }


# ---------------------------------------------------------------------------
# Building a region
# ---------------------------------------------------------------------------


def base_pop(b, region):
    return b["pop_r"].get(region, b["pop"])


def offered(b, region):
    return (not b["only"] or region in b["only"]) and not (b["skip"] and region in b["skip"])


def expand(bi, b, region):
    """The district-level variants of base `bi`: dicts with names, numbers,
    popularity, keywords and materials."""
    subs = [sub_parse(s) for s in b["subs"]]
    acts = [tri(a) for a in C.ACTIONS[b["acts"]]] if b["acts"] else []
    combos = [(None, None)]
    if subs and acts:
        combos += [(i, j) for i in range(len(subs)) for j in range(len(acts))]
    else:
        combos += [(i, None) for i in range(len(subs))] + [(None, j) for j in range(len(acts))]
    base = tri(b["name"])
    top = base_pop(b, region)
    out = []
    for i, j in combos:
        extra = []
        if i is not None:
            extra.append(subs[i]["t"])
        if j is not None:
            extra.append(acts[j])
        names = {lang: paren(base[lang], [e[lang] for e in extra], lang) for lang in base}
        factor = 1.0
        if i is not None:
            factor *= 0.7 * 0.85 ** i
        if j is not None:
            factor *= C.ACTION_WEIGHTS[j]
        kw = list(b["kw"])
        mats = list(b["mats"])
        if i is not None:
            if subs[i]["kw"]:
                kw.insert(0, subs[i]["kw"])
            mats += subs[i]["mats"]
        out.append({
            "base": bi, "names": names, "sub": 0 if i is None else i + 1, "act": 0 if j is None else j + 1,
            "factor": factor, "top": top, "kw": dedupe(kw)[:4], "mats": dedupe(mats)[:8],
        })
    return out


def dedupe(items):
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def jitter(code):
    return random.Random(f"palmgov-catalog|pop|{code}").uniform(0.88, 1.06)


def build(region):
    r = C.REGIONS[region]
    langs = r["languages"]
    pts = points(region)
    division = region + "000000"

    # Departments: code, names.
    dept_names = {}
    for key, (letter, organ, floor, names) in C.DEPARTMENTS.items():
        dept_names[key] = (credit_code(region, key, organ), tri(names[region]))
    for p in pts:
        dept_names[p["key"]] = (credit_code(region, p["key"], "11"), p["office"])
    codes = [c for c, _ in dept_names.values()]
    assert len(set(codes)) == len(codes) and all(uscc_valid(c) for c in codes)

    services = []  # dicts: code, names(tri), dept key, base, pop, kw, mats, counter, level

    def add(v, b, dept, div, counter, pop, point):
        letter = C.DEPARTMENTS[b["dept"]][0]
        src = r["province"] if b["local"] else "00"
        basic = f"{src}{b['type']}{letter}{MAIN_NUMBERS[v['base']]:04d}{v['sub']:03d}000"
        assert len(basic) == 14
        kind = "1" if b["days"] == 0 else "2"
        code = f"{basic}-{div}-000-{dept_names[dept][0]}-{kind}-{v['act']:02d}"
        services.append({
            "code": code, "names": v["names"], "dept": dept, "b": b, "v": v, "counter": counter,
            "pop": pop, "point": point,
        })

    for bi, b in enumerate(SERVICES):
        if not offered(b, region):
            continue
        variants = expand(bi, b, region)
        for v in variants:
            counter = district_counter(region, b["dept"])
            top = v["top"]
            code_probe = f"{region}|{bi}|{v['sub']}|{v['act']}"
            pop = top if v["factor"] == 1.0 else min(top - 1, round(top * v["factor"] * jitter(code_probe)))
            add(v, b, b["dept"], division, counter, max(pop, 0), None)
        if b["street"]:
            for p in pts:
                if b["street"] == "rural" and p["kind"] == "street":
                    continue
                uname, udept, ucounter = unit(p, b["street"])
                div = f"{region}{p['num']:03d}000"
                for v in variants:
                    names = {}
                    for lang, text in v["names"].items():
                        if v["names"]["zh-Hans"].endswith("）"):
                            # base（sub）→ base（sub，point）
                            sep = {"en": ", ", "ug": "، "}.get(lang, "，")
                            close = "）" if lang == "zh-Hans" else ")"
                            names[lang] = text[: -len(close)] + sep + uname[lang] + close
                        else:
                            names[lang] = paren(text, [uname[lang]], lang)
                    pv = dict(v, names=names)
                    probe = f"{region}|{bi}|{v['sub']}|{v['act']}|{p['num']}"
                    pop = round(v["top"] * v["factor"] * 0.25 * p["weight"] * jitter(probe))
                    add(pv, b, udept, div, ucounter, min(pop, v["top"] - 2), p["num"])

    # Trim to the region's target: service points stop offering their
    # least-asked variants first; district services always stay.
    target = r["target"]
    if len(services) < target:
        raise SystemExit(f"{region}: only {len(services)} services, target {target}")
    point_items = sorted((s for s in services if s["point"] is not None), key=lambda s: (s["pop"], s["code"]))
    drop = {s["code"] for s in point_items[: len(services) - target]}
    services = [s for s in services if s["code"] not in drop]
    services.sort(key=lambda s: s["code"])
    all_codes = [s["code"] for s in services]
    assert len(set(all_codes)) == len(all_codes), "duplicate service codes"
    zh_names = [s["names"]["zh-Hans"] for s in services]
    dup = {n for n in zh_names if zh_names.count(n) > 1} if len(set(zh_names)) != len(zh_names) else set()
    assert not dup, f"duplicate names {sorted(dup)[:5]}"

    # Which languages each service publishes.
    hottest = {s["code"] for s in sorted(services, key=lambda s: (-s["pop"], s["code"]))[:EN_HOTTEST]}
    hant = set()
    if "zh-Hant" in langs:
        rng = random.Random(f"{r['seed']}|zh-Hant")
        hant = {all_codes[i] for i in rng.sample(range(len(all_codes)), round(HANT_SHARE * len(all_codes)))}

    # Departments and categories in use, in seed order.
    used_depts = [k for k in list(C.DEPARTMENTS) + [p["key"] for p in pts] if any(s["dept"] == k for s in services)]
    dept_index = {k: i for i, k in enumerate(used_depts)}
    used_cats = [c for c, _ in C.CATEGORIES if any(s["b"]["cat"] == c for s in services)]

    # Guides, chunked in code order.
    n_chunks = math.ceil(len(services) / GUIDES_PER_CHUNK)
    bounds = [len(services) * i // n_chunks for i in range(n_chunks + 1)]
    guide_chunks, chunk_of = [], {}
    for ci in range(n_chunks):
        part = services[bounds[ci]: bounds[ci + 1]]
        guides = []
        for s in part:
            chunk_of[s["code"]] = ci + 1
            guides.append(guide(s, langs))
        guide_chunks.append((part[0]["code"], part[-1]["code"], {"guides": guides}))

    # Index.
    entries = []
    for s in services:
        names = {"zh-Hans": s["names"]["zh-Hans"]}
        if "ug" in langs:
            names["ug"] = s["names"]["ug"]
            check_ug(names["ug"])
        if "en" in langs and s["code"] in hottest:
            names["en"] = s["names"]["en"]
        if s["code"] in hant:
            names["zh-Hant"] = CC.convert(s["names"]["zh-Hans"])
        entries.append({
            "code": s["code"], "names": dict(sorted(names.items())), "pinyin": pinyin(names["zh-Hans"]),
            "department": dept_index[s["dept"]], "category": s["b"]["cat"], "keywords": s["v"]["kw"],
            "popularity": s["pop"], "guide": chunk_of[s["code"]],
        })
    by_name = {}
    for s in services:
        if s["point"] is None and s["v"]["sub"] == 0 and s["v"]["act"] == 0:
            by_name[s["b"]["key"]] = s["code"]
    life_events = []
    for eid, text, members in E.LIFE_EVENTS:
        codes = [by_name[m] for m in members if m in by_name]
        if len(codes) >= 3:
            life_events.append({"id": eid, "names": labels(tri(text), langs), "services": codes})
    synonyms = [{"word": w, "terms": t} for w, t in E.SYNONYMS + E.REGION_SYNONYMS.get(region, [])]
    synonyms = region_synonyms(region, synonyms, services)
    index = {
        "departments": [{"code": dept_names[k][0], "names": labels(dept_names[k][1], langs)} for k in used_depts],
        "categories": [{"id": c, "names": labels(tri(t), langs)} for c, t in C.CATEGORIES if c in used_cats],
        "services": entries,
        "life_events": life_events,
        "synonyms": synonyms,
        "traditional": traditional(services, synonyms),
    }
    for d in index["departments"] + index["categories"] + index["life_events"]:
        if "ug" in d["names"]:
            check_ug(d["names"]["ug"])
    return {"region": region, "langs": langs, "index": index, "guides": guide_chunks, "services": services}


def guide(s, langs):
    b = s["b"]
    mats = []
    for key in s["v"]["mats"]:
        text, flags, licence = C.MATERIALS[key]
        m = {"names": labels(tri(text), langs)}
        if "ug" in m["names"]:
            check_ug(m["names"]["ug"])
        if licence:
            m["licence"] = licence
        m["form"] = "f" in flags
        m["photo"] = "p" in flags
        m["original"] = "o" in flags
        digits = [c for c in flags if c.isdigit()]
        m["copies"] = int(digits[0]) if digits else 1
        mats.append(m)
    channels = [c for c, letter in (("online", "o"), ("counter", "c"), ("grid_worker", "g")) if letter in b["ch"]]
    if s["point"] is not None and "counter" not in channels:
        channels.append("counter")
    g = {"code": s["code"], "materials": mats, "time_limit_days": b["days"], "fee_fen": b["fee"], "channels": channels}
    if "counter" in channels:
        g["counter"] = labels(s["counter"], langs)
    if b["form"]:
        g["form"] = dict(FORM)
    return g


def region_synonyms(region, synonyms, services):
    """The synonyms whose terms occur in this region's names or keywords
    (terms that match nothing are dropped, and words left with none)."""
    texts = set()
    for s in services:
        texts.add(s["names"]["zh-Hans"])
        if "ug" in C.REGIONS[region]["languages"]:
            texts.add(s["names"]["ug"])
        texts.update(s["v"]["kw"])
    blob = "\n".join(sorted(texts))
    out = []
    for syn in synonyms:
        terms = [t for t in syn["terms"] if t in blob]
        if terms:
            entry = {"word": syn["word"], "terms": terms}
            # A Chinese everyday word's reading, so `sbk` finds 社保卡's terms.
            if any("\u4e00" <= c <= "\u9fff" for c in syn["word"]):
                entry["pinyin"] = pinyin(syn["word"])
            out.append(entry)
    return out


def traditional(services, synonyms):
    """Traditional→Simplified pairs for every Simplified character in the
    names, keywords and synonyms, per character and from whole names."""
    texts = set()
    for s in services:
        texts.add(s["names"]["zh-Hans"])
        texts.update(s["v"]["kw"])
    for syn in synonyms:
        texts.add(syn["word"])
        texts.update(syn["terms"])
    pairs = set()
    for text in sorted(texts):
        for ch in set(text):
            t = CC.convert(ch)
            if len(t) == 1 and t != ch:
                pairs.add((t, ch))
        whole = CC.convert(text)
        if len(whole) == len(text):
            for t, ch in zip(whole, text):
                if t != ch:
                    pairs.add((t, ch))
    return "".join(t + s for t, s in sorted(pairs))


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def compact(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def chunk(kind, obj, first=None, last=None):
    raw = compact(obj)
    data = zlib.compress(raw, 9)
    ref = {"kind": kind, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "raw_bytes": len(raw)}
    if first is not None:
        ref["first"] = first
        ref["last"] = last
    return ref, data


def publish(built, write=True):
    region = built["region"]
    refs, blobs = [], []
    guide_refs = []
    for first, last, obj in built["guides"]:
        ref, data = chunk("guides", obj, first, last)
        guide_refs.append((ref, data))
    ref, data = chunk("index", built["index"])
    refs = [ref] + [r for r, _ in guide_refs]
    blobs = [data] + [d for _, d in guide_refs]
    manifest = {"format": FORMAT, "region_code": region, "version": VERSION, "languages": built["langs"],
                "chunks": refs}
    mbytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    out = os.path.join(ROOT, "regions", region, "catalog")
    if write:
        cdir = os.path.join(out, "chunks")
        os.makedirs(cdir, exist_ok=True)
        keep = {r["sha256"] + ".zlib" for r in refs}
        for name in os.listdir(cdir):
            if name not in keep:
                os.remove(os.path.join(cdir, name))
        for r, d in zip(refs, blobs):
            with open(os.path.join(cdir, r["sha256"] + ".zlib"), "wb") as f:
                f.write(d)
        with open(os.path.join(out, "manifest.json"), "wb") as f:
            f.write(mbytes)
    compressed = len(mbytes) + sum(len(d) for d in blobs)
    raw = len(mbytes) + sum(r["raw_bytes"] for r in refs)
    idx = built["index"]
    print(f"{region}: {len(idx['services'])} services, {len(idx['departments'])} departments, "
          f"{len(idx['life_events'])} life events, {len(idx['synonyms'])} synonyms, "
          f"{len(idx['traditional']) // 2} traditional pairs, {len(refs) - 1} guide chunks; "
          f"catalog dir {compressed:,} bytes (raw JSON {raw:,} bytes)")
    assert compressed <= 1_000_000, f"{region}: catalog is {compressed} bytes, over 1,000,000"
    return compressed


def self_test():
    for word, reading in (("银行", "yin hang"), ("重庆", "chong qing"), ("长期居住", "chang qi ju zhu"),
                          ("还款", "huan kuan"), ("户口迁移（夫妻投靠）", "hu kou qian yi （ fu qi tou kao ）")):
        assert pinyin(word) == reading, (word, pinyin(word))
    assert uscc_valid("115113010833722043")  # the example in GB/T 39554.1 style codes
    assert CC.convert("户口迁移") == "戶口遷移"


def main():
    self_test()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("regions", nargs="*", default=sorted(C.REGIONS))
    ap.add_argument("--check", action="store_true", help="build and check, write nothing")
    args = ap.parse_args()
    built = {}
    for region in args.regions:
        if region not in C.REGIONS:
            raise SystemExit(f"unknown region {region}")
        built[region] = build(region)
        publish(built[region], write=not args.check)
    if set(built) == set(C.REGIONS):
        golden = G.resolve({r: b["index"] for r, b in built.items()})
        path = os.path.join(ROOT, "regions", "catalog-golden.json")
        text = json.dumps(golden, ensure_ascii=False, indent=1) + "\n"
        if not args.check:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        kinds = {}
        for g in golden:
            kinds[g["kind"]] = kinds.get(g["kind"], 0) + 1
        print(f"golden: {len(golden)} queries " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))


if __name__ == "__main__":
    main()
