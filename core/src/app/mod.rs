//! The open core: the context, every capability service built in the
//! declared order, and the coordinators for what spans capabilities.
//!
//! The order is the dependency order: a capability may use only those
//! declared before it, and is handed exactly those in its constructor,
//! so its dependencies are written in one place ([`CAPABILITIES`] is what
//! the architecture test in `scripts/test` checks the imports against).
//! Where a lower capability needs something of a higher one, the lower
//! one defines a narrow trait the higher implements: the sync run sends
//! anything [`crate::delivery::Deliverable`], and drafts and the outbox
//! ask the wallet through [`crate::forms::material::LicenceWallet`],
//! handed over once the wallet is built.
//!
//! Coordinators: [`lock`] (the app lock), [`accounts`] (sign-out and
//! account switching), [`sync`] (one sync run), [`material`] (a shown
//! licence code filling a resident's form).

pub(crate) mod accounts;
pub(crate) mod lock;
pub(crate) mod material;
pub(crate) mod switch;
pub(crate) mod sync;

use std::path::PathBuf;
use std::sync::Arc;

use crate::catalog::CatalogService;
use crate::clock::Clock;
use crate::config::{IdentityConfig, RegionTrust, ServerConfig, WalletConfig};
use crate::context::Context;
use crate::drafts::DraftsService;
use crate::error::Result;
use crate::faceauth::FaceService;
use crate::forms::material::{LicenceWallet, WalletSlot};
use crate::hooks::{AppLock, Keystore};
use crate::identity::IdentityService;
use crate::media::MediaService;
use crate::outbox::OutboxService;
use crate::region::RegionService;
use crate::reminders::RemindersService;
use crate::roster::RosterService;
use crate::services::ServiceCatalog;
use crate::shell_store::ShellStoreService;
use crate::store::Store;
use crate::wallet::WalletService;

/// The capabilities, lowest first. A capability's module may import only
/// those before it (and the infrastructure below them all). The
/// architecture test in `scripts/test` reads this list.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const CAPABILITIES: &[(&str, &str)] = &[
    ("region", "RegionService"),
    ("shell_store", "ShellStoreService"),
    ("identity", "IdentityService"),
    ("faceauth", "FaceService"),
    ("catalog", "CatalogService"),
    ("media", "MediaService"),
    ("roster", "RosterService"),
    ("outbox", "OutboxService"),
    ("drafts", "DraftsService"),
    ("wallet", "WalletService"),
    ("services", "ServiceCatalog"),
    ("reminders", "RemindersService"),
];

/// Everything an open core holds. Closing drops it; calls that already
/// hold an `Arc<App>` finish first.
pub(crate) struct App {
    pub(crate) ctx: Arc<Context>,
    pub(crate) lock: lock::AppLockState,
    pub(crate) region: Arc<RegionService>,
    pub(crate) shell_store: Arc<ShellStoreService>,
    pub(crate) identity: Arc<IdentityService>,
    pub(crate) face: Arc<FaceService>,
    pub(crate) catalog: Arc<CatalogService>,
    pub(crate) roster: Arc<RosterService>,
    pub(crate) outbox: Arc<OutboxService>,
    pub(crate) drafts: Arc<DraftsService>,
    pub(crate) wallet: Arc<WalletService>,
    pub(crate) services: Arc<ServiceCatalog>,
    pub(crate) reminders: Arc<RemindersService>,
    pub(crate) sync: sync::SyncRunner,
}

/// What the shell configured, as the open core takes it.
pub(crate) struct Settings {
    pub(crate) server: ServerConfig,
    pub(crate) identity: Option<IdentityConfig>,
    pub(crate) wallet: Option<WalletConfig>,
    pub(crate) lock_timeout_secs: u32,
    /// The build's pins for a signed region profile: when given, the
    /// profile in force decides the backend, the provider and the licence
    /// trust roots instead of the three settings above.
    pub(crate) region: Option<RegionTrust>,
}

