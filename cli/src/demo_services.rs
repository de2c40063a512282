//! The demo's service catalog and reminders: a resident finds a service
//! offline by pinyin initials, sees which materials her wallet already
//! covers, and a status change her sync brings becomes a reminder.

use palmgov::{MaterialSource, PalmGov, ReminderKind, SyncOptions};
use palmgov_server::RunningServer;
use palmgov_server::submissions::StatusChange;

use crate::steps::Steps;
use crate::{CliError, CliResult, block_on};

fn fail(what: impl std::fmt::Display) -> CliError {
    CliError::cli("cli.check_failed", what)
}

pub(crate) fn steps(s: &mut Steps, resident: &PalmGov, server: &RunningServer) -> CliResult {
    s.step("her phone takes the region's service catalog (办事指南), checked chunk by chunk against the pinned hashes");
    let update = block_on(resident.services().update(None))?;
    let status = update.status.ok_or_else(|| fail("no catalog"))?;
    s.ok(format!(
        "{} services and {} life events of region {} v{} on her phone, {} KB fetched now ({} chunks; her last sync brought the catalog)",
        status.services,
        status.life_events,
        status.region_code,
        status.version,
        update.bytes_fetched / 1024,
        update.chunks_fetched,
    ));

    s.step("offline, she types \"sfz\" (身份证's initials) and \"低保\" (an everyday word)");
    let by_initials = block_on(
        resident
            .services()
            .search("sfz".into(), "zh-Hans".into(), 3),
    )?;
    let by_word = block_on(
        resident
            .services()
            .search("低保".into(), "zh-Hans".into(), 1),
    )?;
    if by_initials.is_empty() {
        return Err(fail("sfz found nothing"));
    }
    let word = by_word.first().ok_or_else(|| fail("低保 found nothing"))?;
    s.ok(format!(
        "sfz → {}; 低保 → {} (as {})",
        by_initials
            .iter()
            .map(crate::services::hit_line)
            .collect::<Vec<_>>()
            .join(" | "),
        word.name,
        word.matched_term.as_deref().unwrap_or("?")
    ));

    s.step("\"what do I still need?\" for a social security card (社保卡): her wallet covers the licences, the rest she brings (最多跑一次)");
    let mut chosen = None;
    for hit in block_on(
        resident
            .services()
            .search("社保卡".into(), "zh-Hans".into(), 20),
    )? {
        let needs = block_on(resident.services().needs(hit.code, "zh-Hans".into(), None))?;
        let in_wallet = needs
            .materials
            .iter()
            .filter(|m| m.source == MaterialSource::InWallet)
            .count();
        if in_wallet > 0 && needs.outstanding > 0 {
            chosen = Some((needs, in_wallet));
            break;
        }
    }
    let (needs, in_wallet) = chosen.ok_or_else(|| fail("no service half covered by the wallet"))?;
    s.ok(format!(
        "{}: {} of {} materials covered ({} from her wallet); to bring or photograph: {}",
        needs.name,
        needs.covered,
        needs.materials.len(),
        in_wallet,
        needs
            .materials
            .iter()
            .filter(|m| matches!(m.source, MaterialSource::Bring | MaterialSource::Photograph))
            .map(|m| m.material.name.clone())
            .collect::<Vec<_>>()
            .join("、")
    ));

    s.step("the bureau asks for one more material within 5 days (补正); her next sync turns it into reminders for the lock screen");
    let applications = block_on(resident.outbox().applications())?;
    let instance = applications
        .first()
        .map(|a| a.instance_id.clone())
        .ok_or_else(|| fail("no application"))?;
    let due = crate::now_ms() + 5 * 24 * 3600 * 1000;
    server
        .submissions()
        .change_status(
            &instance,
            &StatusChange {
                status: "correction_required".into(),
                note: Some("请补充户口簿首页复印件".into()),
                due_at_ms: Some(due),
                requested_materials: Some(vec!["户口簿首页复印件".into()]),
            },
        )
        .map_err(|_| fail("the status change was refused"))?;
    let report = block_on(
        resident
            .outbox()
            .sync_now(SyncOptions::default(), None, None),
    )?;
    let plan = block_on(
        resident
            .reminders()
            .plan(Vec::new(), "zh-Hans".into(), 480, 30, 64),
    )?;
    let status_change = plan
        .due
        .iter()
        .find(|r| r.kind == ReminderKind::StatusChanged)
        .ok_or_else(|| fail(format!("no status reminder: {plan:?}")))?;
    s.ok(format!(
        "{} application changed; {} reminders to schedule, e.g. \"{}: {}\" → {}",
        report.applications_changed,
        plan.schedule.len(),
        status_change.title,
        status_change.body,
        status_change.deep_link
    ));
    Ok(())
}
