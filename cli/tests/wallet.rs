//! `palmgov wallet qr|verify|history` as a resident and a clerk run them,
//! against the reference backend and the local provider.

use std::path::Path;

use palmgov_server::dev_provider::DevProvider;

mod common;
use common::{against, backend};

/// A white PNG without a code.
fn blank_png(path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), 120, 80);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&[255; 120 * 80]).unwrap();
    writer.finish().unwrap();
}

#[test]
fn a_licence_shown_as_a_png_is_checked_by_a_clerk_once() {
    let provider = DevProvider::start(600);
    let (_rt, server) = backend(&provider);
    let dir = tempfile::tempdir().unwrap();
    let url = server.base_url();
    let resident = dir.path().join("resident");
    let clerk = dir.path().join("clerk");
    let on = against(&url, &provider.issuer);

    let (ok, _, err) = on(&resident, &["login"], &["--dev", "--user", "cli-resident"]);
    assert!(ok, "{err}");
    let (ok, _, err) = on(&resident, &["wallet"], &["refresh"]);
    assert!(ok, "{err}");
    let (ok, out, err) = on(&resident, &["wallet"], &["history"]);
    assert!(ok && out.trim() == "nothing shown yet", "{out}{err}");
    let (ok, list, err) = on(&resident, &["wallet"], &["--lang", "en", "list"]);
    assert!(ok, "{err}");
    let card = list
        .lines()
        .find(|l| l.contains("Resident ID card"))
        .and_then(|l| l.split('\t').next())
        .unwrap_or_else(|| panic!("no ID card in {list}"))
        .to_string();

    // Drawn in the terminal: the payload, what it shows, then the code.
    let (ok, out, err) = on(&resident, &["wallet"], &["qr", &card]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("PG1:"), "{out}");
    assert_eq!(lines[1], "claims: name, age_over_18");
    assert!(lines[2].starts_with("QR version "), "{out}");
    assert!(
        lines[3].starts_with("valid ") && lines[3].contains("+08:00"),
        "{out}"
    );
    let drawn = &lines[4..];
    assert!(drawn[0].chars().all(|c| c == '█'), "quiet zone: {out}");
    assert!(
        drawn
            .iter()
            .all(|l| l.chars().count() == drawn[0].chars().count()),
        "{out}"
    );

    // Two codes as PNGs: each a new presentation.
    let png = dir.path().join("card.png");
    let (ok, out, err) = on(
        &resident,
        &["wallet"],
        &[
            "qr",
            &card,
            "--profile",
            "name-last4",
            "--png",
            png.to_str().unwrap(),
            "--codes",
            "2",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("claims: name, id_number_last4"), "{out}");
    let (first, second) = (dir.path().join("card-1.png"), dir.path().join("card-2.png"));
    assert!(first.is_file() && second.is_file(), "{out}");
    let payloads: Vec<&str> = out.lines().filter(|l| l.starts_with("PG1:")).collect();
    assert_eq!(payloads.len(), 2);
    assert_ne!(payloads[0], payloads[1]);

    // "Full" needs the confirmation: the core's error, nothing shown.
    let (ok, out, err) = on(&resident, &["wallet"], &["qr", &card, "--profile", "full"]);
    assert!(!ok && out.is_empty(), "{out}");
    assert!(err.trim_end().ends_with("[input.invalid]"), "{err}");
    let (ok, out, err) = on(
        &resident,
        &["wallet"],
        &["qr", &card, "--profile", "full", "--confirm-full"],
    );
    assert!(ok, "{err}");
    let claims = out.lines().find(|l| l.starts_with("claims: ")).unwrap();
    assert!(
        claims.contains(" name,") && claims.contains(" id_number,"),
        "{claims}"
    );

    // The resident's record, newest first.
    let (ok, out, err) = on(&resident, &["wallet"], &["--lang", "en", "history"]);
    assert!(ok, "{err}");
    let history: Vec<&str> = out.lines().collect();
    assert_eq!(history.len(), 3, "{out}");
    assert!(
        history[0].contains("\tResident ID card\tfull\t") && history[0].contains("id_number"),
        "{out}"
    );
    assert!(history[1].ends_with("\tname-last4\tname, id_number_last4"));
    assert!(history[2].ends_with("\tname-age\tname, age_over_18"));
    assert!(history[2].contains(" +08:00\t"), "{out}");

    // The clerk: status lists while online, then the PNG, once.
    let (ok, _, err) = on(&clerk, &["wallet"], &["refresh-status"]);
    assert!(ok, "{err}");
    let (ok, out, err) = on(&clerk, &["wallet"], &["verify", first.to_str().unwrap()]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "valid", "{out}");
    assert_eq!(lines[1], "居民身份证 (id_card)");
    assert!(lines[2].starts_with("issued by "), "{out}");
    assert!(out.contains("\n  name: ") && out.contains("\n  id_number_last4: "));
    assert!(
        out.contains("\nshown 20") && out.contains("+08:00"),
        "{out}"
    );
    let (ok, out, err) = on(&clerk, &["wallet"], &["verify", first.to_str().unwrap()]);
    assert!(ok, "any verdict exits 0: {err}");
    assert_eq!(out.trim(), "invalid (presentation.replayed)");
    // The second code, as the scanned text.
    let (ok, out, err) = on(&clerk, &["wallet"], &["verify", payloads[1]]);
    assert!(ok && out.starts_with("valid\n"), "{out}{err}");

    // Images the clerk cannot use: typed errors, exit 1.
    let blank = dir.path().join("blank.png");
    blank_png(&blank);
    let not_png = dir.path().join("photo.png");
    std::fs::write(&not_png, b"GIF89a not a PNG").unwrap();
    let missing = dir.path().join("missing.png");
    for (file, code) in [
        (&blank, "[cli.no_qr_code]"),
        (&not_png, "[cli.png]"),
        (&missing, "[cli.file]"),
    ] {
        let (ok, out, err) = on(&clerk, &["wallet"], &["verify", file.to_str().unwrap()]);
        assert!(!ok && out.is_empty(), "{out}");
        assert!(err.trim_end().ends_with(code), "{file:?}: {err}");
    }
}
