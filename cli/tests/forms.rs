//! `palmgov forms|draft|roster|sync` as a user runs them, against the reference
//! backend and the local provider.

use palmgov_server::dev_provider::DevProvider;

mod common;
use common::{backend, run};

#[test]
fn fill_a_form_from_the_terminal_and_sync_it() {
    let provider = DevProvider::start(600);
    let (_rt, server) = backend(&provider);
    let dir = tempfile::tempdir().unwrap();
    let url = server.base_url();
    let core = [
        "--data-dir",
        dir.path().to_str().unwrap(),
        "--server",
        &url,
        "--issuer",
        &provider.issuer,
    ];
    let with = |cmd: &[&str], tail: &[&str]| -> (bool, String, String) {
        let mut args: Vec<&str> = cmd.to_vec();
        args.extend_from_slice(&core);
        args.extend_from_slice(tail);
        run(&args)
    };
    let (ok, _, err) = with(&["login"], &["--dev", "--user", "cli-worker"]);
    assert!(ok, "{err}");
    let (ok, out, err) = with(&["forms"], &["--refresh", "--lang", "en"]);
    assert!(
        ok && out.contains("household-visit\tv1\tHousehold visit"),
        "{out}{err}"
    );

    let (ok, out, err) = with(&["draft"], &["new", "household-visit", "--subject", "张三"]);
    assert!(ok, "{err}");
    let draft = out.trim().to_string();
    let (ok, out, err) = with(
        &["draft"],
        &[
            "--lang",
            "en",
            "fill",
            &draft,
            "housing=rented",
            "head_name=张三",
            "visit_date=2026-11-20",
        ],
    );
    assert!(ok, "{err}");
    // Choosing "rented" makes the rent relevant and required.
    assert!(
        out.contains("rent_monthly\t—") && out.contains("This field is required."),
        "{out}"
    );
    let (ok, _, err) = with(
        &["draft"],
        &["fill", &draft, "head_id_number=110105194912310021"],
    );
    assert!(!ok && err.contains("checksum"), "{err}");

    let (ok, out, _) = with(&["draft"], &["list", "--search", "张三"]);
    assert!(ok && out.contains(&draft), "{out}");

    // A pasted terminal escape and a bidi override are dropped from the
    // answer; nothing the CLI prints holds a raw control character.
    let (ok, out, err) = with(
        &["draft"],
        &["fill", &draft, "head_name=张三\u{1b}[2J\u{202e}"],
    );
    assert!(ok, "{out}{err}");
    let (_, shown, _) = with(&["draft"], &["show", &draft]);
    assert!(shown.contains("张三[2J"), "{shown}");
    let (_, listed, _) = with(&["draft"], &["list"]);
    for printed in [&out, &shown, &listed] {
        assert!(
            !printed.chars().any(|c| c == '\u{1b}' || c == '\u{202e}'),
            "{printed:?}"
        );
    }
    let (ok, _, err) = with(&["draft"], &["fill", &draft, "head_name=张三"]);
    assert!(ok, "{err}");
    let (ok, out, _) = with(&["draft"], &["--lang", "en", "finalize", &draft]);
    assert!(!ok && out.contains("head_id_number\trequired"), "{out}");

    let (ok, out, _) = with(&["draft"], &["show", &draft]);
    let member = out
        .lines()
        .find_map(|l| l.split('\t').nth(1).filter(|p| p.starts_with("members/")))
        .map(|p| p.split('/').nth(1).unwrap().to_string())
        .expect("a member instance");
    assert!(ok);
    let (ok, _, err) = with(
        &["draft"],
        &[
            "fill",
            &draft,
            "housing=owned",
            "household_division=330106001001",
            "head_id_number=11010519491231002X",
            &format!("members/{member}/member_name=张三"),
            &format!("members/{member}/member_age=40"),
        ],
    );
    assert!(ok, "{err}");
    let (ok, out, err) = with(&["draft"], &["finalize", &draft]);
    assert!(ok && out.starts_with("queued as "), "{out}{err}");
    // The township assigns a grid; the worker adds a household met on the way.
    server
        .roster()
        .assign("cli-worker", &palmgov_server::AssignedHousehold::sample(2));
    let (ok, out, err) = with(&["roster"], &["--refresh"]);
    assert!(
        ok && out.lines().count() == 2 && out.contains("HH-001\t"),
        "{out}{err}"
    );
    let (ok, _, err) = with(
        &["roster"],
        &["add", "--head", "赵六", "--division", "339999"],
    );
    assert!(!ok && err.contains("input.invalid"), "{err}");
    let (ok, added, err) = with(
        &["roster"],
        &["add", "--head", "赵六", "--division", "330106001001"],
    );
    assert!(ok, "{err}");
    let (_, out, _) = with(&["roster"], &[]);
    assert!(
        out.contains(&format!("{}\t赵六", added.trim())) && out.contains("Pending"),
        "{out}"
    );
    let (ok, out, err) = with(&["sync"], &[]);
    assert!(
        ok && out.contains("delivered 1") && out.contains("households sent 1"),
        "{out}{err}"
    );
    assert!(err.contains("2/2 items"), "progress bar: {err}");
    assert_eq!(server.roster().households_of("cli-worker").len(), 3);
    let stored = server.submissions().inventory();
    assert_eq!(stored["submissions"].as_array().unwrap().len(), 1);
}
