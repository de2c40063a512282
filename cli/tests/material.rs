//! `palmgov draft attach-licence|prefill-from-code` as a resident and a grid
//! worker run them: licences as form material (申报材料重复使用), against the
//! reference backend and the local provider.

use palmgov_server::dev_provider::DevProvider;

mod common;
use common::{against, backend};

#[test]
fn a_licence_is_attached_with_consent_and_a_shown_code_fills_a_visit() {
    let provider = DevProvider::start(600);
    let (_rt, server) = backend(&provider);
    let dir = tempfile::tempdir().unwrap();
    let url = server.base_url();
    let resident = dir.path().join("resident");
    let worker = dir.path().join("worker");
    let on = against(&url, &provider.issuer);

    // The resident's own application: her household register fills the
    // registered address when the draft is created.
    let (ok, _, err) = on(&resident, &["login"], &["--dev", "--user", "resident-demo"]);
    assert!(ok, "{err}");
    let (ok, _, err) = on(&resident, &["wallet"], &["refresh"]);
    assert!(ok, "{err}");
    let (ok, out, err) = on(&resident, &["forms"], &["--refresh"]);
    assert!(
        ok && out.contains("residence-certificate\tv1\t户籍证明申请"),
        "{out}{err}"
    );
    let (ok, out, err) = on(&resident, &["draft"], &["new", "residence-certificate"]);
    assert!(ok, "{err}");
    assert!(
        err.contains("prefilled registered_address from licence.household_register.address"),
        "{err}"
    );
    let draft = out.trim().to_string();

    // Typed by hand, a licence reference is refused.
    let (ok, _, err) = on(
        &resident,
        &["draft"],
        &[
            "fill",
            &draft,
            r#"household_register={"type":"household_register","number":"x"}"#,
        ],
    );
    assert!(!ok && err.contains("attach_from_wallet"), "{err}");

    // The offer first; without her consent nothing is attached.
    let (ok, out, err) = on(
        &resident,
        &["draft"],
        &["attach-licence", &draft, "household_register"],
    );
    assert!(!ok && err.contains("[cli.declined]"), "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "share 居民户口簿 (household_register) with 户籍证明申请: name, id_number, address"
    );
    assert_eq!(lines[1], "purpose: 核验户籍，开具户籍证明");
    assert!(
        lines[2].starts_with("licence: ") && lines[2].ends_with("(valid until 9999-12-31)"),
        "{out}"
    );
    let licence = lines[2]["licence: ".len()..].split(' ').next().unwrap();
    let (_, shown, _) = on(&resident, &["draft"], &["show", &draft]);
    assert!(!shown.contains("\nlicence\t"), "{shown}");

    // Another licence than one the field takes is refused before asking.
    let (ok, _, err) = on(
        &resident,
        &["draft"],
        &[
            "attach-licence",
            &draft,
            "household_register",
            "--licence",
            "1.2.156.3005.2.other",
            "--yes",
        ],
    );
    assert!(!ok && err.contains("[cli.no_licence]"), "{err}");

    let (ok, out, err) = on(
        &resident,
        &["draft"],
        &["attach-licence", &draft, "household_register", "--yes"],
    );
    assert!(ok && out.contains("saved household_register"), "{out}{err}");
    let (ok, _, err) = on(
        &resident,
        &["draft"],
        &["fill", &draft, "certificate_use=school"],
    );
    assert!(ok, "{err}");
    let (ok, shown, _) = on(&resident, &["draft"], &["show", &draft]);
    assert!(
        ok && shown.contains(
            "licence\thousehold_register attached to household_register\tshares name, \
             id_number, address with residence-certificate for 核验户籍，开具户籍证明\t"
        ),
        "{shown}"
    );
    let (ok, out, err) = on(&resident, &["draft"], &["finalize", &draft]);
    assert!(ok && out.starts_with("queued as "), "{out}{err}");
    let instance = out.trim()["queued as ".len()..].to_string();
    let (ok, out, err) = on(&resident, &["sync"], &[]);
    assert!(ok && out.contains("delivered 1"), "{out}{err}");
    assert_eq!(
        server.submissions().accepted_licences(&instance),
        [("household_register".to_string(), licence.to_string())]
    );

    // A household visit: the worker's draft about the resident is filled
    // from the code she shows, once.
    let (ok, _, err) = on(&worker, &["login"], &["--dev", "--user", "cli-worker"]);
    assert!(ok, "{err}");
    let (ok, _, err) = on(&worker, &["wallet"], &["refresh-status"]);
    assert!(ok, "{err}");
    let (ok, _, err) = on(&worker, &["forms"], &["--refresh"]);
    assert!(ok, "{err}");
    let (ok, out, err) = on(
        &worker,
        &["draft"],
        &["new", "household-visit", "--subject", "马玉兰"],
    );
    assert!(ok, "{err}");
    let visit = out.trim().to_string();
    let (_, list, _) = on(&resident, &["wallet"], &["--lang", "en", "list"]);
    let card = list
        .lines()
        .find(|l| l.contains("Resident ID card"))
        .and_then(|l| l.split('\t').next())
        .unwrap_or_else(|| panic!("no ID card in {list}"))
        .to_string();
    let png = dir.path().join("visit.png");
    let (ok, _, err) = on(
        &resident,
        &["wallet"],
        &[
            "qr",
            &card,
            "--profile",
            "household-visit",
            "--png",
            png.to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    let (ok, out, err) = on(
        &worker,
        &["draft"],
        &["prefill-from-code", &visit, png.to_str().unwrap()],
    );
    assert!(ok, "{err}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "valid: 居民身份证 (id_card)",
            "prefilled head_name from licence.id_card.name",
            "prefilled head_id_number from licence.id_card.id_number",
        ],
        "{out}"
    );
    let (ok, _, err) = on(
        &worker,
        &["draft"],
        &["prefill-from-code", &visit, png.to_str().unwrap()],
    );
    assert!(
        !ok && err.contains("presentation.replayed") && err.contains("[cli.code_refused]"),
        "{err}"
    );
    let (_, shown, _) = on(&worker, &["draft"], &["show", &visit]);
    let uses: Vec<&str> = shown
        .lines()
        .filter(|l| l.starts_with("licence\t"))
        .collect();
    assert_eq!(uses.len(), 1, "{shown}");
    assert!(
        uses[0].starts_with("licence\tid_card shown to the worker\tshares ")
            && uses[0].contains("with household-visit for "),
        "{shown}"
    );

    // Her own application takes no code: she attaches her licences herself.
    let (ok, out, err) = on(
        &resident,
        &["wallet"],
        &["qr", &card, "--profile", "household-visit"],
    );
    assert!(ok, "{err}");
    let payload = out.lines().next().unwrap().to_string();
    let (ok, own, err) = on(&worker, &["draft"], &["new", "subsidy-application"]);
    assert!(ok, "{err}");
    let (ok, _, err) = on(
        &worker,
        &["draft"],
        &["prefill-from-code", own.trim(), &payload],
    );
    assert!(!ok && err.contains("own_application"), "{err}");
}
