//! People and their data on a grid worker's phone, end to end against the
//! real provider and the reference backend: a draft for a household is
//! prefilled from the household and never from the worker, a visit's
//! members flow back to the register, and the grid leaves the phone with
//! the worker.

use std::sync::Arc;

use palmgov::{DraftSubject, PalmGov};
use palmgov_server::{AssignedHousehold, RunningServer, ServerOptions};
use palmgov_tests::forms::{finalized, inventory, save, sync};
use palmgov_tests::{TestProvider, backend, signed_in};
use serde_json::json;

/// The grid worker, as `tests/oidc/provider.mjs` knows them: their own
/// name, ID number and phone, none of which may reach a household's draft.
const WORKER: &str = "grid-9";
const WORKER_DATA: [&str; 4] = ["吴海燕", "330106198506180448", "13905710009", "1985-06-18"];

/// The worker signed in on a phone of their own, their grid of
/// `households` assigned and refreshed, the forms downloaded.
/// Keep it whole while the test runs: the provider and the backend stop
/// when dropped.
struct Grid {
    gov: Arc<PalmGov>,
    dir: tempfile::TempDir,
    backend: RunningServer,
    _provider: TestProvider,
}

async fn grid(households: usize) -> Grid {
    let provider = TestProvider::start(600);
    let backend = backend(&provider, ServerOptions::default()).await;
    assert!(
        backend
            .roster()
            .assign(WORKER, &AssignedHousehold::sample(households))
    );
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &backend, WORKER).await;
    gov.drafts()
        .refresh_forms("zh-Hans".into(), None)
        .await
        .unwrap();
    gov.roster().refresh_roster(None).await.unwrap();
    Grid {
        gov,
        dir,
        backend,
        _provider: provider,
    }
}

async fn draft_for(gov: &PalmGov, form: &str, household: &str) -> palmgov::DraftView {
    gov.drafts()
        .create_draft(
            form.into(),
            None,
            DraftSubject {
                household_id: Some(household.into()),
                name: None,
            },
            480,
            "zh-Hans".into(),
        )
        .await
        .unwrap()
}

fn value(view: &palmgov::DraftView, path: &str) -> Option<serde_json::Value> {
    view.fields
        .iter()
        .find(|f| f.path == path)
        .and_then(|f| f.value_json.as_deref())
        .map(|v| serde_json::from_str(v).unwrap())
}

