//! The app lock as a type: every capability call that returns or changes
//! personal data takes an [`Unlocked`], and only [`Gate::pass`] makes one.
//! So the compiler, not a reviewer, says which calls need the lock: a
//! handle that forgets to ask the gate does not build.
//!
//! An `Unlocked` is minted for one call. It is neither `Clone` nor `Copy`,
//! it is not a UniFFI type (so it never crosses to Kotlin or Swift), and
//! nothing stores it.
//!
//! The gate holds only whether the lock was passed. Prompting the person
//! (the shell's hook) is the app-lock coordinator's work
//! (`app::lock`); the gate is below the capabilities so they can name the
//! token in their signatures.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{PalmGovError, Result};

/// Proof that the app lock was passed, for one call.
#[derive(Debug)]
pub(crate) struct Unlocked {
    _private: (),
}

/// Whether the app lock is passed now.
#[derive(Default)]
pub(crate) struct Gate {
    open: AtomicBool,
}

impl Gate {
    /// An `Unlocked` for one call, or `Locked`. There is no way around
    /// it: a phone with no screen lock gets the app PIN instead
    /// (`app::lock`).
    pub(crate) fn pass(&self) -> Result<Unlocked> {
        if self.open.load(Ordering::SeqCst) {
            Ok(Unlocked { _private: () })
        } else {
            Err(PalmGovError::Locked.into())
        }
    }

    pub(crate) fn is_open(&self) -> bool {
        self.open.load(Ordering::SeqCst)
    }

    /// The lock was passed.
    pub(crate) fn open(&self) {
        self.open.store(true, Ordering::SeqCst);
    }

    /// The app locked again (background, timeout, the person's choice).
    pub(crate) fn close(&self) {
        self.open.store(false, Ordering::SeqCst);
    }
}

/// Personal data fetched by work that may run while the app is locked (a
/// refresh the OS started): how much there is may be told, what it is
/// only behind the lock.
#[derive(Debug)]
pub(crate) struct Withheld<T>(Vec<T>);

impl<T> Withheld<T> {
    pub(crate) fn new(items: Vec<T>) -> Self {
        Self(items)
    }

    /// How many there are.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The items, for a call that passed the lock.
    pub(crate) fn open(self, _: &Unlocked) -> Vec<T> {
        self.0
    }
}
