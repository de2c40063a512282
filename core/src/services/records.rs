//! What the service catalog tells the shells: every text already in the
//! language asked for.

use super::search::{MatchKind, TextSpan};

/// The catalog on the phone.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CatalogStatus {
    pub region_code: String,
    pub version: u64,
    pub services: u32,
    pub life_events: u32,
    /// Hex SHA-256 of its manifest (what the region profile pins).
    pub manifest_sha256: String,
    /// When it was taken, ms since 1970.
    pub fetched_at_ms: i64,
    /// The profile in force pins another catalog, not fetched yet.
    pub outdated: bool,
}

/// What a catalog update did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CatalogUpdate {
    /// A new catalog was taken.
    pub updated: bool,
    /// Chunks fetched over the network; the others were already on the
    /// phone (or came with the app).
    pub chunks_fetched: u32,
    pub bytes_fetched: u64,
    pub status: Option<CatalogStatus>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServiceHit {
    pub code: String,
    /// The name in the language asked for (or the nearest published).
    pub name: String,
    pub department: String,
    pub category: String,
    pub matched: MatchKind,
    /// The runs of `name` that matched, for highlighting; empty when the
    /// match was elsewhere (a keyword, a name in another language).
    pub highlights: Vec<TextSpan>,
    /// The official term an everyday word stood for, or the keyword that
    /// matched.
    pub matched_term: Option<String>,
}

/// How a service is applied for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ServiceChannel {
    Online,
    Counter,
    /// Through the village's grid worker (网格员), on a household visit.
    GridWorker,
}

/// A required material (申请材料) as the guide lists it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GuideMaterial {
    pub name: String,
    /// The wallet registry's licence type that can serve as it.
    pub licence_type: Option<String>,
    /// The service's form answers it.
    pub answered_by_form: bool,
    /// A photo or scan is accepted.
    pub photo_accepted: bool,
    /// The original must be shown.
    pub original_required: bool,
    pub copies: u32,
}

/// A service's guide (办事指南).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServiceGuide {
    pub code: String,
    pub name: String,
    pub department: String,
    pub category: String,
    pub keywords: Vec<String>,
    pub materials: Vec<GuideMaterial>,
    /// The promised time limit, in working days (承诺办结时限); 0 when it is
    /// done on the spot.
    pub time_limit_days: u32,
    /// The fee in fen; 0 is free.
    pub fee_fen: u64,
    pub channels: Vec<ServiceChannel>,
    /// Where the counter is, when there is one.
    pub counter: Option<String>,
    /// The form that starts it online.
    pub form_id: Option<String>,
    pub form_version: Option<u32>,
    /// The life events it belongs to, by name.
    pub life_events: Vec<String>,
}

/// A service in a list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServiceBrief {
    pub code: String,
    pub name: String,
}

/// A life event (一件事一次办) and its services, in order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LifeEventInfo {
    pub id: String,
    pub name: String,
    pub services: Vec<ServiceBrief>,
}

/// Where a material will come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum MaterialSource {
    /// A licence in the person's own wallet serves (their own application).
    InWallet,
    /// The resident showed the licence by code during this visit.
    ShownOnVisit,
    /// The service's form asks for it.
    AnsweredByForm,
    /// Take a photo or a scan.
    Photograph,
    /// Bring it (the original, or paper copies).
    Bring,
}

/// One material and where it will come from.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MaterialNeed {
    pub material: GuideMaterial,
    pub source: MaterialSource,
}

/// "What do I still need?" for one service.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServiceNeeds {
    pub code: String,
    pub name: String,
    pub materials: Vec<MaterialNeed>,
    /// Materials nobody has to bring or photograph.
    pub covered: u32,
    /// Materials to bring or photograph.
    pub outstanding: u32,
}
