//! A service catalog's documents as published (`docs/catalog.md`): the
//! manifest the region profile pins by its SHA-256, and the compressed
//! chunks it lists by theirs. Everything is checked before any of it is
//! kept or used: a chunk whose bytes do not hash to its name, that does
//! not inflate to the size the manifest gives, or that does not read is
//! refused whole with a stable reason (`catalog.<what>`), and the last
//! good catalog stays.
//!
//! Read by hand over a `Value` ([`crate::shape`]), as the region profile
//! is: the library's size budget has no room for serde's derives over
//! these shapes.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::crypto::{is_sha256_hex, sha256_hex};
use crate::error::{PalmGovError, Result};
use crate::shape::{labels, list, number, object, string, strings};

/// The format this core reads.
pub(crate) const FORMAT: u64 = 1;
/// A manifest is a few hundred bytes a chunk; more is not a manifest.
const MAX_MANIFEST: usize = 256 * 1024;
/// Chunks a manifest may list.
const MAX_CHUNKS: usize = 512;
/// The largest inflated chunk: a catalog's index of 50,000 services is
/// about 12 MB. Checked before inflating (the manifest's `raw_bytes`) and
/// while inflating (a chunk that inflates further is refused).
pub(crate) const MAX_RAW: u64 = 32 * 1024 * 1024;
/// The services a catalog may hold.
const MAX_SERVICES: usize = 100_000;

/// Texts by language tag.
pub type Labels = BTreeMap<String, String>;

pub(crate) fn refused(what: &str) -> crate::error::Error {
    PalmGovError::CatalogRefused {
        reason: format!("catalog.{what}"),
    }
    .into()
}

/// What a chunk holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChunkKind {
    /// Everything search and the list need, one per catalog.
    Index,
    /// The guides (materials, fees, where to apply) of a range of codes.
    Guides,
}

/// One chunk as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChunkRef {
    pub kind: ChunkKind,
    /// Lowercase hex SHA-256 of the compressed bytes: also its file name.
    pub sha256: String,
    pub bytes: u64,
    pub raw_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Manifest {
    pub region_code: String,
    pub version: u64,
    pub languages: Vec<String>,
    /// The index first, then the guides.
    pub chunks: Vec<ChunkRef>,
}

/// Reads and checks a manifest.
pub(crate) fn manifest(bytes: &[u8]) -> Result<Manifest> {
    if bytes.len() > MAX_MANIFEST {
        return Err(refused("manifest_size"));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|_| refused("manifest_shape"))?;
    let m = read_manifest(value).ok_or_else(|| refused("manifest_shape"))?;
    if m.region_code.len() != 6 || !m.region_code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused("manifest_region"));
    }
    let index_first = m.chunks.first().map(|c| c.kind) == Some(ChunkKind::Index)
        && m.chunks[1..].iter().all(|c| c.kind == ChunkKind::Guides);
    if !index_first || m.chunks.len() > MAX_CHUNKS {
        return Err(refused("manifest_chunks"));
    }
    let mut seen = std::collections::HashSet::new();
    for c in &m.chunks {
        if !is_sha256_hex(&c.sha256) || !seen.insert(&c.sha256) || c.raw_bytes > MAX_RAW {
            return Err(refused("manifest_chunks"));
        }
    }
    if m.languages.is_empty() || m.languages.iter().any(|l| l.is_empty() || l.len() > 16) {
        return Err(refused("manifest_languages"));
    }
    Ok(m)
}

fn read_manifest(value: Value) -> Option<Manifest> {
    let mut root = object(
        value,
        &["format", "region_code", "version", "languages", "chunks"],
    )?;
    if number(root.remove("format"), 0)? != FORMAT {
        return None;
    }
    Some(Manifest {
        region_code: string(root.remove("region_code"))?,
        version: number(root.remove("version"), 0)?,
        languages: strings(root.remove("languages"), false)?,
        chunks: list(root.remove("chunks"), |c| {
            let mut c = object(
                c,
                &["kind", "sha256", "bytes", "raw_bytes", "first", "last"],
            )?;
            Some(ChunkRef {
                kind: match string(c.remove("kind"))?.as_str() {
                    "index" => ChunkKind::Index,
                    "guides" => ChunkKind::Guides,
                    _ => return None,
                },
                sha256: string(c.remove("sha256"))?,
                bytes: number(c.remove("bytes"), u64::MAX)?,
                raw_bytes: number(c.remove("raw_bytes"), u64::MAX)?,
            })
        })?,
    })
}

