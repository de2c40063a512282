//! Forwards the core's `tracing` events to the shell's [`LogSink`].
//!
//! One subscriber is installed process-wide on first open; the sink behind
//! it is swapped on every open, so the last opened core's sink wins. Events
//! below the configured level are filtered before any formatting.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Once, RwLock};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

use crate::hooks::{LogLevel, LogRecord, LogSink};

static SINK: RwLock<Option<Arc<dyn LogSink>>> = RwLock::new(None);
static MAX_LEVEL: AtomicU8 = AtomicU8::new(level_rank(LogLevel::Info));
static INSTALL: Once = Once::new();

/// Points the core's logs at `sink` (or nowhere) from now on.
pub(crate) fn install(sink: Option<Arc<dyn LogSink>>, max_level: LogLevel) {
    MAX_LEVEL.store(level_rank(max_level), Ordering::Relaxed);
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
