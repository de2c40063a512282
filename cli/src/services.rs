//! `palmgov services` and `palmgov reminders`: the region's service catalog
//! offline (search, a guide, what is still needed) and the reminders a
//! shell would schedule.

use std::path::PathBuf;

use clap::Subcommand;
use palmgov::{MaterialSource, PalmGov, ServiceChannel, ServiceHit};

use crate::{CliError, CliResult, block_on};

#[derive(Subcommand)]
pub(crate) enum ServicesAction {
    /// Find services by name, pinyin, initials (sfz) or an everyday word
    /// (低保), offline.
    Search {
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: u32,
    },
    /// A service's guide: materials, time limit, fee, where to apply;
    /// --needs also marks what the wallet covers and what to bring.
    Show {
        code: String,
        #[arg(long)]
        needs: bool,
    },
    /// The life events (一件事一次办) and their services.
    Events,
    /// Fetch the catalog the region pins (only the chunks that changed), or
    /// --bundled DIR: take a catalog directory (manifest.json, chunks/).
    Update {
        #[arg(long)]
        bundled: Option<PathBuf>,
    },
}

/// A hit as one line, the matched runs in brackets: 居民[身份证]换领.
pub(crate) fn hit_line(hit: &ServiceHit) -> String {
    let mut name = String::new();
    for (i, c) in hit.name.chars().enumerate() {
        let i = i as u32;
        if hit.highlights.iter().any(|h| h.start == i) {
            name.push('[');
        }
        name.push(c);
        if hit.highlights.iter().any(|h| h.start + h.length == i + 1) {
            name.push(']');
        }
    }
    let term = hit
        .matched_term
        .as_deref()
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    format!(
        "{}  {name}  [{:?}{term}]  {}",
        hit.code, hit.matched, hit.department
    )
}

fn source_label(source: MaterialSource) -> &'static str {
    match source {
        MaterialSource::InWallet => "in wallet",
        MaterialSource::ShownOnVisit => "shown on visit",
        MaterialSource::AnsweredByForm => "the form asks",
        MaterialSource::Photograph => "photograph",
        MaterialSource::Bring => "bring",
    }
}

/// Reads a catalog directory as a shell reads its bundled assets.
pub(crate) fn read_bundled(dir: &std::path::Path) -> CliResult<(Vec<u8>, Vec<Vec<u8>>)> {
    let file = |e: std::io::Error| CliError::cli("cli.file", format!("{}: {e}", dir.display()));
    let manifest = std::fs::read(dir.join("manifest.json")).map_err(file)?;
    let mut chunks = Vec::new();
    for entry in std::fs::read_dir(dir.join("chunks")).map_err(file)? {
        chunks.push(std::fs::read(entry.map_err(file)?.path()).map_err(file)?);
    }
    Ok((manifest, chunks))
}

pub(crate) fn services(gov: &PalmGov, action: ServicesAction, lang: &str) -> CliResult {
    let handle = gov.services();
    match action {
        ServicesAction::Search { query, limit } => {
            let hits = block_on(handle.search(query, lang.into(), limit))?;
            if hits.is_empty() {
                say!("no service found");
            }
            for hit in hits {
                say!("{}", hit_line(&hit));
            }
        }
        ServicesAction::Show { code, needs } => {
            let g = block_on(handle.show(code.clone(), lang.into()))?;
            say!("{}  {}", g.code, g.name);
            say!("department: {}  category: {}", g.department, g.category);
            let channels: Vec<&str> = g
                .channels
                .iter()
                .map(|c| match c {
                    ServiceChannel::Online => "online",
                    ServiceChannel::Counter => "counter",
                    ServiceChannel::GridWorker => "grid worker",
                })
                .collect();
            say!("apply: {}", channels.join(", "));
            if let Some(counter) = &g.counter {
                say!("counter: {counter}");
            }
            say!(
                "time limit: {} working days  fee: {}",
                g.time_limit_days,
                if g.fee_fen == 0 {
                    "free".to_string()
                } else {
                    format!("¥{}.{:02}", g.fee_fen / 100, g.fee_fen % 100)
                }
            );
            if let (Some(id), Some(v)) = (&g.form_id, g.form_version) {
                say!("form: {id} v{v}");
            }
            if !g.life_events.is_empty() {
                say!("life events: {}", g.life_events.join(", "));
            }
            if needs {
                block_on(gov.unlock("palmgov services".into()))?;
                let n = block_on(handle.needs(code, lang.into(), None))?;
                say!(
                    "materials ({} covered, {} to bring or photograph):",
                    n.covered,
                    n.outstanding
                );
                for m in n.materials {
                    say!("  {}  [{}]", m.material.name, source_label(m.source));
                }
            } else {
                say!("materials:");
                for m in g.materials {
                    let licence = m
                        .licence_type
                        .map(|t| format!(" (licence: {t})"))
                        .unwrap_or_default();
                    say!("  {}{licence}", m.name);
                }
            }
        }
        ServicesAction::Events => {
            for e in block_on(handle.life_events(lang.into()))? {
                let names: Vec<String> = e.services.into_iter().map(|s| s.name).collect();
                say!("{}  {}: {}", e.id, e.name, names.join("、"));
            }
        }
        ServicesAction::Update { bundled } => {
            let update = match bundled {
                Some(dir) => {
                    let (manifest, chunks) = read_bundled(&dir)?;
                    block_on(handle.install_bundled(manifest, chunks))?
                }
                None => block_on(handle.update(None))?,
            };
            match update.status {
                Some(s) => say!(
                    "{} catalog {} v{}: {} services, {} life events ({} chunks fetched, {} bytes)",
                    if update.updated { "took" } else { "kept" },
                    s.region_code,
                    s.version,
                    s.services,
                    s.life_events,
                    update.chunks_fetched,
                    update.bytes_fetched
                ),
                None => say!("no catalog"),
            }
        }
    }
    Ok(())
}

/// `palmgov reminders`: what a shell would schedule now, soonest first.
pub(crate) fn reminders(
    gov: &PalmGov,
    lang: &str,
    utc_offset_minutes: i32,
    horizon_days: u32,
) -> CliResult {
    let plan = block_on(gov.reminders().plan(
        Vec::new(),
        lang.into(),
        utc_offset_minutes,
        horizon_days,
        64,
    ))?;
    if plan.due.is_empty() {
        say!("no reminders due");
    }
    for r in plan.due {
        say!(
            "{}  {:?}  {}  {} — {}  → {}",
            crate::wallet::format_time(r.at_ms, utc_offset_minutes),
            r.kind,
            r.id,
            r.title,
            r.body,
            r.deep_link
        );
    }
    Ok(())
}