/// A chunk's bytes checked against its reference (hash, sizes) and
/// inflated. A truncated or altered chunk fails its hash; one that lies
/// about its size fails the bound.
pub(crate) fn inflate(chunk: &ChunkRef, bytes: &[u8]) -> Result<Vec<u8>> {
    if bytes.len() as u64 != chunk.bytes || sha256_hex(bytes) != chunk.sha256 {
        return Err(refused("chunk_hash"));
    }
    let raw =
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(bytes, chunk.raw_bytes as usize)
            .map_err(|_| refused("chunk_inflate"))?;
    if raw.len() as u64 != chunk.raw_bytes {
        return Err(refused("chunk_inflate"));
    }
    Ok(raw)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Department {
    /// Its unified social credit code.
    pub code: String,
    pub names: Labels,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Category {
    pub id: String,
    pub names: Labels,
}

/// A service as the index lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The item code (事项编码, GB/T 39554.1).
    pub code: String,
    pub names: Labels,
    /// The Simplified name's reading, one syllable per character, as the
    /// publisher computed it from phrase data.
    pub pinyin: Vec<String>,
    pub department: usize,
    pub category: String,
    pub keywords: Vec<String>,
    /// How often residents ask for it, 0–1000: orders equal matches.
    pub popularity: u32,
    /// The chunk (by its place in the manifest) holding its guide.
    pub guide: usize,
}

/// A life event (一件事一次办) and the services it groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LifeEvent {
    pub id: String,
    pub names: Labels,
    pub services: Vec<String>,
}

/// An everyday word and the official terms it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Synonym {
    pub word: String,
    pub terms: Vec<String>,
    /// A Chinese word's reading, one syllable per character, as published.
    pub pinyin: Vec<String>,
}

/// The index chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Index {
    pub departments: Vec<Department>,
    pub categories: Vec<Category>,
    pub services: Vec<Entry>,
    pub life_events: Vec<LifeEvent>,
    /// Everyday words and the official terms they stand for.
    pub synonyms: Vec<Synonym>,
    /// Traditional characters and the Simplified ones they map to.
    pub traditional: Vec<(char, char)>,
}

/// Reads and checks the index chunk of `manifest`.
pub(crate) fn index(raw: &[u8], manifest: &Manifest) -> Result<Index> {
    let value: Value = serde_json::from_slice(raw).map_err(|_| refused("index_shape"))?;
    let index = read_index(value).ok_or_else(|| refused("index_shape"))?;
    let codes_sorted = index.services.windows(2).all(|w| w[0].code < w[1].code);
    if !codes_sorted || index.services.len() > MAX_SERVICES {
        return Err(refused("index_services"));
    }
    for s in &index.services {
        let name = s
            .names
            .get("zh-Hans")
            .ok_or_else(|| refused("index_names"))?;
        if !code_ok(&s.code)
            || s.department >= index.departments.len()
            || s.guide == 0
            || s.guide >= manifest.chunks.len()
            || s.popularity > 1000
            || s.pinyin.len() != name.chars().count()
            || s.pinyin.iter().any(|p| p.is_empty() || p.contains('\n'))
        {
            return Err(refused("index_services"));
        }
        let names_sound = !s
            .names
            .values()
            .chain(&s.keywords)
            .any(|t| t.is_empty() || t.contains('\n'))
            && s.names.keys().all(|tag| manifest.languages.contains(tag));
        if !names_sound {
            return Err(refused("index_names"));
        }
    }
    // Search lays names, terms and keywords end to end, separated by
    // newlines: none may hold one, nor may a Traditional character fold to one.
    let newline = |t: &String| t.contains('\n');
    let synonyms_sound = index.synonyms.iter().all(|w| {
        !newline(&w.word) && !w.terms.iter().any(newline) && !w.pinyin.iter().any(newline)
    });
    let folds_sound = index
        .traditional
        .iter()
        .all(|(t, s)| *t != '\n' && *s != '\n');
    if !synonyms_sound || !folds_sound {
        return Err(refused("index_shape"));
    }
    for e in &index.life_events {
        if e.services.iter().any(|c| {
            index
                .services
                .binary_search_by(|s| s.code.as_str().cmp(c))
                .is_err()
        }) {
            return Err(refused("index_life_events"));
        }
    }
    Ok(index)
}

/// An item code: upper-case letters, digits and hyphens, as GB/T 39554.1
/// writes them (`511A0138000000-511602000000-000-115113010833722043-1-00`).
pub(crate) fn code_ok(code: &str) -> bool {
    (8..=80).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase() || b == b'-')
}