/// Every string a draft shows or sends, for looking for someone's data.
fn everything(view: &palmgov::DraftView) -> String {
    format!(
        "{} {} {:?} {:?}",
        view.summary.title,
        view.summary.summary,
        view.summary.subject.name,
        view.fields
            .iter()
            .map(|f| f.value_json.clone().unwrap_or_default())
            .collect::<Vec<_>>()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workers_draft_for_a_household_carries_the_household_and_none_of_the_worker() {
    let fx = grid(2).await;
    let (gov, backend) = (&fx.gov, &fx.backend);
    let register = backend.roster().members_of("HH-001");
    let head = &register[0];
    assert_eq!(
        (head.name.as_str(), head.relation.as_str()),
        ("王秀英", "head")
    );

    // The allowance application the worker files for 王秀英.
    let view = draft_for(gov, "subsidy-application", "HH-001").await;
    assert_eq!(value(&view, "applicant_name"), Some(json!("王秀英")));
    assert_eq!(
        value(&view, "applicant_id_number"),
        Some(json!(head.id_number))
    );
    assert_eq!(value(&view, "applicant_phone"), Some(json!(head.phone)));
    assert_eq!(value(&view, "birth_date"), Some(json!(head.birth_date)));
    assert_eq!(value(&view, "residence"), Some(json!("330106001001")));
    let sources: Vec<&str> = view.prefilled.iter().map(|p| p.source.as_str()).collect();
    assert!(
        sources.iter().all(|s| s.starts_with("subject.")),
        "{sources:?}"
    );
    let listed = gov.drafts().list_drafts("zh-Hans".into()).await.unwrap();
    assert_eq!(listed[0].summary, "王秀英");

    // The visit: the head on top, the other members in the repeat, each
    // instance named by the member's id in the register.
    let visit = draft_for(gov, "household-visit", "HH-001").await;
    assert_eq!(value(&visit, "head_name"), Some(json!("王秀英")));
    assert_eq!(value(&visit, "head_id_number"), Some(json!(head.id_number)));
    assert_eq!(
        value(&visit, "household_division"),
        Some(json!("330106001001"))
    );
    let members = &visit.repeats[0].instance_ids;
    assert_eq!(members, &["HH-001-M2", "HH-001-M3"]);
    assert_eq!(
        value(&visit, "members/HH-001-M2/member_name"),
        Some(json!(register[1].name))
    );
    assert_eq!(
        value(&visit, "members/HH-001-M3/relation"),
        Some(json!("grandchild"))
    );
    assert!(value(&visit, "members/HH-001-M3/member_age").is_some());

    // Nothing of the worker anywhere in either draft, or in what reaches
    // the backend once the application is sent.
    for view in [&view, &visit] {
        let all = everything(view);
        for worker in WORKER_DATA {
            assert!(!all.contains(worker), "{worker} in {all}");
        }
    }
    // What reaches the backend once the visit is sent.
    let draft = visit.summary.id.clone();
    save(gov, &draft, "visit_date", json!("2026-12-01")).await;
    save(gov, &draft, "housing", json!("owned")).await;
    finalized(gov, &draft).await;
    let report = sync(gov).await;
    assert_eq!(report.delivered, 1, "{report:?}");
    let stored = inventory(backend).await;
    assert_eq!(stored[0]["answers"]["head_name"], "王秀英");
    let sent = serde_json::to_string(&stored).unwrap();
    for worker in WORKER_DATA {
        assert!(!sent.contains(worker), "{worker} sent to the backend");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visits_members_flow_back_to_the_register_and_to_the_phone() {
    let fx = grid(1).await;
    let (gov, backend) = (&fx.gov, &fx.backend);

    let visit = draft_for(gov, "household-visit", "HH-001").await;
    let draft = visit.summary.id.clone();
    // The grandchild's ID number, read off the household register at the
    // visit, and a daughter-in-law who moved in.
    save(
        gov,
        &draft,
        "members/HH-001-M3/member_id_number",
        json!("330106201506010048"),
    )
    .await;
    let added = gov
        .drafts()
        .add_repeat_instance(draft.clone(), "members".into(), "zh-Hans".into())
        .await
        .unwrap()
        .instance_id;
    save(
        gov,
        &draft,
        &format!("members/{added}/member_name"),
        json!("何雪梅"),
    )
    .await;
    save(
        gov,
        &draft,
        &format!("members/{added}/member_age"),
        json!(41),
    )
    .await;
    save(
        gov,
        &draft,
        &format!("members/{added}/relation"),
        json!("other"),
    )
    .await;
    save(gov, &draft, "visit_date", json!("2026-12-01")).await;
    save(gov, &draft, "housing", json!("owned")).await;
    finalized(gov, &draft).await;
    let report = sync(gov).await;
    assert_eq!(
        (report.delivered, report.roster_refreshed),
        (1, true),
        "{report:?}"
    );
    let register = backend.roster().members_of("HH-001");
    assert_eq!(register.len(), 4);
    assert_eq!(register[2].id_number.as_deref(), Some("330106201506010048"));
    assert_eq!(register[3].id, added);
    // The refresh at the end of the sync brought them to the phone.
    let roster = gov.roster().roster().await.unwrap();
    let names: Vec<&str> = roster[0].members.iter().map(|m| m.name.as_str()).collect();
    assert!(names.contains(&"何雪梅"), "{names:?}");
    // The next visit starts from the corrected register.
    let next = draft_for(gov, "household-visit", "HH-001").await;
    assert_eq!(next.repeats[0].instance_ids.len(), 3);
    assert_eq!(
        value(&next, "members/HH-001-M3/member_id_number"),
        Some(json!("330106201506010048"))
    );
}

/// Rows of the roster table by state, read from the database file itself.
fn households_on_disk(dir: &std::path::Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(dir.join("palmgov.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, state FROM households ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grid_leaves_the_phone_when_reassigned_and_at_logout() {
    use palmgov::NewHousehold;

    let fx = grid(3).await;
    let (gov, dir, backend) = (&fx.gov, &fx.dir, &fx.backend);
    assert_eq!(gov.roster().roster().await.unwrap().len(), 3);

    // The township gives HH-002 and HH-003 to another worker.
    assert!(
        backend
            .roster()
            .assign(WORKER, &AssignedHousehold::sample(1))
    );
    assert!(
        backend
            .roster()
            .assign("grid-7", &AssignedHousehold::sample(3)[1..])
    );
    gov.roster().refresh_roster(None).await.unwrap();
    let ids: Vec<String> = households_on_disk(dir.path())
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        ids,
        ["HH-001"],
        "reassigned households are deleted, not kept"
    );

    // A household met on the way, not sent yet: queued work stays.
    gov.roster()
        .add_household(NewHousehold {
            head_name: "冯国栋".into(),
            address: "桐坞村5组".into(),
            division: "330106001001".into(),
        })
        .await
        .unwrap();
    let report = gov.identity().logout(None).await.unwrap();
    assert_eq!(report.pending_households, 1);
    let left = households_on_disk(dir.path());
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].1, "pending");

    // Another worker on the same phone sees nothing of the grid.
    palmgov_tests::sign_in(gov, "grid-7").await;
    assert!(gov.roster().roster().await.unwrap().is_empty());
}
