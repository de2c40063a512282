//! The demo's forms part: a grid worker fills household forms offline, the
//! network comes back, and the queue goes out exactly once.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use palmgov::{
    ApplicationChange, ApplicationListener, DraftSubject, Household, LoginOptions, NewHousehold,
    PalmGov, SyncOptions,
    software::{camera_jpeg, dev_browser},
};
use palmgov_server::dev_provider::{self, DevProvider};

use crate::steps::{Steps, scan_for};
use crate::{CliError, CliResult, block_on};

/// The demo's grid worker (the provider's account name: 吴海燕, with her
/// own ID number and phone, none of which may reach a household's form).
pub(crate) const WORKER: &str = "grid-9";

/// The household the worker meets that is not on the roster.
const MET_ON_THE_WAY: &str = "赵六";

/// The grid the township assigns the worker.
pub(crate) fn grid() -> Vec<palmgov_server::AssignedHousehold> {
    palmgov_server::AssignedHousehold::sample(3)
}

struct Heard(Mutex<Vec<ApplicationChange>>);

impl ApplicationListener for Heard {
    fn on_status_changed(&self, changes: Vec<ApplicationChange>) {
        if let Ok(mut heard) = self.0.lock() {
            heard.extend(changes);
        }
    }
}

fn fail(what: impl std::fmt::Display) -> CliError {
    CliError::cli("cli.check_failed", what)
}

/// Fills, photographs and finalizes one household visit, offline.
fn household(gov: &PalmGov, n: usize, visited: &Household) -> CliResult<String> {
    // The head's name and the members come from the roster for a roster
    // household; a household met on the way is typed in. The camera writes
    // a sideways JPEG with a GPS block into the core's private capture
    // directory; ingest turns it upright and drops EXIF.
    let subject = DraftSubject {
        household_id: Some(visited.id.clone()),
        name: None,
    };
    let head = palmgov_server::sample_person(9000 + n);
    let photo = camera_jpeg(1280, 960, 6);
    visit(
        gov,
        subject,
        &visited.head_name,
        &head.id_number,
        60 + n as u32,
        &photo,
    )
}

/// Fills a household visit for `subject` (head `name` with `id_number`,
/// one member of `age`) where the draft was not prefilled, attaches
/// `photo` as the door photo and finalizes it. Returns the instance id. The
/// demo and `palmgov bench sync` both fill visits this way.
pub(crate) fn visit(
    gov: &PalmGov,
    subject: DraftSubject,
    name: &str,
    id_number: &str,
    age: u32,
    photo: &[u8],
) -> CliResult<String> {
    let view = block_on(gov.drafts().create_draft(
        "household-visit".into(),
        None,
        subject,
        480,
        "zh-Hans".into(),
    ))?;
    let draft = view.summary.id;
    let member = view.repeats[0].instance_ids[0].clone();
    let answers = [
        ("visit_date".to_string(), "\"2026-11-20\"".to_string()),
        ("household_division".into(), "\"330106001001\"".into()),
        ("head_name".into(), format!("\"{name}\"")),
        ("head_id_number".into(), format!("\"{id_number}\"")),
        ("housing".into(), "\"owned\"".into()),
        (
            format!("members/{member}/member_name"),
            format!("\"{name}\""),
        ),
        (format!("members/{member}/member_age"), age.to_string()),
    ];
    for (path, value) in answers {
        let prefilled = view
            .fields
            .iter()
            .any(|f| f.path == path && f.value_json.is_some());
        if !prefilled {
            block_on(
                gov.drafts()
                    .save_answer(draft.clone(), path, value, "zh-Hans".into()),
            )?;
        }
    }
    let pending = block_on(
        gov.drafts()
            .register_attachment(draft.clone(), "door_photo".into()),
    )?;
    std::fs::write(&pending.capture_path, photo).map_err(fail)?;
    block_on(
        gov.drafts()
            .ingest_attachment(pending.attachment_id, None, "zh-Hans".into()),
    )?;
    let outcome = block_on(gov.drafts().finalize_draft(draft, "zh-Hans".into()))?;
    outcome
        .instance_id
        .ok_or_else(|| fail(format!("finalize found problems: {:?}", outcome.issues)))
}

