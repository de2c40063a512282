//! `palmgov forms`, `palmgov draft …` and `palmgov sync`: the forms engine
//! from a terminal, through the same calls the app shells make.

use std::io::Write;
use std::sync::Arc;

use clap::Subcommand;
use palmgov::{
    DraftSubject, FieldView, LicenceUseKind, NewHousehold, PalmGov, SaveEffects, SyncListener,
    SyncOptions, SyncProgress,
};

use crate::{CliError, CliResult, block_on};

#[derive(Subcommand)]
pub(crate) enum DraftAction {
    /// Start a draft of FORM (its newest version on the device).
    New {
        form: String,
        #[arg(long)]
        version: Option<u32>,
        /// The resident the form is about (grid-worker mode).
        #[arg(long)]
        subject: Option<String>,
        /// The household from the worker's roster (`palmgov roster`); its
        /// head becomes the subject unless --subject says otherwise.
        #[arg(long)]
        household: Option<String>,
    },
    /// Save answers: PATH=VALUE, VALUE as JSON or else as text. Each
    /// answer is its own save; prints what each one changed.
    Fill {
        draft: String,
        #[arg(required = true)]
        answers: Vec<String>,
    },
    /// Add an instance to a repeat group and print its id.
    Add { draft: String, repeat: String },
    /// Attach a JPEG or PNG to an image or signature field.
    Photo {
        draft: String,
        path: String,
        file: std::path::PathBuf,
    },
    /// Show every field of a draft with its value and problems.
    Show { draft: String },
    /// List drafts, or search them (any substring, 2-character names too).
    List {
        #[arg(long)]
        search: Option<String>,
    },
    /// Validate and, when clean, freeze and queue the draft.
    Finalize { draft: String },
    /// Attach a licence from the wallet to a licence field instead of a
    /// photo of it (申报材料重复使用). Prints what it shares, with whom and
    /// why, then attaches it on the person's consent: --yes, or `y` on
    /// standard input. Only for one's own application (`draft new` without
    /// --subject or --household).
    AttachLicence {
        draft: String,
        field: String,
        /// The licence to attach (`wallet list`); default: the first offered.
        #[arg(long)]
        licence: Option<String>,
        /// Consent to sharing what the offer lists, without being asked.
        #[arg(long)]
        yes: bool,
    },
    /// Household visit: fill a resident's draft from the 亮证 code they show
    /// (`wallet qr --profile household-visit`), checked offline in verifier
    /// mode, once; their consent is recorded with the draft. Takes the
    /// scanned text, or a PNG file holding the code.
    PrefillFromCode {
        draft: String,
        #[arg(value_name = "PAYLOAD-OR-PNG")]
        code: String,
    },
}

/// `palmgov forms`: the forms on the device, after an optional refresh.
pub(crate) fn forms(gov: &PalmGov, refresh: bool, lang: &str) -> CliResult {
    let forms = if refresh {
        block_on(gov.drafts().refresh_forms(lang.into(), None))?
    } else {
        block_on(gov.drafts().forms(lang.into()))?
    };
    if forms.is_empty() {
        say!("no forms on the device; run `palmgov forms --refresh`");
    }
    for f in forms {
        say!("{}\tv{}\t{}", f.form_id, f.version, f.title);
    }
    Ok(())
}

