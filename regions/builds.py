#!/usr/bin/env python3
"""The per-region app builds, checked and staged. See regions/README.md.

    builds.py check [--platform android|ios|all] [CODE...]
        Checks each region's build.json, its icons, and that the Android and
        iOS projects build exactly the regions under regions/ with the same
        settings. No argument: every region, both platforms.
    builds.py stage CODE android|ios
        Copies the region's signed profile, trust list, service catalog
        (the catalog/ folder: manifest.json and chunks/) and pinned root keys
        into the platform build's asset place (and, for iOS, the app icon and
        the localised app names), replacing what was there.
    builds.py verify-staged CODE android|ios
        Fails when the staged signed files or catalog files are missing or
        differ from the ones in regions/CODE, or the staged catalog has a
        file the region's has not (the iOS build's pre-build phase; the
        Android build has the same check in Gradle).
    builds.py list
        Prints the region codes, one a line.
    builds.py get CODE KEY[.KEY...]
        Prints one build.json value (for scripts/build-region).
    builds.py placeholder-icons CODE RRGGBB
        Writes plain placeholder icons (a white disc on a colour) for a new
        region; replace them with the region's own before a store release.

Names shared with the projects: region CODE is the Android product flavor
`regionCODE` and the iOS target `RegionCODE`; the app finds the bundled
files as `region/<file>` in the Android assets and at the root of the iOS
bundle, the catalog as `region/catalog/...` and the folder `catalog/` in the
bundle. Only the standard library is used, except PyYAML for project.yml.
"""

import json
import plistlib
import re
import shutil
import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "regions"
ANDROID_APP = ROOT / "android" / "app"
IOS_APP = ROOT / "ios" / "App"

KEYS = {
    "region_code", "app_id", "names", "languages", "default_language",
    "redirect", "signing", "root_keys", "version",
}
# Written by `palmgov region sign` (the profile) and the region's tooling.
SIGNED_FILES = ("profile.json", "trust-list.json")
# The service catalog (docs/catalog.md): manifest.json and chunks/<sha256>.zlib,
# published by the region's tooling (tools/catalog/) and pinned by the
# profile's catalog.manifest_sha256. The whole folder is bundled, as it is.
CATALOG_DIR = "catalog"
# The pinned root keys travel under this name whatever build.json calls them.
ROOT_KEYS_NAME = "profile-root.json"

# The languages a region may offer: BCP 47 tag -> (the Android resource
# qualifier the app's names are generated under, the `resConfigs` kept
# for it, the iOS Info.plist flag). Adding one: a line here, a line in
# android/app/build.gradle.kts (androidLocales) unless it is a plain ISO
# 639 code, and a `#if` block in ios/App/Info.plist.
LANGUAGES = {
    "zh-Hans": ("b+zh+Hans", ["zh-rCN", "b+zh+Hans"], "PALMGOV_LANG_ZH_HANS"),
    "zh-Hant": ("b+zh+Hant", ["b+zh+Hant", "zh-rTW", "zh-rHK"], "PALMGOV_LANG_ZH_HANT"),
    "ug": ("ug", ["ug"], "PALMGOV_LANG_UG"),
    "en": ("en", ["en"], "PALMGOV_LANG_EN"),
}

ANDROID_ICONS = {"mdpi": 48, "hdpi": 72, "xhdpi": 96, "xxhdpi": 144, "xxxhdpi": 192}
IOS_ICON = ("ios/icon-1024.png", 1024)


class Problems:
    def __init__(self):
        self.items = []

    def __call__(self, where, message):
        self.items.append(f"{where}: {message}")


def region_codes():
    """The regions: the folders under regions/ named by a 6-digit GB/T 2260
    code (the flavor and target lists; regions/keys/ and the like are not
    regions). android/app/build.gradle.kts uses the same rule."""
    return sorted(p.name for p in REGIONS.iterdir() if p.is_dir() and re.fullmatch(r"\d{6}", p.name))