impl App {
    /// Opens the store in `data_dir` and builds every capability over it.
    /// No network I/O.
    pub(crate) fn open(
        data_dir: &str,
        settings: Settings,
        keystore: Arc<dyn Keystore>,
        app_lock: Arc<dyn AppLock>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self> {
        let Settings {
            mut server,
            mut identity,
            mut wallet,
            lock_timeout_secs,
            region,
        } = settings;
        let store = Arc::new(Store::open(&PathBuf::from(data_dir), &keystore)?);
        // The signed profile in force decides where everything is: checked
        // here, once, by its stored digest (or verified, the first time a
        // build runs).
        let active = match &region {
            None => None,
            Some(trust) => {
                let now = crate::clock::unix_secs(clock.now());
                let active = crate::region::signed::in_force(&store, trust, now)?;
                server = active.profile.server_config()?;
                identity = active.profile.identity_config();
                let (trust_roots, trust_threshold) = active.profile.licence_roots()?;
                let shell = wallet.take();
                wallet = Some(WalletConfig {
                    trust_roots,
                    trust_threshold,
                    bundled_trust_list: shell.as_ref().and_then(|w| w.bundled_trust_list.clone()),
                    status_max_age_secs: shell.map_or(3 * 24 * 3600, |w| w.status_max_age_secs),
                });
                Some(active)
            }
        };
        let lock = lock::AppLockState::new(app_lock, clock.clone(), lock_timeout_secs);
        let ctx = Arc::new(Context::new(store, keystore, clock, server, identity)?);
        let region = Arc::new(RegionService::new(ctx.clone(), region, active));
        let shell_store = Arc::new(ShellStoreService::new(ctx.clone()));
        let identity = IdentityService::new(ctx.clone())?;
        let face = Arc::new(FaceService::new(ctx.clone(), identity.clone()));
        let catalog = Arc::new(CatalogService::new(ctx.clone()));
        let media = Arc::new(MediaService::new(ctx.clone()));
        // Raw camera captures (with EXIF, GPS) and sealed photos a crash
        // left behind; captures still waiting for their ingest stay.
        media.clean_leftovers()?;
        let roster = Arc::new(RosterService::new(ctx.clone(), identity.clone()));
        // Filled in once the wallet, declared last, is built.
        let wallet_slot = Arc::new(WalletSlot::default());
        let outbox = Arc::new(OutboxService::new(
            ctx.clone(),
            identity.clone(),
            media.clone(),
            wallet_slot.clone(),
        ));
        let drafts = Arc::new(DraftsService::new(
            ctx.clone(),
            identity.clone(),
            catalog.clone(),
            media.clone(),
            roster.clone(),
            outbox.clone(),
            wallet_slot.clone(),
        ));
        let wallet = Arc::new(WalletService::new(ctx.clone(), identity.clone(), wallet));
        let as_material: Arc<dyn LicenceWallet> = wallet.clone();
        wallet_slot.set(Arc::downgrade(&as_material));
        let services = Arc::new(ServiceCatalog::new(
            ctx.clone(),
            region.clone(),
            wallet.clone(),
        ));
        let reminders = Arc::new(RemindersService::new(
            ctx.clone(),
            region.clone(),
            outbox.clone(),
            wallet.clone(),
        ));
        Ok(Self {
            lock,
            ctx,
            region,
            shell_store,
            identity,
            face,
            catalog,
            roster,
            outbox,
            drafts,
            wallet,
            services,
            reminders,
            sync: sync::SyncRunner::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    /// Every declared capability is a module of the core, in the order the
    /// open core builds them.
    #[test]
    fn capabilities_are_modules_built_in_order() {
        let src = include_str!("mod.rs");
        let open = &src[src.find("pub(crate) fn open(").unwrap()..];
        let mut at = 0;
        for (name, service) in super::CAPABILITIES {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/");
            assert!(
                std::path::Path::new(&format!("{dir}{name}")).is_dir()
                    || std::path::Path::new(&format!("{dir}{name}.rs")).is_file(),
                "{name} is no module"
            );
            let built = open
                .find(&format!("{service}::new("))
                .unwrap_or_else(|| panic!("{service} is not built"));
            assert!(
                built >= at,
                "{service} is built before a capability declared before it"
            );
            at = built;
        }
    }
}
