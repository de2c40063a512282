//! Licences as form material and prefill, end to end against the reference
//! backend: a resident's application takes her household register from the
//! wallet instead of a photo of it (prefilled from it, attached with her
//! consent, bound to the submission, verified and accepted once by the
//! backend), a submission that waited past the backend's oldest binding is
//! bound again at send time, and a grid worker fills a resident's visit
//! form from the code she shows, never from the worker's own wallet.

use std::sync::Arc;
use std::time::Duration;

use palmgov::{DisclosureProfile, DraftSubject, LicenceUseKind, LicenceVerdict, PalmGov};
use palmgov_server::submissions::FormsOptions;
use palmgov_server::{RunningServer, ServerOptions};
use palmgov_tests::forms::{finalized, inventory, save, sync};
use palmgov_tests::{TestProvider, backend, signed_in};
use serde_json::json;

const FORM: &str = "residence-certificate";

struct Fixture {
    backend: RunningServer,
    provider: TestProvider,
}

async fn fixture(options: ServerOptions) -> Fixture {
    let provider = TestProvider::start(600);
    let backend = backend(&provider, options).await;
    Fixture { backend, provider }
}

/// `user` signed in on a phone of their own, wallet and forms fetched.
async fn phone(fx: &Fixture, dir: &std::path::Path, user: &str) -> Arc<PalmGov> {
    let gov = signed_in(dir, &fx.provider, &fx.backend, user).await;
    gov.wallet().refresh(None).await.unwrap();
    gov.drafts()
        .refresh_forms("zh-Hans".into(), None)
        .await
        .unwrap();
    gov
}

/// A residence certificate application of the signed-in person with her
/// household register attached and everything else answered. Returns the
/// draft id.
async fn application(gov: &PalmGov) -> String {
    let view = gov
        .drafts()
        .create_draft(
            FORM.into(),
            None,
            DraftSubject::default(),
            480,
            "zh-Hans".into(),
        )
        .await
        .unwrap();
    let draft = view.summary.id.clone();
    let offer = gov
        .drafts()
        .licence_offer(draft.clone(), "household_register".into(), "zh-Hans".into())
        .await
        .unwrap();
    gov.drafts()
        .attach_licence(
            draft.clone(),
            "household_register".into(),
            offer.licences[0].licence_id.clone(),
            "zh-Hans".into(),
        )
        .await
        .unwrap();
    save(gov, &draft, "certificate_use", json!("school")).await;
    draft
}