pub(crate) fn draft(gov: &PalmGov, action: DraftAction, lang: &str) -> CliResult {
    block_on(gov.unlock("palmgov draft".into()))?;
    match action {
        DraftAction::New {
            form,
            version,
            subject,
            household,
        } => {
            let subject = DraftSubject {
                household_id: household,
                name: subject,
            };
            let view = block_on(gov.drafts().create_draft(
                form,
                version,
                subject,
                crate::output::local_offset_min(),
                lang.into(),
            ))?;
            say!("{}", view.summary.id);
            for p in view.prefilled {
                tell!("prefilled {} from {}", p.path, p.source);
            }
        }
        DraftAction::Fill { draft, answers } => {
            for answer in answers {
                let (path, raw) = answer.split_once('=').ok_or_else(|| {
                    CliError::cli("cli.usage", format!("expected PATH=VALUE, got {answer}"))
                })?;
                // JSON when it parses, else text; digits meant as text (an ID
                // number) are retried as text when the field wants a string.
                let text = serde_json::Value::from(raw).to_string();
                let effects = if serde_json::from_str::<serde_json::Value>(raw).is_ok() {
                    match block_on(gov.drafts().save_answer(
                        draft.clone(),
                        path.into(),
                        raw.into(),
                        lang.into(),
                    )) {
                        Err(palmgov::PalmGovError::InvalidAnswer { reason, .. })
                            if reason == "type" =>
                        {
                            block_on(gov.drafts().save_answer(
                                draft.clone(),
                                path.into(),
                                text,
                                lang.into(),
                            ))?
                        }
                        other => other?,
                    }
                } else {
                    block_on(gov.drafts().save_answer(
                        draft.clone(),
                        path.into(),
                        text,
                        lang.into(),
                    ))?
                };
                print_effects(path, &effects);
            }
        }
        DraftAction::Add { draft, repeat } => {
            let added = block_on(gov.drafts().add_repeat_instance(draft, repeat, lang.into()))?;
            say!("{}", added.instance_id);
        }
        DraftAction::Photo { draft, path, file } => {
            // Read first: a file that cannot be read starts no attempt.
            let photo = std::fs::read(&file).map_err(|e| {
                CliError::cli(
                    "cli.file",
                    format!(
                        "the photo {} cannot be read ({:?})",
                        file.display(),
                        e.kind()
                    ),
                )
            })?;
            let pending = block_on(gov.drafts().register_attachment(draft, path))?;
            if let Err(e) = std::fs::write(&pending.capture_path, &photo) {
                // A full disk: the attempt goes, nothing is left pending.
                let _ = block_on(
                    gov.drafts()
                        .remove_attachment(pending.attachment_id, lang.into()),
                );
                return Err(CliError::cli(
                    "cli.file",
                    format!("the photo could not be written ({:?})", e.kind()),
                ));
            }
            let stored = block_on(gov.drafts().ingest_attachment(
                pending.attachment_id,
                None,
                lang.into(),
            ))?;
            say!(
                "{}\t{}×{}\t{} bytes\tsha256 {}",
                stored.attachment_id,
                stored.width,
                stored.height,
                stored.size,
                stored.sha256_hex
            );
        }
        DraftAction::Show { draft } => {
            let view = block_on(gov.drafts().open_draft(draft, lang.into()))?;
            say!(
                "{} v{} · {} · {:?}",
                view.summary.title,
                view.summary.form_version,
                view.summary.summary,
                view.summary.state
            );
            for f in &view.fields {
                let label = view
                    .layout
                    .iter()
                    .find(|l| f.path.ends_with(&l.name))
                    .map_or("", |l| l.label.as_str());
                print_field(label, f);
            }
            for u in &view.licence_uses {
                let how = match u.kind {
                    LicenceUseKind::Attached => {
                        format!("attached to {}", u.field.as_deref().unwrap_or("?"))
                    }
                    LicenceUseKind::Shown => "shown to the worker".to_string(),
                };
                say!(
                    "licence\t{} {how}\tshares {} with {} for {}\t{}",
                    u.licence_type,
                    u.claims.join(", "),
                    u.recipient,
                    u.purpose,
                    u.at
                );
            }
        }
        DraftAction::List { search } => {
            let drafts = match search {
                Some(q) => block_on(gov.drafts().search_drafts(q, lang.into()))?,
                None => block_on(gov.drafts().list_drafts(lang.into()))?,
            };
            for d in drafts {
                say!("{}\t{:?}\t{}\t{}", d.id, d.state, d.title, d.summary);
            }
        }
        DraftAction::Finalize { draft } => {
            let outcome = block_on(gov.drafts().finalize_draft(draft, lang.into()))?;
            match outcome.instance_id {
                Some(id) => say!("queued as {id}"),
                None => {
                    for i in &outcome.issues {
                        say!("{}\t{}\t{}", i.path, i.code, i.message);
                    }
                    return Err(CliError::cli(
                        "cli.problems_left",
                        format!("{} problems to fix first", outcome.issues.len()),
                    ));
                }
            }
        }
        DraftAction::AttachLicence {
            draft,
            field,
            licence,
            yes,
        } => attach_licence(gov, draft, field, licence, yes, lang)?,
        DraftAction::PrefillFromCode { draft, code } => {
            let payload = crate::wallet::payload_of(&code)?;
            let shown = block_on(gov.drafts().prefill_from_licence_code(
                draft,
                payload,
                lang.into(),
            ))?;
            let check = &shown.check;
            let verdict = crate::wallet::verdict(&check.verdict);
            if shown.effects.is_none() {
                return Err(CliError::cli(
                    "cli.code_refused",
                    format!("the code filled nothing: {verdict}"),
                ));
            }
            say!("{verdict}: {} ({})", check.display_name, check.licence_type);
            for p in &shown.prefilled {
                say!("prefilled {} from {}", p.path, p.source);
            }
        }
    }
    Ok(())
}

