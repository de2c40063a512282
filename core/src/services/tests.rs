//! The catalog's documents, its search and its checks, on a small catalog
//! built here the way the publishing tool builds one.

use serde_json::{Value, json};

use super::Catalog;
use super::document;
use super::search::MatchKind;
use crate::crypto::sha256_hex;

pub(crate) const XIHU: &str = "330106";
const POLICE: &str = "11330106002500095X";

fn code(n: u32) -> String {
    format!("330A01{n:02}000000-330106000000-000-{POLICE}-1-00")
}

fn service(n: u32, zh: &str, pinyin: &str, popularity: u32, extra: Value) -> Value {
    let mut s = json!({
        "code": code(n), "names": {"zh-Hans": zh}, "pinyin": pinyin,
        "department": 0, "category": "household", "keywords": [],
        "popularity": popularity, "guide": 1,
    });
    for (k, v) in extra.as_object().unwrap() {
        s[k] = v.clone();
    }
    s
}

/// The index of a small catalog of region 330106.
pub(crate) fn index_json() -> Value {
    json!({
        "departments": [{"code": POLICE, "names": {"zh-Hans": "杭州市公安局西湖区分局", "en": "Xihu Public Security"}}],
        "categories": [{"id": "household", "names": {"zh-Hans": "户籍办理", "en": "Household registration"}}],
        "services": [
            service(1, "居民身份证换领", "ju min shen fen zheng huan ling", 980,
                json!({"keywords": ["换证", "身份证到期"], "names": {"zh-Hans": "居民身份证换领", "en": "Renewing a resident ID card", "ug": "كىملىك ئالماشتۇرۇش"}})),
            service(2, "居民身份证补领", "ju min shen fen zheng bu ling", 700, json!({})),
            service(3, "最低生活保障申请", "zui di sheng huo bao zhang shen qing", 900, json!({})),
            service(4, "银行卡代发养老金登记", "yin hang ka dai fa yang lao jin deng ji", 300, json!({})),
            service(5, "户口迁移", "hu kou qian yi", 950, json!({"names": {"zh-Hans": "户口迁移", "zh-Hant": "戶口遷移"}})),
            service(6, "社会保障卡申领", "she hui bao zhang ka shen ling", 960, json!({})),
            service(7, "重庆籍人员居住登记", "chong qing ji ren yuan ju zhu deng ji", 100, json!({})),
            service(8, "居住证明开具（社保办理）", "ju zhu zheng ming kai ju （ she bao ban li ）", 990,
                json!({"names": {"zh-Hans": "居住证明开具（社保办理）", "ug": "تۇرالغۇ ئىسپاتى بېرىش (ئىجتىمائىي كاپالەت)"}})),
            service(9, "社会保障卡补换", "she hui bao zhang ka bu huan", 400,
                json!({"keywords": ["社保卡丢了"], "names": {"zh-Hans": "社会保障卡补换", "ug": "ئىجتىمائىي كاپالەت كارتىسى ئالماشتۇرۇش"}})),
            service(10, "办安安置登记", "ban an an zhi deng ji", 10, json!({})),
        ],
        "life_events": [{"id": "moving", "names": {"zh-Hans": "迁居", "en": "Moving home"}, "services": [code(5), code(1)]}],
        "synonyms": [{"word": "低保", "terms": ["最低生活保障"]}, {"word": "社保卡", "terms": ["社会保障卡"], "pinyin": "she bao ka"}],
        "traditional": "戶户遷迁證证",
    })
}

