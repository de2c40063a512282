//! Helpers for the forms tests: a filled household visit, and the
//! backend's inventory of what it stored.

use palmgov::{DraftSubject, PalmGov};
use palmgov_server::RunningServer;
use serde_json::json;

pub async fn save(gov: &PalmGov, draft: &str, path: &str, value: serde_json::Value) {
    gov.drafts()
        .save_answer(draft.into(), path.into(), value.to_string(), "en".into())
        .await
        .unwrap_or_else(|e| panic!("{path}: {e:?}"));
}

/// A new household visit with no subject: its draft id and the id of the
/// member instance it starts with.
pub async fn new_household(gov: &PalmGov) -> (String, String) {
    let view = gov
        .drafts()
        .create_draft(
            "household-visit".into(),
            None,
            DraftSubject::default(),
            480,
            "en".into(),
        )
        .await
        .unwrap();
    (view.summary.id, view.repeats[0].instance_ids[0].clone())
}

/// Every required answer of a household visit headed by `name`, whose
/// first member (`member`, an instance id) is `age`: (path, JSON) pairs.
pub fn household_answers(name: &str, member: &str, age: u32) -> Vec<(String, String)> {
    let id_number = json!(id_number_of(name)).to_string();
    let name = json!(name).to_string();
    vec![
        ("head_name".into(), name.clone()),
        ("visit_date".into(), json!("2026-11-20").to_string()),
        (
            "household_division".into(),
            json!("330106001001").to_string(),
        ),
        ("head_id_number".into(), id_number),
        ("housing".into(), json!("owned").to_string()),
        (format!("members/{member}/member_name"), name),
        (format!("members/{member}/member_age"), age.to_string()),
    ]
}

/// A new draft of `form` about the signed-in person themselves (no
/// household, no one else named), at 480 s autosave, in `language`.
pub async fn own_draft(gov: &PalmGov, form: &str, language: &str) -> palmgov::DraftView {
    gov.drafts()
        .create_draft(
            form.into(),
            None,
            DraftSubject::default(),
            480,
            language.into(),
        )
        .await
        .unwrap()
}

/// One household visit, filled and photographed, finalized. Returns the
/// instance id.
pub async fn household(gov: &PalmGov, name: &str) -> String {
    let subject = DraftSubject {
        household_id: Some(format!("HH-{name}")),
        name: Some(name.into()),
    };
    let view = gov
        .drafts()
        .create_draft("household-visit".into(), None, subject, 480, "en".into())
        .await
        .unwrap();
    let draft = view.summary.id;
    let member = view.repeats[0].instance_ids[0].clone();
    save(gov, &draft, "visit_date", json!("2026-11-20")).await;
    save(gov, &draft, "household_division", json!("330106001001")).await;
    save(gov, &draft, "head_name", json!(name)).await;
    save(gov, &draft, "head_id_number", json!(id_number_of(name))).await;
    save(gov, &draft, "housing", json!("owned")).await;
    save(
        gov,
        &draft,
        &format!("members/{member}/member_name"),
        json!(name),
    )
    .await;
    save(
        gov,
        &draft,
        &format!("members/{member}/member_age"),
        json!(67),
    )
    .await;
    // Small: the tests run unoptimised; scripts/bench times 12 MP.
    let jpeg = palmgov::software::camera_jpeg(1280, 960, 1);
    photograph(gov, &draft, "door_photo", &jpeg).await;
    finalized(gov, &draft).await
}

/// The ID number of the test person called `name`: their own, with a
/// valid check character, the same every time.
pub fn id_number_of(name: &str) -> String {
    let n = name
        .chars()
        .fold(0usize, |h, c| h.wrapping_mul(31).wrapping_add(c as usize));
    palmgov_server::sample_person(n % 10_000).id_number
}

/// Takes `jpeg` as the photo of `field`, as a shell does: the capture slot,
/// the camera writing into it, then the ingest.
pub async fn photograph(gov: &PalmGov, draft: &str, field: &str, jpeg: &[u8]) {
    let photo = gov
        .drafts()
        .register_attachment(draft.into(), field.into())
        .await
        .unwrap();
    std::fs::write(&photo.capture_path, jpeg).unwrap();
    gov.drafts()
        .ingest_attachment(photo.attachment_id, None, "en".into())
        .await
        .unwrap();
}

/// Finalizes `draft`, which must have no problems left, and returns the
/// queued instance id.
pub async fn finalized(gov: &PalmGov, draft: &str) -> String {
    let outcome = gov
        .drafts()
        .finalize_draft(draft.into(), "en".into())
        .await
        .unwrap();
    assert!(outcome.issues.is_empty(), "{:?}", outcome.issues);
    outcome.instance_id.unwrap()
}

/// One sync run with the default options.
pub async fn sync(gov: &PalmGov) -> palmgov::SyncReport {
    gov.outbox()
        .sync_now(palmgov::SyncOptions::default(), None, None)
        .await
        .unwrap()
}

/// Every submission `backend` holds.
pub async fn inventory(backend: &RunningServer) -> Vec<serde_json::Value> {
    backend.submissions().inventory()["submissions"]
        .as_array()
        .unwrap()
        .clone()
}

/// A plain HTTP request on loopback to `backend`'s development routes,
/// with its admin token; returns the reply's body.
pub async fn dev_request(backend: &RunningServer, method: &str, path: &str, body: &str) -> String {
    let url = format!("{}{path}", backend.base_url());
    let authorization = backend
        .dev_authorization()
        .expect("a backend with development routes");
    http(method, &url, body, &[("authorization", &authorization)]).await
}

/// A plain HTTP request on loopback, without the core: the whole reply
/// (status line, headers, body).
pub async fn raw_http(method: &str, url: &str, body: &str, headers: &[(&str, &str)]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let url = url::Url::parse(url).unwrap();
    let mut stream = tokio::net::TcpStream::connect((url.host_str().unwrap(), url.port().unwrap()))
        .await
        .unwrap();
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let mut head = format!("{method} {target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n");
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        head.push_str("content-type: application/json\r\n");
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let request = format!("{head}content-length: {}\r\n\r\n{body}", body.len());
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).await.unwrap();
    String::from_utf8_lossy(&reply).into_owned()
}

/// [`raw_http`]'s body only.
pub async fn http(method: &str, url: &str, body: &str, headers: &[(&str, &str)]) -> String {
    let reply = raw_http(method, url, body, headers).await;
    reply
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default()
}