fn read_index(value: Value) -> Option<Index> {
    let mut root = object(
        value,
        &[
            "departments",
            "categories",
            "services",
            "life_events",
            "synonyms",
            "traditional",
        ],
    )?;
    let named = |v: Value, key: &str| -> Option<(String, Labels)> {
        let mut o = object(v, &[key, "names"])?;
        Some((string(o.remove(key))?, labels(o.remove("names"))?))
    };
    let traditional: Vec<char> = string(root.remove("traditional"))?.chars().collect();
    if traditional.len() % 2 != 0 {
        return None;
    }
    Some(Index {
        departments: list(root.remove("departments"), |v| {
            let (code, names) = named(v, "code")?;
            Some(Department { code, names })
        })?,
        categories: list(root.remove("categories"), |v| {
            let (id, names) = named(v, "id")?;
            Some(Category { id, names })
        })?,
        services: list(root.remove("services"), |v| {
            let mut s = object(
                v,
                &[
                    "code",
                    "names",
                    "pinyin",
                    "department",
                    "category",
                    "keywords",
                    "popularity",
                    "guide",
                ],
            )?;
            Some(Entry {
                code: string(s.remove("code"))?,
                names: labels(s.remove("names"))?,
                pinyin: string(s.remove("pinyin"))?
                    .split(' ')
                    .map(str::to_owned)
                    .collect(),
                department: usize::try_from(number(s.remove("department"), u64::MAX)?).ok()?,
                category: string(s.remove("category"))?,
                keywords: strings(s.remove("keywords"), true)?,
                popularity: u32::try_from(number(s.remove("popularity"), 0)?).ok()?,
                guide: usize::try_from(number(s.remove("guide"), 0)?).ok()?,
            })
        })?,
        life_events: list(root.remove("life_events"), |v| {
            let mut e = object(v, &["id", "names", "services"])?;
            Some(LifeEvent {
                id: string(e.remove("id"))?,
                names: labels(e.remove("names"))?,
                services: strings(e.remove("services"), false)?,
            })
        })?,
        synonyms: list(root.remove("synonyms"), |v| {
            let mut o = object(v, &["word", "terms", "pinyin"])?;
            let word = string(o.remove("word"))?;
            let terms = strings(o.remove("terms"), false)?;
            let pinyin: Vec<String> = match o.remove("pinyin") {
                None => Vec::new(),
                v => string(v)?.split(' ').map(str::to_owned).collect(),
            };
            let sound = !word.is_empty()
                && terms.iter().all(|t| !t.is_empty())
                && (pinyin.is_empty() || pinyin.len() == word.chars().count());
            sound.then_some(Synonym {
                word,
                terms,
                pinyin,
            })
        })?,
        traditional: traditional.chunks(2).map(|p| (p[0], p[1])).collect(),
    })
}

/// How a material is supplied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Material {
    pub names: Labels,
    /// The wallet registry's licence type that can serve as it.
    pub licence: Option<String>,
    /// The service's form answers it.
    pub form: bool,
    /// A photo or scan is accepted.
    pub photo: bool,
    /// The original must be shown.
    pub original: bool,
    pub copies: u32,
}

/// A service's guide (办事指南).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Guide {
    pub code: String,
    pub materials: Vec<Material>,
    /// The promised time limit in working days (承诺办结时限).
    pub time_limit_days: u32,
    /// The fee in fen; 0 is free.
    pub fee_fen: u64,
    /// `online`, `counter`, `grid_worker`.
    pub channels: Vec<String>,
    pub counter: Labels,
    /// The form that starts it: id and version.
    pub form: Option<(String, u32)>,
}

const CHANNELS: &[&str] = &["online", "counter", "grid_worker"];

/// Reads and checks a guides chunk.
pub(crate) fn guides(raw: &[u8]) -> Result<Vec<Guide>> {
    let value: Value = serde_json::from_slice(raw).map_err(|_| refused("guides_shape"))?;
    let guides = read_guides(value).ok_or_else(|| refused("guides_shape"))?;
    let sorted = guides.windows(2).all(|w| w[0].code < w[1].code);
    let sound = guides.iter().all(|g| {
        code_ok(&g.code)
            && !g.channels.is_empty()
            && g.channels.iter().all(|c| CHANNELS.contains(&c.as_str()))
            && g.materials.iter().all(|m| {
                m.names.contains_key("zh-Hans")
                    && m.licence
                        .as_deref()
                        .is_none_or(|t| crate::forms::licence_types::by_name(t).is_some())
            })
    });
    if !sorted || !sound {
        return Err(refused("guides_content"));
    }
    Ok(guides)
}

fn read_guides(value: Value) -> Option<Vec<Guide>> {
    let mut root = object(value, &["guides"])?;
    list(root.remove("guides"), |g| {
        let mut g = object(
            g,
            &[
                "code",
                "materials",
                "time_limit_days",
                "fee_fen",
                "channels",
                "counter",
                "form",
            ],
        )?;
        let flag = |v: Option<Value>| match v {
            None => Some(false),
            Some(v) => v.as_bool(),
        };
        Some(Guide {
            code: string(g.remove("code"))?,
            materials: list(g.remove("materials"), |m| {
                let mut m = object(
                    m,
                    &["names", "licence", "form", "photo", "original", "copies"],
                )?;
                Some(Material {
                    names: labels(m.remove("names"))?,
                    licence: match m.remove("licence") {
                        None => None,
                        v => Some(string(v)?),
                    },
                    form: flag(m.remove("form"))?,
                    photo: flag(m.remove("photo"))?,
                    original: flag(m.remove("original"))?,
                    copies: u32::try_from(number(m.remove("copies"), 1)?).ok()?,
                })
            })?,
            time_limit_days: u32::try_from(number(g.remove("time_limit_days"), 0)?).ok()?,
            fee_fen: number(g.remove("fee_fen"), 0)?,
            channels: strings(g.remove("channels"), false)?,
            counter: match g.remove("counter") {
                None => Labels::new(),
                v => labels(v)?,
            },
            form: match g.remove("form") {
                None => None,
                Some(f) => {
                    let mut f = object(f, &["id", "version"])?;
                    let id = string(f.remove("id"))?;
                    let version = u32::try_from(number(f.remove("version"), u64::MAX)?).ok()?;
                    Some((id, version))
                }
            },
        })
    })
}
