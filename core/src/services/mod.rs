//! The region's service catalog (办事指南), offline: thousands of services
//! with their codes, names, departments, materials and where to apply,
//! found by characters, pinyin, initials and everyday words, and "what do
//! I still need?" against the wallet.
//!
//! The region profile pins the catalog by the SHA-256 of its manifest,
//! which lists its chunks by theirs (`docs/catalog.md`). An update fetches
//! the manifest and only the chunks the phone lacks, checks every byte
//! before anything is kept, and puts the new catalog in force in one
//! transaction: a chunk that is altered, truncated or unreadable is
//! refused (`services.catalog_refused`) and the last good catalog stays.
//! A shell can also hand over the catalog bundled with the app, checked
//! the same way, so a first start without signal has it.
//!
//! Opening reads the manifest and the index chunk only; a guide's chunk is
//! opened when a guide is asked for. Its tables are `catalog_chunks` and
//! `catalog_manifest` ([`store`]).

#[doc(hidden)]
pub mod bench;
pub(crate) mod document;
mod needs;
pub(crate) mod records;
pub(crate) mod search;
mod store;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use crate::context::Context;
use crate::crypto::sha256_hex;
use crate::error::{PalmGovError, Result};
use crate::i18n::pick;
use crate::region::RegionService;
use crate::wallet::WalletService;
use document::{ChunkRef, Guide, Index, Manifest, refused};
pub(crate) use needs::Applicant;
use records::{
    CatalogStatus, CatalogUpdate, GuideMaterial, LifeEventInfo, ServiceBrief, ServiceChannel,
    ServiceGuide, ServiceHit,
};
use search::Searcher;

/// A catalog opened: its manifest, its index and the search structures.
pub struct Catalog {
    pub(crate) manifest: Manifest,
    pub(crate) sha256: String,
    pub(crate) fetched_at_ms: i64,
    pub(crate) index: Index,
    pub(crate) searcher: Searcher,
}

impl Catalog {
    /// Builds a catalog from a manifest and its index chunk's bytes
    /// (compressed, as published), checking both.
    pub(crate) fn open(
        manifest_bytes: &[u8],
        index_chunk: &[u8],
        fetched_at_ms: i64,
    ) -> Result<Self> {
        let manifest = document::manifest(manifest_bytes)?;
        let raw = document::inflate(&manifest.chunks[0], index_chunk)?;
        let index = document::index(&raw, &manifest)?;
        let searcher = Searcher::new(&index);
        Ok(Self {
            sha256: sha256_hex(manifest_bytes),
            manifest,
            fetched_at_ms,
            index,
            searcher,
        })
    }

    fn position(&self, code: &str) -> Option<usize> {
        self.index
            .services
            .binary_search_by(|s| s.code.as_str().cmp(code))
            .ok()
    }

    fn department(&self, service: usize, language: &str) -> String {
        let entry = &self.index.services[service];
        pick(&self.index.departments[entry.department].names, language)
    }

    fn category(&self, service: usize, language: &str) -> String {
        let id = &self.index.services[service].category;
        self.index
            .categories
            .iter()
            .find(|c| &c.id == id)
            .map_or_else(|| id.clone(), |c| pick(&c.names, language))
    }

    /// Search results dressed for `language`.
    pub(crate) fn search(&self, query: &str, language: &str, limit: usize) -> Vec<ServiceHit> {
        self.searcher
            .search(query, limit)
            .into_iter()
            .map(|hit| {
                let entry = &self.index.services[hit.service];
                let name = pick(&entry.names, language);
                // A span is in the name it was found in; it is shown where
                // that is the name displayed, or a Traditional name
                // character for character the same length as the
                // Simplified one it was found in.
                let highlights = hit
                    .span
                    .filter(|(tag, _)| {
                        entry.names.get(tag) == Some(&name)
                            || (tag == "zh-Hans"
                                && entry.names.get(tag).map(|n| n.chars().count())
                                    == Some(name.chars().count())
                                && language.starts_with("zh"))
                    })
                    .map(|(_, span)| span)
                    .into_iter()
                    .collect();
                ServiceHit {
                    code: entry.code.clone(),
                    name,
                    department: self.department(hit.service, language),
                    category: self.category(hit.service, language),
                    matched: hit.kind,
                    highlights,
                    matched_term: hit.term,
                }
            })
            .collect()
    }

    fn status(&self, outdated: bool) -> CatalogStatus {
        CatalogStatus {
            region_code: self.manifest.region_code.clone(),
            version: self.manifest.version,
            services: self.index.services.len() as u32,
            life_events: self.index.life_events.len() as u32,
            manifest_sha256: self.sha256.clone(),
            fetched_at_ms: self.fetched_at_ms,
            outdated,
        }
    }