def load(code):
    return json.loads((REGIONS / code / "build.json").read_text(encoding="utf-8"))


def redirect_kind(build):
    r = build["redirect"]
    return ("scheme", r["scheme"]) if "scheme" in r else ("app_link_domain", r["app_link_domain"])


# --- build.json ---------------------------------------------------------------

APP_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+$")  # RFC 8252 7.1: reverse domain
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
ENV = re.compile(r"^[A-Z][A-Z0-9_]*$")
VERSION = re.compile(r"^\d+\.\d+\.\d+$")
# Characters that Android string resources, xcconfig files or .strings
# files would read as markup or escapes.
UNSAFE_NAME = re.compile(r"""[<>&"'\\$@?;\n\r\t]|//""")


def check_build(code, p):
    where = f"regions/{code}/build.json"
    path = REGIONS / code / "build.json"
    if not path.is_file():
        p(f"regions/{code}", "has no build.json (every folder under regions/ named by a 6-digit code is a region)")
        return None
    try:
        b = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        p(where, f"not JSON: {e}")
        return None
    if not isinstance(b, dict) or set(b) != KEYS:
        have = set(b) if isinstance(b, dict) else set()
        p(where, f"keys must be exactly {sorted(KEYS)}; missing {sorted(KEYS - have)}, unknown {sorted(have - KEYS)}")
        return None
    if b["region_code"] != code:
        p(where, f"region_code {b['region_code']!r} must be the folder's name")
    if not isinstance(b["app_id"], str) or not APP_ID.match(b["app_id"]):
        p(where, f"app_id {b['app_id']!r} is not a valid lower-case application id")
    langs = b["languages"]
    if not isinstance(langs, list) or not langs or len(set(langs)) != len(langs):
        p(where, "languages must be a non-empty list without repeats")
        langs = []
    for lang in langs:
        if lang not in LANGUAGES:
            p(where, f"language {lang!r} is not one the builds know ({', '.join(LANGUAGES)}): see LANGUAGES in regions/builds.py")
    if b["default_language"] not in langs:
        p(where, f"default_language {b['default_language']!r} is not among the languages {langs}")
    names = b["names"]
    if not isinstance(names, dict):
        p(where, "names must map a language to the app's name")
    else:
        wanted = set(langs) | {"en"}
        if set(names) != wanted:
            p(where, f"names must be given for exactly the languages offered and en: {sorted(wanted)}, got {sorted(names)}")
        for lang, name in names.items():
            if not isinstance(name, str) or not name.strip() or name != name.strip() or len(name) > 30:
                p(where, f"name for {lang} must be 1 to 30 characters without surrounding spaces")
            elif UNSAFE_NAME.search(name):
                p(where, f"name for {lang} {name!r} has a character the resource files would escape or read as markup")
    r = b["redirect"]
    if not isinstance(r, dict) or len(r) != 1 or not ({"scheme"} == set(r) or {"app_link_domain"} == set(r)):
        p(where, 'redirect must be {"scheme": ...} or {"app_link_domain": ...}')
    elif "scheme" in r and not SCHEME.match(r["scheme"] or ""):
        p(where, f"redirect scheme {r['scheme']!r} must be a lower-case reverse-domain scheme (RFC 8252)")
    elif "app_link_domain" in r and not HOST.match(r["app_link_domain"] or ""):
        p(where, f"app_link_domain {r['app_link_domain']!r} is not a lower-case host name")
    s = b["signing"]
    if not isinstance(s, dict) or set(s) != {"android_keystore_env", "ios_team_env"}:
        p(where, "signing must have exactly android_keystore_env and ios_team_env")
    else:
        for k, v in s.items():
            if not isinstance(v, str) or not ENV.match(v):
                p(where, f"signing.{k} {v!r} must name an environment variable (upper case)")
    rk = b["root_keys"]
    if not isinstance(rk, str) or "/" in rk or "\\" in rk or not rk.endswith(".json") or rk in SIGNED_FILES:
        p(where, f"root_keys {rk!r} must name a .json file in the region's folder")
    v = b["version"]
    if (not isinstance(v, dict) or set(v) != {"name", "code"} or not isinstance(v["name"], str)
            or not VERSION.match(v["name"]) or not isinstance(v["code"], int) or isinstance(v["code"], bool)
            or not 1 <= v["code"] <= 2_100_000_000):
        p(where, 'version must be {"name": "X.Y.Z", "code": 1..2100000000}')
    if not (REGIONS / code / "README.md").is_file():
        p(f"regions/{code}", "has no README.md")
    return b