/// The resident's own application for a household registration
/// certificate (户籍证明), with her household register attached from her
/// wallet instead of a photo of it (申报材料重复使用): the offer is what
/// she consents to, the presentation is bound to the submission at
/// finalize, and the backend verifies it before it takes the application.
/// Returns what was shared (claim names), with whom and why.
pub(crate) fn licence_as_material(
    gov: &PalmGov,
    server: &palmgov_server::RunningServer,
) -> CliResult<String> {
    const FIELD: &str = "household_register";
    block_on(gov.drafts().refresh_forms("zh-Hans".into(), None))?;
    let view = block_on(gov.drafts().create_draft(
        "residence-certificate".into(),
        None,
        DraftSubject::default(),
        480,
        "zh-Hans".into(),
    ))?;
    let draft = view.summary.id;
    let from_wallet: Vec<&str> = view
        .prefilled
        .iter()
        .filter(|p| p.source.starts_with("licence."))
        .map(|p| p.path.as_str())
        .collect();
    let offer = block_on(gov.drafts().licence_offer(
        draft.clone(),
        FIELD.into(),
        "zh-Hans".into(),
    ))?;
    let licence = offer
        .licences
        .first()
        .map(|l| l.licence_id.clone())
        .ok_or_else(|| fail("no household register offered"))?;
    block_on(gov.drafts().attach_licence(
        draft.clone(),
        FIELD.into(),
        licence.clone(),
        "zh-Hans".into(),
    ))?;
    block_on(gov.drafts().save_answer(
        draft.clone(),
        "certificate_use".into(),
        "\"school\"".into(),
        "zh-Hans".into(),
    ))?;
    let outcome = block_on(gov.drafts().finalize_draft(draft, "zh-Hans".into()))?;
    let instance = outcome
        .instance_id
        .ok_or_else(|| fail(format!("finalize found problems: {:?}", outcome.issues)))?;
    let report = block_on(gov.outbox().sync_now(SyncOptions::default(), None, None))?;
    let accepted = server.submissions().accepted_licences(&instance);
    if report.delivered != 1 || accepted != [(FIELD.to_string(), licence)] {
        return Err(fail(format!(
            "expected the application delivered with its licence verified: {report:?}, {} accepted",
            accepted.len()
        )));
    }
    Ok(format!(
        "shared {} of her {} with {}, for \"{}\"; {} filled from it; delivered, and the \
         backend verified the presentation bound to the application (no photo sent)",
        offer.claims.join(", "),
        offer.type_name,
        offer.recipient,
        offer.purpose,
        from_wallet.join(" and ")
    ))
}

/// A visit to a roster household starts from the household: its head on
/// top, its members in the repeat, nothing of the worker. Shown, checked,
/// and put away (the visits below are the ones sent).
fn prefilled_from_the_household(gov: &PalmGov, household: &Household) -> CliResult<String> {
    let view = block_on(gov.drafts().create_draft(
        "household-visit".into(),
        None,
        DraftSubject {
            household_id: Some(household.id.clone()),
            name: None,
        },
        480,
        "zh-Hans".into(),
    ))?;
    let value = |path: &str| {
        view.fields
            .iter()
            .find(|f| f.path == path)
            .and_then(|f| f.value_json.clone())
            .unwrap_or_default()
    };
    let head = household
        .head()
        .ok_or_else(|| fail("the sample household has no head"))?;
    let head_ok = value("head_name") == format!("\"{}\"", head.name)
        && value("head_id_number") == format!("\"{}\"", head.id_number.clone().unwrap_or_default());
    let members: Vec<String> = view.repeats[0]
        .instance_ids
        .iter()
        .map(|id| {
            value(&format!("members/{id}/member_name"))
                .trim_matches('"')
                .to_string()
        })
        .collect();
    let worker = block_on(gov.identity().session())?
        .display_name
        .unwrap_or_default();
    let everything: String = view
        .fields
        .iter()
        .filter_map(|f| f.value_json.clone())
        .collect();
    if !head_ok || members.len() != 2 || worker.is_empty() || everything.contains(&worker) {
        return Err(fail("the visit was not prefilled from the household alone"));
    }
    block_on(gov.drafts().delete_draft(view.summary.id))?;
    Ok(format!(
        "{} fields from the household (head {}, ID number, members {}); none from the worker",
        view.prefilled.len(),
        head.name,
        members.join("、")
    ))
}

