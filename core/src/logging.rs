//! Forwards the core's `tracing` events to the shell's [`LogSink`].
//!
//! One subscriber is installed process-wide on first open; the sink behind
//! it is swapped on every open, so the last opened core's sink wins. Events
//! below the configured level are filtered before any formatting.
//!
//! Only palmgov's own events are forwarded by default: the core promises
//! its messages carry no personal data, and it cannot promise that for its
//! dependencies (an HTTP library's debug line may hold a URL or a header).
//! A developer chasing a TLS or network problem may ask for them too
//! (`PalmGovConfig.log_dependencies`).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Once, RwLock};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

use crate::hooks::{LogLevel, LogRecord, LogSink};

static SINK: RwLock<Option<Arc<dyn LogSink>>> = RwLock::new(None);
static MAX_LEVEL: AtomicU8 = AtomicU8::new(level_rank(LogLevel::Info));
static DEPENDENCIES: AtomicBool = AtomicBool::new(false);
static INSTALL: Once = Once::new();

/// The `tracing` target prefix of the core's own events (its crate name).
const OWN_TARGET: &str = "palmgov";

/// Points the core's logs at `sink` (or nowhere) from now on; with
/// `dependencies`, other crates' events go there too.
pub(crate) fn install(sink: Option<Arc<dyn LogSink>>, max_level: LogLevel, dependencies: bool) {
    MAX_LEVEL.store(level_rank(max_level), Ordering::Relaxed);
    DEPENDENCIES.store(dependencies, Ordering::Relaxed);
    if let Ok(mut current) = SINK.write() {
        *current = sink;
    }
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::registry().with(Forward);
        // An app (or the CLI) may already have a global subscriber; then our
        // events go to it instead, which is what that app asked for.
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

const fn level_rank(level: LogLevel) -> u8 {
    match level {
        LogLevel::Error => 0,
        LogLevel::Warn => 1,
        LogLevel::Info => 2,
        LogLevel::Debug => 3,
        LogLevel::Trace => 4,
    }
}

fn to_log_level(level: &Level) -> LogLevel {
    match *level {
        Level::ERROR => LogLevel::Error,
        Level::WARN => LogLevel::Warn,
        Level::INFO => LogLevel::Info,
        Level::DEBUG => LogLevel::Debug,
        _ => LogLevel::Trace,
    }
}

struct Forward;

impl<S: Subscriber> Layer<S> for Forward {
    fn enabled(&self, metadata: &Metadata<'_>, _: Context<'_, S>) -> bool {
        level_rank(to_log_level(metadata.level())) <= MAX_LEVEL.load(Ordering::Relaxed)
            && (is_own(metadata.target()) || DEPENDENCIES.load(Ordering::Relaxed))
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let Some(sink) = SINK.read().ok().and_then(|s| s.clone()) else {
            return;
        };
        let mut message = MessageVisitor(String::new());
        event.record(&mut message);
        sink.log(LogRecord {
            level: to_log_level(event.metadata().level()),
            target: event.metadata().target().to_string(),
            message: message.0,
        });
    }
}

/// Whether an event's target is the core itself (`palmgov` or a module of
/// it), not a dependency such as `palmgov_media`'s or `rustls`'s.
fn is_own(target: &str) -> bool {
    target == OWN_TARGET || target.starts_with("palmgov::")
}

/// Renders `message` first, then `key=value` for every other field.
struct MessageVisitor(String);

impl Visit for MessageVisitor {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let rest = std::mem::take(&mut self.0);
            let _ = write!(self.0, "{value:?}");
            if !rest.is_empty() {
                self.0.push(' ');
                self.0.push_str(&rest);
            }
        } else {
            if !self.0.is_empty() {
                self.0.push(' ');
            }
            let _ = write!(self.0, "{}={value:?}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_cores_own_targets_are_its_own() {
        assert!(super::is_own("palmgov"));
        assert!(super::is_own("palmgov::store"));
        assert!(!super::is_own("palmgov_media"));
        assert!(!super::is_own("rustls::client"));
        assert!(!super::is_own("hyper_util::client"));
    }
}