/// The claim names a stored SD-JWT+KB discloses, and its key binding.
fn disclosed(presentation: &str) -> (Vec<String>, serde_json::Value) {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let parts: Vec<&str> = presentation.split('~').collect();
    let mut names: Vec<String> = parts[1..parts.len() - 1]
        .iter()
        .map(|d| {
            let array: serde_json::Value = serde_json::from_slice(&b64.decode(d).unwrap()).unwrap();
            array[1].as_str().unwrap().to_string()
        })
        .collect();
    names.sort();
    let kb = parts[parts.len() - 1].split('.').nth(1).unwrap();
    let kb: serde_json::Value = serde_json::from_slice(&b64.decode(kb).unwrap()).unwrap();
    (names, kb)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_licence_attached_to_an_application_is_verified_and_accepted_once() {
    let fx = fixture(ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let gov = phone(&fx, dir.path(), "alice").await;

    // "Enter once": the address comes from her household register, and
    // says so.
    let view = gov
        .drafts()
        .create_draft(
            FORM.into(),
            None,
            DraftSubject::default(),
            480,
            "zh-Hans".into(),
        )
        .await
        .unwrap();
    let draft = view.summary.id.clone();
    let source = |path: &str| {
        view.prefilled
            .iter()
            .find(|p| p.path == path)
            .map(|p| p.source.clone())
    };
    assert_eq!(
        source("registered_address").as_deref(),
        Some("licence.household_register.address")
    );
    assert_eq!(
        source("registered_division").as_deref(),
        Some("licence.household_register.division")
    );
    let address = view
        .fields
        .iter()
        .find(|f| f.path == "registered_address")
        .and_then(|f| f.value_json.clone())
        .unwrap();
    assert!(address.contains("杭州市"), "{address}");

    // What she is asked to confirm: what is shared, with whom, why.
    let offer = gov
        .drafts()
        .licence_offer(draft.clone(), "household_register".into(), "zh-Hans".into())
        .await
        .unwrap();
    assert_eq!(offer.type_name, "居民户口簿");
    assert_eq!(offer.recipient, "户籍证明申请");
    assert_eq!(offer.purpose, "核验户籍，开具户籍证明");
    assert_eq!(offer.claims, ["name", "id_number", "address"]);
    assert_eq!(offer.licences.len(), 1);
    let licence_id = offer.licences[0].licence_id.clone();

    // A number typed in would be a reference nobody can verify.
    let typed = gov
        .drafts()
        .save_answer(
            draft.clone(),
            "household_register".into(),
            json!({"type": "household_register", "number": licence_id}).to_string(),
            "en".into(),
        )
        .await;
    assert!(
        matches!(&typed, Err(palmgov::PalmGovError::InvalidAnswer { reason, .. }) if reason == "attach_from_wallet"),
        "{typed:?}"
    );

    gov.drafts()
        .attach_licence(
            draft.clone(),
            "household_register".into(),
            licence_id.clone(),
            "zh-Hans".into(),
        )
        .await
        .unwrap();
    // Taking it off withdraws the consent; attaching it again records a
    // new one.
    save(&gov, &draft, "household_register", serde_json::Value::Null).await;
    let view = gov
        .drafts()
        .open_draft(draft.clone(), "zh-Hans".into())
        .await
        .unwrap();
    assert!(view.licence_uses.is_empty());
    gov.drafts()
        .attach_licence(
            draft.clone(),
            "household_register".into(),
            licence_id.clone(),
            "zh-Hans".into(),
        )
        .await
        .unwrap();
    save(&gov, &draft, "certificate_use", json!("school")).await;
    let view = gov
        .drafts()
        .open_draft(draft.clone(), "zh-Hans".into())
        .await
        .unwrap();
    assert_eq!(view.licence_uses.len(), 1);
    let used = &view.licence_uses[0];
    assert_eq!(used.kind, LicenceUseKind::Attached);
    assert_eq!(used.recipient, FORM);
    assert_eq!(used.claims, ["name", "id_number", "address"]);

    let instance = finalized(&gov, &draft).await;
    let report = sync(&gov).await;
    assert_eq!(report.delivered, 1, "{report:?}");

    let stored = inventory(&fx.backend).await;
    let stored = stored
        .iter()
        .find(|s| s["instance_id"] == instance.as_str())
        .unwrap();
    assert_eq!(
        stored["answers"]["household_register"],
        json!({"type": "household_register", "number": licence_id})
    );
    let presentation = stored["licences"][0]["presentation"].as_str().unwrap();
    let (names, kb) = disclosed(presentation);
    // Only what the form needs: no birth date, relation or division.
    assert_eq!(names, ["address", "id_number", "name"]);
    assert_eq!(kb["nonce"], instance.as_str());
    assert_eq!(kb["aud"], FORM);
    let consent = &stored["consents"][0];
    assert_eq!(consent["kind"], "attached");
    assert_eq!(consent["purpose"], "核验户籍，开具户籍证明");
    assert!(
        consent.get("value").is_none() && !consent.to_string().contains("杭州市"),
        "the consent names claims, never their values: {consent}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submission_queued_past_the_oldest_binding_is_bound_again_at_send() {
    // A backend that accepts bindings up to 2 s old stands in for 30 days.
    let options = ServerOptions {
        forms: FormsOptions {
            licence_max_age: Duration::from_secs(2),
            ..FormsOptions::default()
        },
        ..ServerOptions::default()
    };
    let fx = fixture(options).await;
    let dir = tempfile::tempdir().unwrap();
    let gov = phone(&fx, dir.path(), "bob").await;
    let draft = application(&gov).await;
    let instance = finalized(&gov, &draft).await;
    let queued_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // Offline for longer than the backend accepts.
    tokio::time::sleep(Duration::from_secs(4)).await;

    let report = sync(&gov).await;
    assert_eq!(
        report.delivered, 1,
        "bound again, not quarantined: {report:?}"
    );
    let stored = inventory(&fx.backend).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0]["instance_id"],
        instance.as_str(),
        "the same instance id"
    );
    let (_, kb) = disclosed(stored[0]["licences"][0]["presentation"].as_str().unwrap());
    assert!(kb["iat"].as_i64().unwrap() >= queued_at + 3, "{kb}");
    assert_eq!(kb["nonce"], instance.as_str());

    // Nothing is sent twice.
    let again = sync(&gov).await;
    assert_eq!(again.delivered, 0);
    assert_eq!(inventory(&fx.backend).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grid_worker_fills_a_residents_form_from_the_code_she_shows() {
    let fx = fixture(ServerOptions::default()).await;
    let resident_dir = tempfile::tempdir().unwrap();
    let resident = phone(&fx, resident_dir.path(), "alice").await;
    let worker_dir = tempfile::tempdir().unwrap();
    let worker = phone(&fx, worker_dir.path(), "grid-7").await;
    worker.wallet().refresh_status(None).await.unwrap();

    let subject = DraftSubject {
        household_id: None,
        name: Some("陈丽华".into()),
    };
    let view = worker
        .drafts()
        .create_draft(
            "household-visit".into(),
            None,
            subject,
            480,
            "zh-Hans".into(),
        )
        .await
        .unwrap();
    let draft = view.summary.id.clone();
    let head_id = |view: &palmgov::DraftView| {
        view.fields
            .iter()
            .find(|f| f.path == "head_id_number")
            .and_then(|f| f.value_json.clone())
    };
    // Nothing of the worker's own (周志强) lands in the resident's form.
    assert_eq!(head_id(&view), None);

    // The worker's own wallet is never a source for someone else's form.
    let refused = worker
        .drafts()
        .licence_offer(draft.clone(), "housing_licence".into(), "zh-Hans".into())
        .await;
    assert!(refused.is_err());

    let card = resident
        .wallet()
        .licences("zh-Hans".into())
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.licence_type == "id_card")
        .unwrap();
    let showing = resident
        .wallet()
        .show_licence(
            card.id,
            DisclosureProfile::HouseholdVisit,
            false,
            "入户走访".into(),
        )
        .await
        .unwrap();
    let code = showing.code().await.unwrap();

    let filled = worker
        .drafts()
        .prefill_from_licence_code(draft.clone(), code.payload.clone(), "zh-Hans".into())
        .await
        .unwrap();
    assert_eq!(filled.check.verdict, LicenceVerdict::Valid);
    let sources: Vec<(&str, &str)> = filled
        .prefilled
        .iter()
        .map(|p| (p.path.as_str(), p.source.as_str()))
        .collect();
    assert_eq!(
        sources,
        [
            ("head_name", "licence.id_card.name"),
            ("head_id_number", "licence.id_card.id_number")
        ]
    );
    let view = worker
        .drafts()
        .open_draft(draft.clone(), "zh-Hans".into())
        .await
        .unwrap();
    assert_eq!(head_id(&view).as_deref(), Some("\"330106198703150221\""));
    assert_eq!(view.licence_uses.len(), 1);
    assert_eq!(view.licence_uses[0].kind, LicenceUseKind::Shown);
    assert_eq!(view.licence_uses[0].licence_type, "id_card");

    // The same code again (a photo of her screen) fills nothing.
    let replay = worker
        .drafts()
        .prefill_from_licence_code(draft.clone(), code.payload.clone(), "zh-Hans".into())
        .await
        .unwrap();
    assert_eq!(
        replay.check.verdict,
        LicenceVerdict::Invalid {
            reason: "presentation.replayed".into()
        }
    );
    assert!(replay.prefilled.is_empty() && replay.effects.is_none());

    // Her code cannot fill a form about someone else (刘建国's visit).
    let other = worker
        .drafts()
        .create_draft(
            "household-visit".into(),
            None,
            DraftSubject {
                household_id: None,
                name: Some("刘建国".into()),
            },
            480,
            "zh-Hans".into(),
        )
        .await
        .unwrap();
    let third = showing.code().await.unwrap();
    let wrong = worker
        .drafts()
        .prefill_from_licence_code(other.summary.id, third.payload, "zh-Hans".into())
        .await;
    assert!(
        matches!(&wrong, Err(palmgov::PalmGovError::InvalidAnswer { reason, .. }) if reason == "other_person"),
        "{:?}",
        wrong.map(|w| w.prefilled)
    );

    // Her own application cannot be filled from someone's shown code: she
    // attaches her own licences.
    let own = resident
        .drafts()
        .create_draft(
            FORM.into(),
            None,
            DraftSubject::default(),
            480,
            "zh-Hans".into(),
        )
        .await
        .unwrap();
    let next = showing.code().await.unwrap();
    let refused = resident
        .drafts()
        .prefill_from_licence_code(own.summary.id, next.payload, "zh-Hans".into())
        .await;
    assert!(refused.is_err(), "a draft about the signed-in person");
}