    fn brief(&self, code: &str, language: &str) -> Option<ServiceBrief> {
        let entry = &self.index.services[self.position(code)?];
        Some(ServiceBrief {
            code: entry.code.clone(),
            name: pick(&entry.names, language),
        })
    }

    pub(crate) fn life_events(&self, language: &str) -> Vec<LifeEventInfo> {
        self.index
            .life_events
            .iter()
            .map(|e| LifeEventInfo {
                id: e.id.clone(),
                name: pick(&e.names, language),
                services: e
                    .services
                    .iter()
                    .filter_map(|c| self.brief(c, language))
                    .collect(),
            })
            .collect()
    }
}

/// Where a catalog's chunks come from while it is taken.
enum Source<'a> {
    /// The backend (or the URL the profile names).
    Remote(&'a str),
    /// Chunks the shell handed over (bundled with the app), by their hashes.
    Given(Vec<(String, &'a [u8])>),
}

/// What bringing the catalog up to date did.
#[derive(Debug, Default)]
pub(crate) struct Fetched {
    /// A new catalog was taken.
    pub updated: bool,
    pub chunks_fetched: u32,
    pub bytes_fetched: u64,
}

/// The service catalog of one open core.
pub(crate) struct ServiceCatalog {
    ctx: Arc<Context>,
    region: Arc<RegionService>,
    wallet: Arc<WalletService>,
    open: Mutex<Option<Arc<Catalog>>>,
    /// The guides chunk opened last, by its place in the manifest.
    guides: Mutex<Option<(String, Arc<Vec<Guide>>)>>,
    /// One update at a time.
    updating: tokio::sync::Mutex<()>,
}

impl ServiceCatalog {
    pub(crate) fn new(
        ctx: Arc<Context>,
        region: Arc<RegionService>,
        wallet: Arc<WalletService>,
    ) -> Self {
        Self {
            ctx,
            region,
            wallet,
            open: Mutex::new(None),
            guides: Mutex::new(None),
            updating: tokio::sync::Mutex::new(()),
        }
    }

    /// The catalog in force, opened once; `None` before any was taken.
    pub(crate) fn catalog(&self) -> Result<Option<Arc<Catalog>>> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.is_none() {
            let Some((_, body, fetched_at)) = store::manifest(&self.ctx.store)? else {
                return Ok(None);
            };
            let manifest = document::manifest(&body)?;
            let chunk = store::chunk(&self.ctx.store, &manifest.chunks[0].sha256)?
                .ok_or_else(|| refused("chunk_missing"))?;
            *open = Some(Arc::new(Catalog::open(&body, &chunk, fetched_at)?));
        }
        Ok(open.clone())
    }

    /// The catalog in force, or `services.catalog_missing`.
    pub(crate) fn required(&self) -> Result<Arc<Catalog>> {
        self.catalog()?
            .ok_or_else(|| PalmGovError::CatalogMissing.into())
    }

    /// Where the profile in force publishes the catalog and the manifest
    /// hash it pins; a build without a profile takes the backend's
    /// `v1/catalog` unpinned (development and tests: chunks are still
    /// checked by their hashes, the manifest only by TLS).
    fn pin(&self) -> (String, Option<String>) {
        match self.region.active() {
            Some(active) => match &active.profile.catalog {
                Some(c) => (c.url.clone(), Some(c.manifest_sha256.clone())),
                None => ("v1/catalog".into(), None),
            },
            None => ("v1/catalog".into(), None),
        }
    }

    fn region_code(&self) -> Option<String> {
        self.region.active().map(|a| a.profile.region.code.clone())
    }

    pub(crate) fn status(&self) -> Result<Option<CatalogStatus>> {
        let (_, pin) = self.pin();
        Ok(self.catalog()?.map(|c| {
            let outdated = pin.as_ref().is_some_and(|p| *p != c.sha256);
            c.status(outdated)
        }))
    }

    /// Brings the catalog up to what the profile pins: nothing to fetch
    /// when the pinned manifest is the one in force.
    pub(crate) async fn update(&self) -> Result<CatalogUpdate> {
        let fetched = self.bring_up_to_date().await?;
        self.reported(fetched)
    }

    /// What [`Self::update`] does, without opening the catalog to report
    /// on it: for a sync run (often one the OS started, which shows
    /// nothing), where opening an unchanged catalog would build its search
    /// index (some 30 ms and megabytes) for no one.
    pub(crate) async fn bring_up_to_date(&self) -> Result<Fetched> {
        let _one = self.updating.lock().await;
        let (url, pin) = self.pin();
        let current = store::manifest(&self.ctx.store)?;
        if let (Some(pin), Some((sha, _, _))) = (&pin, &current) {
            if pin == sha {
                return Ok(Fetched::default());
            }
        }
        let base = url.trim_end_matches('/');
        let api = self.ctx.api();
        let body = api.get_bytes(&format!("{base}/manifest.json")).await?;
        if current
            .as_ref()
            .is_some_and(|(sha, _, _)| *sha == sha256_hex(&body))
        {
            return Ok(Fetched::default());
        }
        self.take(&body, pin.as_deref(), Source::Remote(base)).await
    }

    /// Takes the catalog the shell bundled: a manifest and its chunks (any
    /// order). Checked as a fetched one is, against the profile's pin.
    pub(crate) async fn install(
        &self,
        manifest: &[u8],
        chunks: &[Vec<u8>],
    ) -> Result<CatalogUpdate> {
        let _one = self.updating.lock().await;
        let (_, pin) = self.pin();
        let given = chunks
            .iter()
            .map(|c| (sha256_hex(c), c.as_slice()))
            .collect();
        let fetched = self
            .take(manifest, pin.as_deref(), Source::Given(given))
            .await?;
        self.reported(fetched)
    }

    /// An update's report, with the status of the catalog in force.
    fn reported(&self, fetched: Fetched) -> Result<CatalogUpdate> {
        Ok(CatalogUpdate {
            updated: fetched.updated,
            chunks_fetched: fetched.chunks_fetched,
            bytes_fetched: fetched.bytes_fetched,
            status: self.status()?,
        })
    }

    async fn take(&self, body: &[u8], pin: Option<&str>, source: Source<'_>) -> Result<Fetched> {
        let sha = sha256_hex(body);
        if pin.is_some_and(|p| p != sha) {
            return Err(refused("manifest_pin"));
        }
        let manifest = document::manifest(body)?;
        if self
            .region_code()
            .is_some_and(|c| c != manifest.region_code)
        {
            return Err(refused("manifest_region"));
        }
        // Unpinned, a lower version than the one in force is a rollback.
        if pin.is_none() {
            if let Some(current) = self.catalog()? {
                if manifest.version < current.manifest.version {
                    return Err(refused("manifest_rollback"));
                }
            }
        }
        // Fetch what the phone lacks; keep the rest where it is.
        let mut fetched = Vec::new();
        let (mut bytes_fetched, mut chunks_fetched) = (0u64, 0u32);
        for chunk in &manifest.chunks {
            if !store::has_chunk(&self.ctx.store, &chunk.sha256)? {
                let bytes = self.chunk_from(&source, chunk).await?;
                if matches!(source, Source::Remote(_)) {
                    bytes_fetched += bytes.len() as u64;
                    chunks_fetched += 1;
                }
                fetched.push((chunk.sha256.clone(), bytes));
            }
        }
        // Every chunk is checked whole before the catalog is taken: about
        // 100 ms of inflating and parsing once per new catalog, on the
        // blocking pool so the runtime's other work goes on.
        let ctx = self.ctx.clone();
        let body = body.to_vec();
        let catalog = crate::runtime::run_blocking(move || {
            let mut index_chunk = None;
            for chunk in &manifest.chunks {
                let bytes: Cow<'_, [u8]> = match fetched.iter().find(|(h, _)| *h == chunk.sha256) {
                    Some((_, bytes)) => Cow::Borrowed(bytes),
                    None => Cow::Owned(
                        store::chunk(&ctx.store, &chunk.sha256)?
                            .ok_or_else(|| refused("chunk_missing"))?,
                    ),
                };
                let raw = document::inflate(chunk, &bytes)?;
                if chunk.kind == document::ChunkKind::Guides {
                    document::guides(&raw)?;
                } else {
                    index_chunk = Some(bytes);
                }
            }
            let now = crate::clock::unix_ms(ctx.clock().now());
            let index_chunk = index_chunk.ok_or_else(|| refused("manifest_chunks"))?;
            let catalog = Catalog::open(&body, &index_chunk, now)?;
            let listed: Vec<&str> = manifest.chunks.iter().map(|c| c.sha256.as_str()).collect();
            store::commit(&ctx.store, &sha, &body, &listed, &fetched, now)?;
            Ok(catalog)
        })
        .await?;
        *self.open.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(catalog));
        *self.guides.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(Fetched {
            updated: true,
            chunks_fetched,
            bytes_fetched,
        })
    }

    async fn chunk_from(&self, source: &Source<'_>, chunk: &ChunkRef) -> Result<Vec<u8>> {
        match source {
            Source::Remote(base) => {
                self.ctx
                    .api()
                    .get_bytes(&format!("{base}/chunks/{}.zlib", chunk.sha256))
                    .await
            }
            Source::Given(chunks) => chunks
                .iter()
                .find(|(hash, _)| *hash == chunk.sha256)
                .map(|(_, bytes)| bytes.to_vec())
                .ok_or_else(|| refused("chunk_missing")),
        }
    }

    /// The guide of the service at `position`, its chunk opened once.
    fn guide(&self, catalog: &Catalog, position: usize) -> Result<Guide> {
        let entry = &catalog.index.services[position];
        let chunk = &catalog.manifest.chunks[entry.guide];
        let cached = self
            .guides
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let guides = match cached {
            Some((sha, guides)) if sha == chunk.sha256 => guides,
            _ => {
                let bytes = store::chunk(&self.ctx.store, &chunk.sha256)?
                    .ok_or_else(|| refused("chunk_missing"))?;
                let guides = Arc::new(document::guides(&document::inflate(chunk, &bytes)?)?);
                *self.guides.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some((chunk.sha256.clone(), guides.clone()));
                guides
            }
        };
        guides
            .binary_search_by(|g| g.code.as_str().cmp(&entry.code))
            .map(|i| guides[i].clone())
            .map_err(|_| refused("guide_missing"))
    }

    pub(crate) fn search(
        &self,
        query: &str,
        language: &str,
        limit: u32,
    ) -> Result<Vec<ServiceHit>> {
        Ok(self
            .required()?
            .search(query, language, limit.min(200) as usize))
    }

    pub(crate) fn show(&self, code: &str, language: &str) -> Result<ServiceGuide> {
        let catalog = self.required()?;
        let position = catalog.position(code).ok_or(PalmGovError::NotFound)?;
        let guide = self.guide(&catalog, position)?;
        let entry = &catalog.index.services[position];
        Ok(ServiceGuide {
            code: entry.code.clone(),
            name: pick(&entry.names, language),
            department: catalog.department(position, language),
            category: catalog.category(position, language),
            keywords: entry.keywords.clone(),
            materials: guide
                .materials
                .iter()
                .map(|m| material(m, language))
                .collect(),
            time_limit_days: guide.time_limit_days,
            fee_fen: guide.fee_fen,
            channels: guide
                .channels
                .iter()
                .map(|c| match c.as_str() {
                    "online" => ServiceChannel::Online,
                    "counter" => ServiceChannel::Counter,
                    _ => ServiceChannel::GridWorker,
                })
                .collect(),
            counter: (!guide.counter.is_empty()).then(|| pick(&guide.counter, language)),
            form_id: guide.form.as_ref().map(|f| f.0.clone()),
            form_version: guide.form.as_ref().map(|f| f.1),
            life_events: catalog
                .index
                .life_events
                .iter()
                .filter(|e| e.services.iter().any(|c| c == code))
                .map(|e| pick(&e.names, language))
                .collect(),
        })
    }

    pub(crate) fn life_events(&self, language: &str) -> Result<Vec<LifeEventInfo>> {
        Ok(self.required()?.life_events(language))
    }
}

fn material(m: &document::Material, language: &str) -> GuideMaterial {
    GuideMaterial {
        name: pick(&m.names, language),
        licence_type: m.licence.clone(),
        answered_by_form: m.form,
        photo_accepted: m.photo,
        original_required: m.original,
        copies: m.copies,
    }
}

/// The fuzz target's entry (`fuzz/fuzz_targets/service_catalog.rs`): `data`
/// is a manifest, a NUL, then a chunk taken as its index, and again as a
/// guides chunk's inflated JSON. Never panics; everything is refused or
/// read, and a read catalog is searched.
#[doc(hidden)]
pub fn fuzz(data: &[u8]) {
    let (manifest, chunk) = match data.iter().position(|b| *b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    if let Ok(catalog) = Catalog::open(manifest, chunk, 0) {
        for query in ["身份证", "sfz", "低保", "a", "證"] {
            let _ = catalog.search(query, "zh-Hans", 10);
        }
        let _ = catalog.life_events("ug");
    }
    let _ = document::guides(chunk);
    let _ = document::index(
        chunk,
        &Manifest {
            region_code: "330106".into(),
            version: 1,
            languages: vec!["zh-Hans".into()],
            chunks: Vec::new(),
        },
    );
}