pub(crate) fn grid_worker(
    s: &mut Steps,
    gov: &PalmGov,
    issuer: &str,
    backend_addr: &SocketAddr,
    data_dir: &std::path::Path,
) -> CliResult {
    s.step("offline, the worker meets a household not on the roster and adds it");
    let met = block_on(gov.roster().add_household(NewHousehold {
        head_name: MET_ON_THE_WAY.into(),
        address: "桐坞村3组".into(),
        division: "330106001001".into(),
    }))?;
    let roster = block_on(gov.roster().roster())?;
    s.ok(format!(
        "roster: {} households, 1 waiting to be sent ({:?})",
        roster.len(),
        met.sync
    ));

    s.step("offline, a visit to a roster household is prefilled from the household, never from the worker");
    s.ok(prefilled_from_the_household(gov, &roster[0])?);

    s.step("offline, three household visits (two from the roster, the new one), each with a door photo");
    let visits = [roster[0].clone(), roster[1].clone(), met];
    let mut instances = Vec::new();
    for (n, visited) in visits.iter().enumerate() {
        instances.push(household(gov, n + 1, visited)?);
    }
    let found = block_on(
        gov.drafts()
            .search_drafts(MET_ON_THE_WAY.into(), "zh-Hans".into()),
    )?;
    s.ok(format!(
        "3 finalized and queued; searching \"{MET_ON_THE_WAY}\" finds {} draft ({})",
        found.len(),
        found.first().map_or("", |d| d.summary.as_str())
    ));

    s.step("syncing without a network keeps the forms and the household queued, nothing lost");
    let short = SyncOptions {
        retry_budget_ms: 300,
        ..Default::default()
    };
    let report = block_on(gov.outbox().sync_now(short, None, None))?;
    if report.remaining != 4 {
        return Err(fail(format!(
            "expected 3 forms and 1 household still queued, got {report:?}"
        )));
    }
    s.ok(format!(
        "{} still queued ({})",
        report.remaining,
        report.last_error.unwrap_or_default()
    ));

    s.step("the network returns: restart the provider and the backend on their ports");
    let port = url_port(issuer)?;
    let provider = DevProvider::try_start(port, 600).map_err(fail)?;
    let rt = tokio::runtime::Runtime::new().map_err(fail)?;
    let server = rt
        .block_on(palmgov_server::start(
            *backend_addr,
            palmgov_server::ServerOptions {
                auth: Some(dev_provider::backend_auth(&provider.issuer)),
                ..Default::default()
            },
        ))
        .map_err(|e| fail(format!("backend: {e}")))?;
    s.ok(format!("{} and {}", provider.issuer, server.base_url()));

    s.step("the restarted provider forgot its grants: the worker signs in again");
    block_on(gov.identity().login(
        LoginOptions::default(),
        dev_browser(WORKER.into(), None),
        None,
    ))?;
    s.ok("signed in; the queue was kept");

    // The township's records outlive the restart.
    server.roster().assign(WORKER, &grid());

    s.step("sync: the new household, then the queued forms, each once, with its photo");
    let report = block_on(gov.outbox().sync_now(
        SyncOptions::default(),
        Some(Arc::new(crate::forms::Bar)),
        None,
    ))?;
    say!();
    let again = block_on(gov.outbox().sync_now(SyncOptions::default(), None, None))?;
    let stored = server.submissions().inventory();
    let list = stored["submissions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let complete = list
        .iter()
        .filter(|s| s["attachments"] == 1 && s["attachments_complete"] == 1)
        .count();
    if report.delivered != 3 || again.delivered != 0 || list.len() != 3 || complete != 3 {
        return Err(fail(format!(
            "expected 3 delivered once with photos: {report:?} {again:?} {stored}"
        )));
    }
    let households = server.roster().households_of(WORKER);
    let synced = block_on(gov.roster().roster())?
        .iter()
        .all(|h| h.sync == palmgov::HouseholdSync::Synced);
    if report.households_sent != 1 || households.len() != 4 || !synced {
        return Err(fail(format!(
            "expected the added household once: {report:?} {households:?}"
        )));
    }
    s.ok("1 household and 3 forms delivered; a second sync sent 0; the backend holds 3 forms, each with its photo, and 4 households");

    s.step("application status (办件查询): the backend accepts a case, the app is told");
    server
        .submissions()
        .set_status(&instances[0], "accepted", Some("已受理"));
    let heard = Arc::new(Heard(Mutex::new(Vec::new())));
    let _subscription = gov.outbox().subscribe_application_changes(heard.clone())?;
    let changes = block_on(gov.outbox().refresh_applications(None))?;
    // The subscriber hears of it on a core thread.
    let mut told = 0;
    for _ in 0..100 {
        told = heard.0.lock().map(|h| h.len()).unwrap_or(0);
        if told > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    if changes.len() != 1 || told != 1 {
        return Err(fail(format!("expected one change, got {changes:?}")));
    }
    s.ok(format!(
        "{} → {} ({} steps of history)",
        changes[0].form_id,
        changes[0].status,
        changes[0].history.len()
    ));

    s.step("scan the data directory for the residents' names and their photos");
    let mut leaks = Vec::new();
    for name in grid()
        .iter()
        .map(|h| h.body.head_name.as_str())
        .chain([MET_ON_THE_WAY])
    {
        leaks.extend(scan_for(data_dir, name.as_bytes()));
    }
    leaks.extend(scan_for(data_dir, b"JFIF"));
    leaks.extend(scan_for(data_dir, b"Exif"));
    if !leaks.is_empty() {
        return Err(fail(format!("plaintext found in {leaks:?}")));
    }
    s.ok("no name, photo or EXIF in clear");
    drop(server);
    drop(provider);
    rt.shutdown_background();
    Ok(())
}

fn url_port(url: &str) -> CliResult<u16> {
    url.rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .ok_or_else(|| fail(format!("no port in {url}")))
}