pub(crate) fn guides_json() -> Value {
    let guide = |n: u32, materials: Value| {
        json!({"code": code(n), "materials": materials, "time_limit_days": 20, "fee_fen": 2000,
               "channels": ["online", "counter"], "counter": {"zh-Hans": "西湖区行政服务中心一楼"}})
    };
    json!({"guides": [
        guide(1, json!([
            {"names": {"zh-Hans": "居民身份证"}, "licence": "id_card", "original": true},
            {"names": {"zh-Hans": "居民户口簿"}, "licence": "household_register", "original": true},
            {"names": {"zh-Hans": "近期免冠照片"}, "photo": true},
            {"names": {"zh-Hans": "换领申请表"}, "form": true},
        ])),
        guide(2, json!([{"names": {"zh-Hans": "居民户口簿"}, "licence": "household_register", "original": true}])),
        guide(3, json!([{"names": {"zh-Hans": "收入证明"}, "photo": true}])),
        guide(4, json!([{"names": {"zh-Hans": "社会保障卡"}, "licence": "social_security_card"}])),
        guide(5, json!([{"names": {"zh-Hans": "迁移证"}, "original": true}])),
        guide(6, json!([{"names": {"zh-Hans": "居民身份证"}, "licence": "id_card", "photo": true}])),
        guide(7, json!([{"names": {"zh-Hans": "租房合同"}, "photo": true}])),
        guide(8, json!([{"names": {"zh-Hans": "居民身份证"}, "licence": "id_card"}])),
        guide(9, json!([{"names": {"zh-Hans": "居民身份证"}, "licence": "id_card"}])),
        guide(10, json!([{"names": {"zh-Hans": "申请表"}, "form": true}])),
    ]})
}

/// A published catalog: manifest bytes and its chunks, as the tool makes them.
pub(crate) fn publish(index: &Value, guides: &Value, version: u64) -> (Vec<u8>, Vec<Vec<u8>>) {
    let chunk = |v: &Value| {
        let raw = serde_json::to_vec(v).unwrap();
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 9);
        (z, raw.len())
    };
    let (i, i_raw) = chunk(index);
    let (g, g_raw) = chunk(guides);
    let manifest = json!({
        "format": 1, "region_code": XIHU, "version": version, "languages": ["zh-Hans", "zh-Hant", "ug", "en"],
        "chunks": [
            {"kind": "index", "sha256": sha256_hex(&i), "bytes": i.len(), "raw_bytes": i_raw},
            {"kind": "guides", "sha256": sha256_hex(&g), "bytes": g.len(), "raw_bytes": g_raw,
             "first": code(1), "last": code(10)},
        ],
    });
    (serde_json::to_vec(&manifest).unwrap(), vec![i, g])
}

fn catalog() -> Catalog {
    let (m, chunks) = publish(&index_json(), &guides_json(), 1);
    Catalog::open(&m, &chunks[0], 0).expect("opens")
}

fn first(c: &Catalog, query: &str) -> (String, MatchKind) {
    let hits = c.search(query, "zh-Hans", 3);
    let hit = hits
        .first()
        .unwrap_or_else(|| panic!("nothing for {query}"));
    (hit.name.clone(), hit.matched)
}

#[test]
fn names_rank_exact_then_prefix_then_substring_then_popularity() {
    let c = catalog();
    assert_eq!(
        first(&c, "户口迁移"),
        ("户口迁移".into(), MatchKind::ExactName)
    );
    assert_eq!(
        first(&c, "居民身份证"),
        ("居民身份证换领".into(), MatchKind::NamePrefix)
    );
    // Both ID card services hold 身份证: the more asked-for one first.
    let hits = c.search("身份证", "zh-Hans", 5);
    assert_eq!(hits[0].name, "居民身份证换领");
    assert_eq!(hits[1].name, "居民身份证补领");
    assert_eq!(hits[0].matched, MatchKind::NameSubstring);
    assert_eq!(hits[0].highlights[0].start, 2);
    assert_eq!(hits[0].highlights[0].length, 3);
}

