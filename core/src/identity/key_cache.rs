//! A cached key set (the provider's JWKS, the backend's face verdict keys)
//! that expires: a key the issuer withdraws stops being trusted within the
//! age its server allows (`Cache-Control: max-age`, RFC 9111), never more
//! than [`MAX_AGE`]. A token naming a key the cache lacks still refetches at
//! once (the issuer rotated), as before.
//!
//! Ages run on the boot clock, so setting the phone's clock neither keeps a
//! withdrawn key alive nor throws a fresh one away.

use std::sync::Mutex;
use std::time::Duration;

use reqwest::header::{CACHE_CONTROL, HeaderMap};

use super::jose::JwkSet;
use crate::clock::Clock;

/// The longest a key set is trusted without asking again, whatever its
/// server says: an hour bounds how long a withdrawn key still verifies.
pub(crate) const MAX_AGE: Duration = Duration::from_secs(3600);
/// The age of a key set whose server says nothing about caching.
pub(crate) const DEFAULT_AGE: Duration = Duration::from_secs(15 * 60);

/// How long a reply's key set may be used, from its headers:
/// `no-store`/`no-cache` mean not past this use, `max-age` is honoured up to
/// [`MAX_AGE`], and no caching header means [`DEFAULT_AGE`]. Parsed here
/// because only these two directives matter for a key set and a full HTTP
/// cache (such as `http-cache-semantics`) would bring a store we do not want.
pub(crate) fn max_age(headers: &HeaderMap) -> Duration {
    let mut age = None;
    for value in headers.get_all(CACHE_CONTROL) {
        let Ok(value) = value.to_str() else {
            return Duration::ZERO;
        };
        for directive in value.split(',').map(|d| d.trim().to_ascii_lowercase()) {
            if directive == "no-store" || directive == "no-cache" {
                return Duration::ZERO;
            }
            if let Some(secs) = directive.strip_prefix("max-age=") {
                // A malformed max-age is stale (RFC 9111 section 4.2.1).
                let secs = secs.trim_matches('"').parse::<u64>().unwrap_or(0);
                age = Some(age.map_or(secs, |a: u64| a.min(secs)));
            }
        }
    }
    age.map_or(DEFAULT_AGE, |secs| Duration::from_secs(secs).min(MAX_AGE))
}

/// One key set and when it stops being fresh, on the boot clock.
#[derive(Default)]
pub(crate) struct KeyCache {
    slot: Mutex<Option<(JwkSet, Duration)>>,
}

impl KeyCache {
    /// The cached keys while they are fresh.
    pub(crate) fn fresh(&self, clock: &dyn Clock) -> Option<JwkSet> {
        let slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        let (keys, until) = slot.as_ref()?;
        (clock.since_boot() < *until).then(|| keys.clone())
    }

    /// Keeps `keys`, fetched now with `headers`, for as long as they allow.
    pub(crate) fn store(&self, clock: &dyn Clock, keys: &JwkSet, headers: &HeaderMap) {
        let until = clock.since_boot() + max_age(headers);
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = Some((keys.clone(), until));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::SystemTime;

    fn headers(cache_control: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in cache_control {
            map.append(CACHE_CONTROL, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn the_servers_caching_headers_set_the_age_within_a_cap() {
        assert_eq!(max_age(&headers(&[])), DEFAULT_AGE);
        assert_eq!(
            max_age(&headers(&["public, max-age=300"])),
            Duration::from_secs(300)
        );
        assert_eq!(max_age(&headers(&["max-age=86400"])), MAX_AGE);
        assert_eq!(
            max_age(&headers(&["max-age=600", "no-store"])),
            Duration::ZERO
        );
        assert_eq!(max_age(&headers(&["no-cache"])), Duration::ZERO);
        assert_eq!(max_age(&headers(&["max-age=soon"])), Duration::ZERO);
        assert_eq!(
            max_age(&headers(&["max-age=900, s-maxage=60", "max-age=120"])),
            Duration::from_secs(120)
        );
    }

    /// A boot clock the test moves.
    #[derive(Default)]
    struct Booted(AtomicU64);
    impl Clock for Booted {
        fn now(&self) -> SystemTime {
            SystemTime::now()
        }
        fn since_boot(&self) -> Duration {
            Duration::from_secs(self.0.load(Ordering::SeqCst))
        }
    }

    #[test]
    fn keys_expire_on_the_boot_clock() {
        let clock = Booted::default();
        let cache = KeyCache::default();
        assert!(cache.fresh(&clock).is_none());
        let keys: JwkSet = serde_json::from_str(r#"{"keys": []}"#).unwrap();
        cache.store(&clock, &keys, &headers(&["max-age=60"]));
        clock.0.store(59, Ordering::SeqCst);
        assert!(cache.fresh(&clock).is_some());
        clock.0.store(60, Ordering::SeqCst);
        assert!(
            cache.fresh(&clock).is_none(),
            "a withdrawn key goes with the age"
        );
        cache.store(&clock, &keys, &headers(&["no-store"]));
        assert!(cache.fresh(&clock).is_none());
    }
}
