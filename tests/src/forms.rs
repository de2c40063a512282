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
    let name = json!(name).to_string();
    vec![
        ("head_name".into(), name.clone()),
        ("visit_date".into(), json!("2026-11-20").to_string()),
        (
            "household_division".into(),
            json!("330106001001").to_string(),
        ),
        (
            "head_id_number".into(),
            json!("11010519491231002X").to_string(),
        ),
        ("housing".into(), json!("owned").to_string()),
        (format!("members/{member}/member_name"), name),
        (format!("members/{member}/member_age"), age.to_string()),
    ]
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
    save(gov, &draft, "head_id_number", json!("11010519491231002X")).await;
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
    let photo = gov
        .drafts()
        .register_attachment(draft.clone(), "door_photo".into())
        .await
        .unwrap();
    std::fs::write(
        &photo.capture_path,
        // Small: the tests run unoptimised; scripts/bench times 12 MP.
        palmgov::software::camera_jpeg(1280, 960, 1),
    )
    .unwrap();
    gov.drafts()
        .ingest_attachment(photo.attachment_id, None, "en".into())
        .await
        .unwrap();
    let outcome = gov
        .drafts()
        .finalize_draft(draft, "en".into())
        .await
        .unwrap();
    assert!(outcome.issues.is_empty(), "{:?}", outcome.issues);
    outcome.instance_id.unwrap()
}

pub async fn inventory(backend: &RunningServer) -> Vec<serde_json::Value> {
    let url = format!("{}v1/dev/submissions", backend.base_url());
    let body: serde_json::Value = serde_json::from_str(&get(&url).await).unwrap();
    body["submissions"].as_array().unwrap().clone()
}

/// A plain HTTP GET on loopback, without the core.
pub async fn get(url: &str) -> String {
    http("GET", url, "").await
}

pub async fn http(method: &str, url: &str, body: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let url = url::Url::parse(url).unwrap();
    let mut stream = tokio::net::TcpStream::connect((url.host_str().unwrap(), url.port().unwrap()))
        .await
        .unwrap();
    let request = format!(
        "{method} {} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        url.path(),
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).await.unwrap();
    let reply = String::from_utf8(reply).unwrap();
    reply.split_once("\r\n\r\n").unwrap().1.to_string()
}
