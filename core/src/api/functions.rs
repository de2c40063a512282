//! The exported free functions: defaults for the records a shell builds,
//! the validators as the person types, and errors as codes and sentences.

use crate::config::{self, IdentityConfig, ServerConfig};
use crate::error::PalmGovError;
use crate::forms::validators::{self, CheckKind, CheckOutcome};

/// A [`ServerConfig`] with the defaults the core is tuned for: 10 s to
/// connect, 30 s per request, 3 attempts.
#[uniffi::export]
pub fn default_server_config(base_url: String) -> ServerConfig {
    config::default_server_config(base_url)
}

/// The identity defaults: scopes `openid profile offline_access`, levels
/// `urn:palmgov:loa:2`…`5`, 7 days offline, DPoP on, 120 s skew.
#[uniffi::export]
pub fn default_identity_config(
    issuer: String,
    client_id: String,
    redirect_uri: String,
) -> IdentityConfig {
    config::default_identity_config(issuer, client_id, redirect_uri)
}

/// Checks `value` as `kind`, the same way the forms engine does. Cheap and
/// offline, so shells may call it as the person types.
#[uniffi::export]
pub fn check_value(kind: CheckKind, value: String) -> CheckOutcome {
    validators::check_value(kind, value)
}

/// The stable code of an error, such as `storage.wrong_key`, for the
/// shells to key translations and support searches on (UniFFI cannot
/// export methods on error enums to every language yet).
#[uniffi::export]
pub fn error_code(error: &PalmGovError) -> String {
    error.code().to_string()
}

/// A public error as a sentence in `language` (zh-Hans, zh-Hant, ug, en;
/// BCP 47 tags such as `zh-CN` are accepted), from the core's catalogs.
#[uniffi::export]
pub fn error_message(error: &PalmGovError, language: String) -> String {
    crate::i18n::error_message(error, &language)
}

/// How an error should be reported: `Expected` ones are shown and never
/// sent to a crash reporter; `Critical` ones are reported (by code).
#[uniffi::export]
pub fn error_category(error: &PalmGovError) -> crate::error::ErrorCategory {
    error.category()
}

/// Whether `language` (a BCP 47 tag such as `ug-CN`) is laid out right to
/// left, so a shell can mirror its layout the way the core's messages are
/// written. Uyghur is; Chinese and English are not.
#[uniffi::export]
pub fn is_rtl(language: String) -> bool {
    crate::i18n::is_rtl(&language)
}