def png_info(path):
    """(width, height, colour type, has tRNS) of a PNG, or None."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    w, h, _depth, ctype = struct.unpack(">IIBB", data[16:26])
    return w, h, ctype, b"tRNS" in data


def check_icons(code, p):
    icons = REGIONS / code / "icons"
    for density, size in ANDROID_ICONS.items():
        f = icons / "android" / f"mipmap-{density}" / "ic_launcher.png"
        info = png_info(f) if f.is_file() else None
        if not info or info[:2] != (size, size):
            p(f"regions/{code}/icons", f"needs android/mipmap-{density}/ic_launcher.png, a {size}x{size} PNG")
    rel, size = IOS_ICON
    f = icons / rel
    info = png_info(f) if f.is_file() else None
    if not info or info[:2] != (size, size):
        p(f"regions/{code}/icons", f"needs {rel}, a {size}x{size} PNG")
    elif info[2] in (4, 6) or info[3]:
        p(f"regions/{code}/icons/{rel}", "must have no transparency (the App Store refuses it)")


def check_across(builds, p):
    seen = {}
    for code, b in builds.items():
        kind, value = redirect_kind(b)
        for what, value in (("app_id", b["app_id"]), (kind, value),
                            ("keystore variable", b["signing"]["android_keystore_env"]),
                            ("team variable", b["signing"]["ios_team_env"])):
            other = seen.setdefault((what, value), code)
            if other != code:
                p(f"regions/{code}/build.json", f"{what} {value!r} is also region {other}'s")


# --- Android -------------------------------------------------------------------


def check_android(builds, p):
    settings = (ROOT / "android" / "settings.gradle.kts").read_text(encoding="utf-8")
    if not re.search(r'include\(\s*":app"\s*\)', settings):
        p("android/settings.gradle.kts", 'does not include(":app")')
    gradle_path = ANDROID_APP / "build.gradle.kts"
    gradle = gradle_path.read_text(encoding="utf-8")
    where = "android/app/build.gradle.kts"
    # The flavors are derived from the folders, so the list equals
    # regions/* as long as the script still derives it from there.
    for needle, what in (('resolve("../regions")', "read the regions/ folder"),
                         (r'Regex("\\d{6}")', "take the folders named by a 6-digit code as the regions"),
                         ('"build.json"', "read each region's build.json"),
                         ("productFlavors", "declare product flavors"),
                         ('"region$', 'name each flavor "region<code>"'),
                         ('manifestPlaceholders["appAuthRedirectScheme"]', "set the redirect scheme placeholder"),
                         ('manifestPlaceholders["appLinkHost"]', "set the App Link host placeholder"),
                         ("resourceConfigurations", "keep only a flavor's locales"),
                         ("build/region-assets/", "take the assets staged by scripts/build-region"),
                         ('"catalog/manifest.json"', "verify the staged catalog (catalog/manifest.json and chunks/)")):
        if needle not in gradle:
            p(where, f"no longer seems to {what} (looked for {needle})")
    for lang in sorted({lang for b in builds.values() for lang in b["languages"]}):
        qualifier, res_configs, _ = LANGUAGES[lang]
        if "-" in lang:
            mapped = f'"{lang}" -> listOf({", ".join(json.dumps(c) for c in res_configs)})'
            if mapped not in gradle:
                p(where, f"androidLocales must map {lang} as regions/builds.py does: {mapped}")
            if f'"{lang}" -> "{qualifier}"' not in gradle:
                p(where, f'valuesQualifier must map {lang} to "{qualifier}"')
    for kind, placeholder in (("scheme", "${appAuthRedirectScheme}"), ("app-link", "${appLinkHost}")):
        f = ANDROID_APP / "redirect" / kind / "AndroidManifest.xml"
        text = f.read_text(encoding="utf-8") if f.is_file() else ""
        if placeholder not in text:
            p(f"android/app/redirect/{kind}/AndroidManifest.xml", f"missing, or does not use {placeholder}")
        if kind == "app-link" and 'android:autoVerify="true"' not in text:
            p(f"android/app/redirect/{kind}/AndroidManifest.xml", "the App Link filter must autoVerify")
    manifest = (ANDROID_APP / "src" / "main" / "AndroidManifest.xml").read_text(encoding="utf-8")
    if 'android:supportsRtl="true"' not in manifest:
        p("android/app/src/main/AndroidManifest.xml", 'needs android:supportsRtl="true" (Uyghur is right-to-left)')


# --- iOS -----------------------------------------------------------------------


def read_xcconfig(path):
    values = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*;?", line)
        if not m:
            raise ValueError(f"line {n} is not KEY = VALUE: {line}")
        if m.group(1) in values:
            raise ValueError(f"line {n} sets {m.group(1)} twice")
        values[m.group(1)] = m.group(2)
    return values


def expected_xcconfig(code, b):
    kind, value = redirect_kind(b)
    flags = sorted(LANGUAGES[lang][2] + "=1" for lang in b["languages"])
    out = {
        "PRODUCT_BUNDLE_IDENTIFIER": b["app_id"],
        "PALMGOV_REGION_CODE": code,
        "PALMGOV_DISPLAY_NAME": b["names"][b["default_language"]],
        "PALMGOV_DEVELOPMENT_REGION": b["default_language"],
        "DEVELOPMENT_TEAM": f"$({b['signing']['ios_team_env']})",
        "MARKETING_VERSION": b["version"]["name"],
        "CURRENT_PROJECT_VERSION": str(b["version"]["code"]),
    }
    if kind == "scheme":
        out["PALMGOV_URL_SCHEME"] = value
        flags.append("PALMGOV_CUSTOM_SCHEME=1")
    else:
        out["CODE_SIGN_ENTITLEMENTS"] = f"Regions/{code}.entitlements"
    out["INFOPLIST_PREPROCESSOR_DEFINITIONS"] = " ".join(sorted(flags))
    return out


def preprocess_plist(text, defines, settings):
    """What Xcode makes of ios/App/Info.plist for one target: the `#if`
    blocks kept or dropped (INFOPLIST_PREPROCESS), then $(SETTING)s
    substituted (settings Xcode itself provides are left as they are)."""
    out, keep = [], [True]
    for line in text.splitlines():
        if line.startswith("#if "):
            keep.append(keep[-1] and defines.get(line[4:].strip(), "0") not in ("", "0"))
        elif line.startswith("#else"):
            keep[-1] = keep[-2] and not keep[-1]
        elif line.startswith("#endif"):
            keep.pop()
        elif line.startswith("#"):
            raise ValueError(f"unexpected preprocessor line {line!r}")
        elif keep[-1]:
            out.append(line)
    if len(keep) != 1:
        raise ValueError("unbalanced #if/#endif")
    return re.sub(r"\$\((\w+)\)", lambda m: settings.get(m.group(1), m.group(0)), "\n".join(out))


def check_ios(builds, p):
    try:
        import yaml
    except ImportError:
        p("ios/App/project.yml", "cannot be read: this check needs PyYAML (python3 -m pip install pyyaml)")
        return
    where = "ios/App/project.yml"
    spec = yaml.safe_load((IOS_APP / "project.yml").read_text(encoding="utf-8"))
    targets = spec.get("targets") or {}
    want = {f"Region{code}" for code in builds}
    if set(targets) != want:
        p(where, f"targets {sorted(targets)} are not one per region folder {sorted(want)}")
    template = (spec.get("targetTemplates") or {}).get("RegionApp")
    if not template:
        p(where, "has no RegionApp target template")
    else:
        if template.get("type") != "application" or template.get("platform") != "iOS":
            p(where, "RegionApp must be an iOS application")
        if set((template.get("configFiles") or {}).values()) != {"Regions/${region}.xcconfig"}:
            p(where, "RegionApp's configFiles must be Regions/${region}.xcconfig for every configuration")
        if {"package": "PalmGov"} not in (template.get("dependencies") or []):
            p(where, "RegionApp must depend on the PalmGov package")
        sources = {(s.get("path") if isinstance(s, dict) else s): (s if isinstance(s, dict) else {})
                   for s in template.get("sources") or []}
        staged = sources.get("build/regions/${region}")
        if staged is None:
            p(where, "RegionApp must take the files staged in build/regions/${region}")
        elif CATALOG_DIR not in (staged.get("excludes") or []):
            p(where, f"RegionApp's build/regions/${{region}} source must exclude {CATALOG_DIR} (a folder reference of its own)")
        catalog = sources.get(f"build/regions/${{region}}/{CATALOG_DIR}")
        if catalog is None or catalog.get("type") != "folder" or catalog.get("buildPhase") != "resources":
            p(where, f"RegionApp must take build/regions/${{region}}/{CATALOG_DIR} as a folder reference "
                     "(type: folder, buildPhase: resources), so the bundle keeps catalog/chunks/")
    package = (spec.get("packages") or {}).get("PalmGov") or {}
    if package.get("path") != "..":
        p(where, "the PalmGov package must be the local one at ios/ (path: ..)")
    plist_text = (IOS_APP / "Info.plist").read_text(encoding="utf-8")
    for code, b in builds.items():
        name = f"Region{code}"
        t = targets.get(name)
        if t is not None and (t.get("templates") != ["RegionApp"] or (t.get("templateAttributes") or {}).get("region") != code):
            p(where, f"target {name} must be `templates: [RegionApp]` with templateAttributes region: \"{code}\"")
        xc_path = IOS_APP / "Regions" / f"{code}.xcconfig"
        xc_where = f"ios/App/Regions/{code}.xcconfig"
        if not xc_path.is_file():
            p(xc_where, "is missing")
            continue
        try:
            xc = read_xcconfig(xc_path)
        except ValueError as e:
            p(xc_where, str(e))
            continue
        want_xc = expected_xcconfig(code, b)
        for key in sorted(set(xc) | set(want_xc)):
            if xc.get(key) != want_xc.get(key):
                p(xc_where, f"{key} is {xc.get(key)!r}, build.json says {want_xc.get(key)!r}")
        kind, value = redirect_kind(b)
        ent_path = IOS_APP / "Regions" / f"{code}.entitlements"
        if kind == "app_link_domain":
            try:
                ent = plistlib.loads(ent_path.read_bytes())
                domains = ent.get("com.apple.developer.associated-domains")
            except (OSError, plistlib.InvalidFileException) as e:
                domains = f"unreadable ({e})"
            if domains != [f"applinks:{value}", f"webcredentials:{value}"]:
                p(f"ios/App/Regions/{code}.entitlements",
                  f"associated domains {domains!r} must be applinks: and webcredentials: {value}")
        elif ent_path.exists():
            p(f"ios/App/Regions/{code}.entitlements", "exists, but the region redirects to a custom scheme")
        defines = dict(d.split("=", 1) for d in want_xc["INFOPLIST_PREPROCESSOR_DEFINITIONS"].split())
        try:
            plist = plistlib.loads(preprocess_plist(plist_text, defines, xc).encode())
        except (ValueError, plistlib.InvalidFileException) as e:
            p("ios/App/Info.plist", f"for {name}: {e}")
            continue
        got = {
            "CFBundleIdentifier": plist.get("CFBundleIdentifier"),
            "CFBundleDisplayName": plist.get("CFBundleDisplayName"),
            "CFBundleDevelopmentRegion": plist.get("CFBundleDevelopmentRegion"),
            "CFBundleLocalizations": sorted(plist.get("CFBundleLocalizations") or []),
            "URL schemes": sorted(s for t in plist.get("CFBundleURLTypes") or [] for s in t.get("CFBundleURLSchemes", [])),
            "PalmGovRegionCode": plist.get("PalmGovRegionCode"),
        }
        want_plist = {
            "CFBundleIdentifier": b["app_id"],
            "CFBundleDisplayName": b["names"][b["default_language"]],
            "CFBundleDevelopmentRegion": b["default_language"],
            "CFBundleLocalizations": sorted(b["languages"]),
            "URL schemes": [value] if kind == "scheme" else [],
            "PalmGovRegionCode": code,
        }
        for key, v in want_plist.items():
            if got[key] != v:
                p("ios/App/Info.plist", f"for {name}, {key} comes out as {got[key]!r}, build.json says {v!r}")


# --- commands ------------------------------------------------------------------


def cmd_check(args):
    platform = "all"
    if args[:1] == ["--platform"]:
        platform, args = args[1], args[2:]
    if platform not in ("android", "ios", "all"):
        sys.exit(f"unknown platform {platform}")
    every = region_codes()
    codes = args or every
    p = Problems()
    for code in codes:
        if code not in every:
            p(f"regions/{code}", "no such region folder")
    builds = {}
    for code in every:
        b = check_build(code, p)
        if b is not None:
            builds[code] = b
        if code in codes:
            check_icons(code, p)
    if not p.items:
        check_across(builds, p)
        if platform in ("android", "all"):
            check_android(builds, p)
        if platform in ("ios", "all"):
            check_ios(builds, p)
    if p.items:
        print("\n".join(p.items), file=sys.stderr)
        sys.exit(f"region build settings: {len(p.items)} problems")
    print(f"region build settings: {', '.join(codes)} agree with themselves and the "
          f"{'Android and iOS projects' if platform == 'all' else platform + ' project'}")


def catalog_files(folder):
    """The files of a catalog folder, as paths relative to its parent
    (catalog/manifest.json, catalog/chunks/<sha256>.zlib, ...), sorted."""
    top = folder / CATALOG_DIR
    if not top.is_dir():
        return []
    return sorted(f.relative_to(folder).as_posix() for f in top.rglob("*") if f.is_file())


def staged_sources(code, b):
    """(the file in regions/CODE, its name in the staged folder), for every
    file a build bundles."""
    region = REGIONS / code
    names = SIGNED_FILES + (b["root_keys"], f"{CATALOG_DIR}/manifest.json")
    missing = [f for f in names if not (region / f).is_file()]
    if missing:
        sys.exit(f"regions/{code} lacks {', '.join(missing)}: sign the profile with `palmgov region sign`, "
                 "publish the catalog with tools/catalog (regions/README.md), then build again")
    catalog = catalog_files(region)
    return ([(region / f, f) for f in SIGNED_FILES]
            + [(region / b["root_keys"], ROOT_KEYS_NAME)]
            + [(region / f, f) for f in catalog])


def strings_literal(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def staging(code, platform):
    """(the folder staging replaces, the folder the signed files go in)."""
    if platform == "android":
        top = ANDROID_APP / "build" / "region-assets" / code
        return top, top / "region"
    top = IOS_APP / "build" / "regions" / code
    return top, top


def cmd_stage(args):
    if len(args) != 2 or args[1] not in ("android", "ios"):
        sys.exit("usage: builds.py stage CODE android|ios")
    code, platform = args
    b = load(code)
    files = staged_sources(code, b)
    top, dest = staging(code, platform)
    shutil.rmtree(top, ignore_errors=True)
    dest.mkdir(parents=True)
    for src, name in files:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest / name)
    if platform == "ios":
        icon_set = dest / "Assets.xcassets" / "AppIcon.appiconset"
        icon_set.mkdir(parents=True)
        shutil.copyfile(REGIONS / code / "icons" / IOS_ICON[0], icon_set / "icon-1024.png")
        (dest / "Assets.xcassets" / "Contents.json").write_text(
            json.dumps({"info": {"author": "xcode", "version": 1}}, indent=2) + "\n")
        (icon_set / "Contents.json").write_text(json.dumps({
            "images": [{"filename": "icon-1024.png", "idiom": "universal", "platform": "ios", "size": "1024x1024"}],
            "info": {"author": "xcode", "version": 1},
        }, indent=2) + "\n")
        # The name under the icon in each language the region offers.
        for lang in b["languages"]:
            lproj = dest / f"{lang}.lproj"
            lproj.mkdir()
            name = strings_literal(b["names"][lang])
            (lproj / "InfoPlist.strings").write_text(
                f"/* regions/{code}/build.json names.{lang}, staged by scripts/build-region */\n"
                f'"CFBundleDisplayName" = {name};\n"CFBundleName" = {name};\n', encoding="utf-8")
    print(f"staged regions/{code} for {platform} in {top.relative_to(ROOT)}")


def cmd_verify_staged(args):
    if len(args) != 2 or args[1] not in ("android", "ios"):
        sys.exit("usage: builds.py verify-staged CODE android|ios")
    code, platform = args
    _, dest = staging(code, platform)
    sources = staged_sources(code, load(code))
    for src, name in sources:
        staged = dest / name
        if not staged.is_file() or staged.read_bytes() != src.read_bytes():
            sys.exit(f"region {code}: {staged} is missing or stale; run scripts/build-region {code} {platform}")
    # A chunk of an older catalog left in the staged folder would be bundled too.
    extra = sorted(set(catalog_files(dest)) - {name for _, name in sources})
    if extra:
        sys.exit(f"region {code}: {dest / extra[0]} is not in regions/{code}; run scripts/build-region {code} {platform}")


def cmd_list(args):
    if args:
        sys.exit("usage: builds.py list")
    print("\n".join(region_codes()))


def cmd_get(args):
    if len(args) != 2:
        sys.exit("usage: builds.py get CODE KEY[.KEY...]")
    value = load(args[0])
    for key in args[1].split("."):
        value = value[key]
    print(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def write_icon(path, size, rgb):
    r2 = (size * 0.3) ** 2
    c = (size - 1) / 2

    def at(x, y):
        return 1 if (x - c) ** 2 + (y - c) ** 2 <= r2 else 0

    rows = bytearray()
    for y in range(size):
        rows.append(0)
        bits = 0
        for x in range(size):
            bits = (bits << 1) | at(x, y)
            if x % 8 == 7:
                rows.append(bits)
                bits = 0
        if size % 8:
            rows.append(bits << (8 - size % 8))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    data = (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 1, 3, 0, 0, 0))
            + chunk(b"PLTE", bytes(rgb) + b"\xff\xff\xff")
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
            + chunk(b"IEND", b""))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def cmd_placeholder_icons(args):
    if len(args) != 2 or not re.fullmatch(r"#?[0-9a-fA-F]{6}", args[1]):
        sys.exit("usage: builds.py placeholder-icons CODE RRGGBB")
    code, hex_colour = args[0], args[1].lstrip("#")
    rgb = bytes.fromhex(hex_colour)
    icons = REGIONS / code / "icons"
    for density, size in ANDROID_ICONS.items():
        write_icon(icons / "android" / f"mipmap-{density}" / "ic_launcher.png", size, rgb)
    write_icon(icons / IOS_ICON[0], IOS_ICON[1], rgb)
    print(f"wrote placeholder icons under regions/{code}/icons")


def main():
    commands = {
        "check": cmd_check,
        "stage": cmd_stage,
        "verify-staged": cmd_verify_staged,
        "list": cmd_list,
        "get": cmd_get,
        "placeholder-icons": cmd_placeholder_icons,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