/// `draft attach-licence`: the offer as a consent line, the person's
/// answer, then the attachment.
fn attach_licence(
    gov: &PalmGov,
    draft: String,
    field: String,
    licence: Option<String>,
    yes: bool,
    lang: &str,
) -> CliResult {
    let offer = block_on(
        gov.drafts()
            .licence_offer(draft.clone(), field.clone(), lang.into()),
    )?;
    let chosen = match &licence {
        Some(id) => offer.licences.iter().find(|l| &l.licence_id == id),
        None => offer.licences.first(),
    };
    let Some(chosen) = chosen else {
        return Err(CliError::cli(
            "cli.no_licence",
            match licence {
                Some(id) => format!("{id} is not a {} this field takes", offer.type_name),
                None => format!(
                    "no {} in the wallet: run `palmgov wallet refresh`",
                    offer.type_name
                ),
            },
        ));
    };
    say!(
        "share {} ({}) with {}: {}",
        offer.type_name,
        offer.licence_type,
        offer.recipient,
        offer.claims.join(", ")
    );
    say!("purpose: {}", offer.purpose);
    let until = if chosen.valid_until.is_empty() {
        "no end".to_string()
    } else {
        format!("valid until {}", chosen.valid_until)
    };
    say!("licence: {} ({until})", chosen.licence_id);
    if !yes && !consents()? {
        return Err(CliError::cli(
            "cli.declined",
            "nothing shared: the licence was not attached",
        ));
    }
    let effects = block_on(gov.drafts().attach_licence(
        draft,
        field.clone(),
        chosen.licence_id.clone(),
        lang.into(),
    ))?;
    print_effects(&field, &effects);
    Ok(())
}

/// Asks on standard error, reads the answer from standard input: only
/// `y` or `yes` consents; an empty line or no input at all does not.
fn consents() -> CliResult<bool> {
    eprint!("attach it and share these claims? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| CliError::cli("cli.input", e))?;
    Ok(matches!(
        line.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// The code `draft prefill-from-code` takes: the one in a PNG file, or
/// the scanned text itself.
fn print_effects(path: &str, effects: &SaveEffects) {
    say!("saved {path}");
    for f in &effects.changed {
        if f.path != path {
            print_field("  →", f);
        }
    }
}

fn print_field(label: &str, f: &FieldView) {
    let value = f.value_json.as_deref().unwrap_or("—");
    let relevance = if f.relevant { "" } else { " (not relevant)" };
    say!("{label}\t{}\t{value}{relevance}", f.path);
    for i in &f.issues {
        say!("\t! {} ({})", i.message, i.code);
    }
}

/// Draws a progress bar on stderr.
pub(crate) struct Bar;

impl SyncListener for Bar {
    fn on_progress(&self, p: SyncProgress) {
        let width = 30usize;
        let filled = if p.bytes_total == 0 {
            width
        } else {
            (p.bytes_done as usize * width / p.bytes_total as usize).min(width)
        };
        eprint!(
            "\r[{}{}] {}/{} items, {} / {} KiB",
            "#".repeat(filled),
            "-".repeat(width - filled),
            p.items_done,
            p.items_total,
            p.bytes_done / 1024,
            p.bytes_total / 1024
        );
        let _ = std::io::stderr().flush();
    }
}

/// `palmgov sync`: sends the queue with a progress bar.
pub(crate) fn sync(gov: &PalmGov, metered: bool) -> CliResult {
    block_on(gov.unlock("palmgov sync".into()))?;
    // The person asked: what the server said to retry later goes now too.
    let options = SyncOptions {
        metered,
        send_now: true,
        ..Default::default()
    };
    let report = block_on(gov.outbox().sync_now(options, Some(Arc::new(Bar)), None))?;
    tell!();
    say!(
        "delivered {}, waiting for step-up {}, quarantined {}, deferred {}, remaining {}; \
         households sent {}, refused {}",
        report.delivered,
        report.waiting_for_level,
        report.quarantined,
        report.deferred,
        report.remaining,
        report.households_sent,
        report.households_rejected
    );
    if let Some(e) = report.last_error {
        say!("last error: {e}");
    }
    if let Some(needed) = block_on(gov.outbox().step_up_needed())? {
        say!(
            "{} submission(s) wait for assurance level L{}: run `palmgov step-up --face`, then sync",
            needed.operations.len(),
            needed.level
        );
    }
    Ok(())
}

#[derive(Subcommand)]
pub(crate) enum RosterAction {
    /// Add a household met on the way; it goes with the next sync.
    Add {
        /// The head of the household (户主).
        #[arg(long)]
        head: String,
        #[arg(long, default_value = "")]
        address: String,
        /// 6-digit county or 12-digit village division code.
        #[arg(long)]
        division: String,
    },
}

/// `palmgov roster`: the worker's households, cached or refreshed, or
/// one added.
pub(crate) fn roster(gov: &PalmGov, refresh: bool, action: Option<RosterAction>) -> CliResult {
    block_on(gov.unlock("palmgov roster".into()))?;
    if let Some(RosterAction::Add {
        head,
        address,
        division,
    }) = action
    {
        let added = block_on(gov.roster().add_household(NewHousehold {
            head_name: head,
            address,
            division,
        }))?;
        say!("{}", added.id);
        return Ok(());
    }
    let households = if refresh {
        block_on(gov.roster().refresh_roster(None))?
    } else {
        block_on(gov.roster().roster())?
    };
    for h in households {
        say!(
            "{}\t{}\t{}\t{}\t{:?}\t{:?}",
            h.id,
            h.head_name,
            h.division,
            h.address,
            h.origin,
            h.sync
        );
    }
    Ok(())
}