#[test]
fn pinyin_and_initials_find_names_with_polyphones_read_right() {
    let c = catalog();
    assert_eq!(
        first(&c, "sfz"),
        ("居民身份证换领".into(), MatchKind::Initials)
    );
    assert_eq!(
        first(&c, "shenfenzheng"),
        ("居民身份证换领".into(), MatchKind::Pinyin)
    );
    assert_eq!(
        first(&c, "Shen Fen Zheng"),
        ("居民身份证换领".into(), MatchKind::Pinyin)
    );
    // 银行 is yinhang and 重庆 chongqing, as the publisher computed them.
    assert_eq!(first(&c, "yinhang").0, "银行卡代发养老金登记");
    assert!(c.search("yinxing", "zh-Hans", 3).is_empty());
    assert_eq!(first(&c, "chongqing").0, "重庆籍人员居住登记");
    // Overlapping occurrences are all seen: in `bananan` (办安安) `anan`
    // first occurs inside 办, then again from 安's start.
    let hit = &c.search("anan", "zh-Hans", 1)[0];
    assert_eq!(
        (hit.name.as_str(), hit.matched),
        ("办安安置登记", MatchKind::Pinyin)
    );
    assert_eq!((hit.highlights[0].start, hit.highlights[0].length), (1, 2));
    // From a syllable's start only: `ing` is inside ling, not a syllable.
    assert!(
        c.search("ing", "zh-Hans", 3)
            .iter()
            .all(|h| h.matched != MatchKind::Pinyin)
    );
    // The span is in characters of the name: 身份证 in 居民身份证换领.
    let hit = &c.search("shenfenzh", "zh-Hans", 1)[0];
    assert_eq!((hit.highlights[0].start, hit.highlights[0].length), (2, 3));
}

#[test]
fn everyday_words_traditional_characters_and_other_languages_find_services() {
    let c = catalog();
    let hit = &c.search("低保", "zh-Hans", 1)[0];
    assert_eq!(hit.name, "最低生活保障申请");
    assert_eq!(hit.matched, MatchKind::Synonym);
    assert_eq!(hit.matched_term.as_deref(), Some("最低生活保障"));
    assert_eq!(first(&c, "社保卡申领").0, "社会保障卡申领");
    // No Traditional name is published for the ID card services.
    assert_eq!(first(&c, "身份證").0, "居民身份证换领");
    assert_eq!(
        first(&c, "戶口遷移"),
        ("户口迁移".into(), MatchKind::ExactName)
    );
    assert_eq!(first(&c, "كىملىك").0, "居民身份证换领");
    let en = &c.search("id card", "en", 1)[0];
    assert_eq!(en.name, "Renewing a resident ID card");
    assert_eq!(en.highlights[0].start, 20);
    assert_eq!(
        first(&c, "换证"),
        ("居民身份证换领".into(), MatchKind::Keyword)
    );
    assert!(c.search("", "zh-Hans", 3).is_empty());
    assert!(c.search("护照", "zh-Hans", 3).is_empty());
}

#[test]
fn qualifiers_rank_below_names_and_keywords_and_word_starts_count_as_prefixes() {
    let c = catalog();
    // 社保 is only in the bracketed sub-case of the most asked-for service,
    // and a keyword of another: the keyword wins, the qualifier still shows.
    let hits = c.search("社保", "zh-Hans", 5);
    assert_eq!(hits[0].name, "社会保障卡补换");
    assert_eq!(hits[0].matched, MatchKind::Keyword);
    let last = hits.last().unwrap();
    assert_eq!(
        (last.name.as_str(), last.matched),
        ("居住证明开具（社保办理）", MatchKind::NameQualifier)
    );
    // A whole Uyghur word inside a name ranks as a prefix.
    let hit = &c.search("كاپالەت", "ug", 1)[0];
    assert_eq!(hit.name, "ئىجتىمائىي كاپالەت كارتىسى ئالماشتۇرۇش");
    assert_eq!(hit.matched, MatchKind::NamePrefix);
}

#[test]
fn an_everyday_words_pinyin_stands_for_the_word() {
    let c = catalog();
    for query in ["sbk", "shebaoka", "She Bao Ka"] {
        let hits = c.search(query, "zh-Hans", 3);
        assert_eq!(hits[0].name, "社会保障卡申领", "{query}");
        assert_eq!(hits[0].matched, MatchKind::Synonym, "{query}");
        assert_eq!(hits[0].matched_term.as_deref(), Some("社会保障卡"));
    }
    // Only the whole reading: `sb` is no word's.
    assert!(
        c.search("sb", "zh-Hans", 3)
            .iter()
            .all(|h| h.matched != MatchKind::Synonym)
    );
}

#[test]
fn life_events_list_their_services_in_order() {
    let events = catalog().life_events("en");
    assert_eq!(events[0].name, "Moving home");
    let names: Vec<_> = events[0].services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["户口迁移", "Renewing a resident ID card"]);
}

