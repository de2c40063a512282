//! The context every capability works in: the store, the API client for
//! the configuration in force, the clock, the keystore hook and whose work
//! it is now. It holds no capability's state, so any capability may take
//! it without learning anything about another.
//!
//! The configuration is reloadable: [`Context::reload`] swaps the backend
//! (its base URL, roots and pins) and the identity provider of an open
//! core, and the next call goes to the new one. A call that is already
//! running keeps the client it started with, so it finishes or fails as
//! one piece.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::clock::Clock;
use crate::config::{IdentityConfig, ServerConfig, check_identity};
use crate::error::{PalmGovError, Result};
use crate::hooks::Keystore;
use crate::net::ApiClient;
use crate::net::retry::TokioSleeper;
use crate::store::Store;

/// The owner of work done while the core runs without an identity
/// provider (the CLI's offline commands, the tests and benchmarks).
pub(crate) const DEVICE_OWNER: &str = "device";

/// One configuration in force, and the client built from it.
pub(crate) struct Config {
    /// Rises with every reload, so a capability that caches something
    /// derived from the configuration (the provider's discovery document)
    /// knows when to drop it.
    pub(crate) generation: u64,
    pub(crate) identity: Option<IdentityConfig>,
    /// What the API client was built from, to tell whether a new profile
    /// changes it.
    pub(crate) server: ServerConfig,
    pub(crate) api: Arc<ApiClient>,
}

pub(crate) struct Context {
    pub(crate) store: Arc<Store>,
    keystore: Arc<dyn Keystore>,
    clock: Arc<dyn Clock>,
    config: RwLock<Arc<Config>>,
    generations: AtomicU64,
    /// The signed-in account whose drafts, queue and roster calls act on;
    /// set by the identity capability at open and at every sign-in,
    /// switch and sign-out.
    owner: RwLock<Option<String>>,
}

impl Context {
    pub(crate) fn new(
        store: Arc<Store>,
        keystore: Arc<dyn Keystore>,
        clock: Arc<dyn Clock>,
        server: ServerConfig,
        identity: Option<IdentityConfig>,
    ) -> Result<Self> {
        let config = build(0, &clock, server, identity)?;
        Ok(Self {
            store,
            keystore,
            clock,
            config: RwLock::new(Arc::new(config)),
            generations: AtomicU64::new(0),
            owner: RwLock::new(None),
        })
    }

    /// The configuration in force. Hold the returned value for the length
    /// of one operation, so it talks to one backend throughout.
    pub(crate) fn config(&self) -> Arc<Config> {
        self.config
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The API client of the configuration in force.
    pub(crate) fn api(&self) -> Arc<ApiClient> {
        self.config().api.clone()
    }

    /// Makes `server` and `identity` the configuration in force. Checked
    /// first: on any error the configuration stays as it was.
    pub(crate) fn reload(
        &self,
        server: ServerConfig,
        identity: Option<IdentityConfig>,
    ) -> Result<()> {
        let generation = self.generations.fetch_add(1, Ordering::SeqCst) + 1;
        let config = build(generation, &self.clock, server, identity)?;
        *self.config.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(config);
        tracing::info!(generation, "configuration reloaded");
        Ok(())
    }

    pub(crate) fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub(crate) fn keystore(&self) -> &Arc<dyn Keystore> {
        &self.keystore
    }

    /// Whose work calls act on: the signed-in account, or [`DEVICE_OWNER`]
    /// when no identity provider is configured. `SignInRequired` when one
    /// is and nobody is signed in.
    pub(crate) fn owner(&self) -> Result<String> {
        if self.config().identity.is_none() {
            return Ok(DEVICE_OWNER.into());
        }
        self.current_account()
            .ok_or_else(|| PalmGovError::SignInRequired.into())
    }

    /// The signed-in account, if any, whatever the configuration.
    pub(crate) fn current_account(&self) -> Option<String> {
        self.owner.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Records who is signed in now (the identity capability's call).
    pub(crate) fn set_current_account(&self, account: Option<String>) {
        *self.owner.write().unwrap_or_else(|e| e.into_inner()) = account;
    }
}

#[cfg(test)]
impl Context {
    /// A context over a fresh store in `dir`, with software hooks, a
    /// backend nobody listens on and `identity`.
    pub(crate) fn for_tests(
        dir: &std::path::Path,
        keystore: Arc<dyn Keystore>,
        identity: Option<IdentityConfig>,
    ) -> Arc<Self> {
        let store = Arc::new(Store::open(dir, &keystore).unwrap());
        let server = crate::config::default_server_config("http://127.0.0.1:9/".into());
        Arc::new(
            Self::new(
                store,
                keystore,
                Arc::new(crate::clock::SystemClock),
                server,
                identity,
            )
            .unwrap(),
        )
    }
}

fn build(
    generation: u64,
    clock: &Arc<dyn Clock>,
    server: ServerConfig,
    identity: Option<IdentityConfig>,
) -> Result<Config> {
    if let Some(identity) = &identity {
        check_identity(identity)?;
    }
    let api = ApiClient::new(&server, Arc::new(TokioSleeper), clock.clone())?;
    Ok(Config {
        generation,
        identity,
        server,
        api: Arc::new(api),
    })
}