#[test]
fn altered_truncated_or_lying_chunks_are_refused_with_a_reason() {
    let (m, chunks) = publish(&index_json(), &guides_json(), 1);
    let reason =
        |r: crate::error::Result<Catalog>| match r.map_err(crate::error::PalmGovError::from) {
            Err(crate::error::PalmGovError::CatalogRefused { reason }) => reason,
            other => panic!("not refused: {:?}", other.map(|_| ())),
        };
    let mut altered = chunks[0].clone();
    altered[10] ^= 1;
    assert_eq!(reason(Catalog::open(&m, &altered, 0)), "catalog.chunk_hash");
    let truncated = &chunks[0][..chunks[0].len() / 2];
    assert_eq!(
        reason(Catalog::open(&m, truncated, 0)),
        "catalog.chunk_hash"
    );
    // A manifest that understates the inflated size: refused while inflating.
    let mut lying: Value = serde_json::from_slice(&m).unwrap();
    lying["chunks"][0]["raw_bytes"] = json!(100);
    let lying = serde_json::to_vec(&lying).unwrap();
    assert_eq!(
        reason(Catalog::open(&lying, &chunks[0], 0)),
        "catalog.chunk_inflate"
    );
    // Unknown members, a wrong format, a second index.
    for (path, value) in [("/extra", json!(1)), ("/format", json!(2))] {
        let mut bad: Value = serde_json::from_slice(&m).unwrap();
        if path == "/extra" {
            bad["extra"] = value;
        } else {
            bad["format"] = value;
        }
        let bad = serde_json::to_vec(&bad).unwrap();
        assert_eq!(
            reason(Catalog::open(&bad, &chunks[0], 0)),
            "catalog.manifest_shape"
        );
    }
    // An index whose pinyin does not match its name, or a service out of order.
    let mut index = index_json();
    index["services"][0]["pinyin"] = json!("ju min");
    let (m2, c2) = publish(&index, &guides_json(), 1);
    assert_eq!(
        reason(Catalog::open(&m2, &c2[0], 0)),
        "catalog.index_services"
    );
    let mut index = index_json();
    index["services"].as_array_mut().unwrap().swap(0, 1);
    let (m3, c3) = publish(&index, &guides_json(), 1);
    assert_eq!(
        reason(Catalog::open(&m3, &c3[0], 0)),
        "catalog.index_services"
    );
    // A newline in an everyday word's term, a character folding to one, a
    // name in a language the manifest does not list: refused.
    let mut index = index_json();
    index["synonyms"][0]["terms"] = json!(["最低\n生活保障"]);
    let (m4, c4) = publish(&index, &guides_json(), 1);
    assert_eq!(reason(Catalog::open(&m4, &c4[0], 0)), "catalog.index_shape");
    let mut index = index_json();
    index["traditional"] = json!("證\n");
    let (m5, c5) = publish(&index, &guides_json(), 1);
    assert_eq!(reason(Catalog::open(&m5, &c5[0], 0)), "catalog.index_shape");
    let mut index = index_json();
    index["services"][1]["names"]["x-klingon"] = json!("居民身份证补领");
    let (m6, c6) = publish(&index, &guides_json(), 1);
    assert_eq!(reason(Catalog::open(&m6, &c6[0], 0)), "catalog.index_names");
    // A guide naming a licence type the registry lacks.
    let mut guides = guides_json();
    guides["guides"][0]["materials"][0]["licence"] = json!("passport_of_mars");
    let raw = serde_json::to_vec(&guides).unwrap();
    assert!(document::guides(&raw).is_err());
}

#[test]
fn the_fuzz_entry_survives_garbage() {
    for data in [
        &b""[..],
        b"{",
        b"\xff\xfe",
        b"{\"format\":1}",
        &[0u8; 64][..],
    ] {
        super::fuzz(data);
    }
    let (m, chunks) = publish(&index_json(), &guides_json(), 1);
    let mut whole = m.clone();
    whole.push(0);
    whole.extend_from_slice(&chunks[0]);
    super::fuzz(&whole);
}
