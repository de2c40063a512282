//! The house's rules, checked on the source (`scripts/test` runs this with
//! the other tests). It reads every `crate::` path in `core/src`, in `use`
//! lines and in code alike, and fails on a forbidden edge:
//!
//! - the FFI face (`api`) and the test doubles (`software`) may use
//!   anything; they are the top;
//! - the coordinators (`app`) may use the capabilities and everything below
//!   them, never the face;
//! - a capability may use only the capabilities declared before it in
//!   `app::CAPABILITIES` and the infrastructure, never a later capability,
//!   the coordinators or the face;
//! - the infrastructure may use only infrastructure;
//! - the forms engine (`forms`) may use nothing outside itself but `error`.
//!
//! It also checks that each table has one owner: SQL that reads or writes a
//! table appears only in the capability that owns it (schema migrations
//! aside).
//!
//! Test modules are left out: an end-to-end test inside a capability may
//! drive the whole core through its face.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The infrastructure below every capability.
const INFRASTRUCTURE: &[&str] = &[
    "clock", "config", "context", "crypto", "delivery", "error", "gate", "hooks", "i18n",
    "logging", "net", "redact", "runtime", "shape", "store", "forms",
];

/// Who may read and write each table.
const TABLE_OWNERS: &[(&str, &str)] = &[
    ("data_keys", "store"),
    ("secure_records", "store"),
    ("form_definitions", "catalog"),
    ("drafts", "drafts"),
    ("answers", "drafts"),
    ("attachments", "media"),
    ("outbox", "outbox"),
    ("applications", "outbox"),
    ("households", "roster"),
    ("licences", "wallet"),
    ("trust_documents", "wallet"),
    ("presentations", "wallet"),
    ("seen_presentations", "wallet"),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The declared order of capabilities, read from `app/mod.rs`.
fn capabilities() -> Vec<String> {
    let app = std::fs::read_to_string(src().join("app/mod.rs")).unwrap();
    let list = &app[app.find("const CAPABILITIES").expect("app::CAPABILITIES")..];
    let list = &list[..list.find("];").unwrap()];
    list.split("(\"")
        .skip(1)
        .map(|item| item.split('"').next().unwrap().to_string())
        .collect()
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`drafts` for
/// `src/drafts/store.rs`, `clock` for `src/clock.rs`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).unwrap();
    let first = rel.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

/// The code of a file: comments removed, and test modules (from the first
/// `#[cfg(test)]` that opens a module) cut off.
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]")
            && lines.peek().is_some_and(|next| {
                next.trim_start().starts_with("mod ")
                    || next.trim_start().starts_with("pub(crate) mod tests")
            })
        {
            // `mod tests;` declares a file (left out by name); an inline
            // test module runs to the end of the file by convention.
            if lines
                .peek()
                .is_some_and(|next| next.trim_end().ends_with(';'))
            {
                lines.next();
                continue;
            }
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let line = match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The names the crate root re-exports, by the module they come from
/// (`PalmGov` → `api`), so a `crate::PalmGov` path counts as an edge to
/// the face.
fn reexports() -> BTreeMap<String, String> {
    let lib = code(&std::fs::read_to_string(src().join("lib.rs")).unwrap());
    let mut out = BTreeMap::new();
    for item in lib.split("pub use ").skip(1) {
        let item = &item[..item.find(';').unwrap()];
        let module = item.split("::").next().unwrap().trim().to_string();
        let names = item.rsplit("::").next().unwrap();
        for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            let name = name.trim();
            if !name.is_empty() {
                out.insert(name.to_string(), module.clone());
            }
        }
    }
    out
}

/// The top-level modules a piece of code names through `crate::` paths,
/// grouped imports (`crate::{a, b::c}`) included.
fn crate_paths(code: &str, reexports: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().last();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `palmgov_crate::`, not ours
        }
        let names: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end]
                .split(',')
                .map(|p| p.trim().split("::").next().unwrap_or("").to_string())
                .collect()
        } else {
            vec![
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            ]
        };
        for name in names {
            if name.is_empty() {
                continue;
            }
            out.insert(reexports.get(&name).cloned().unwrap_or(name));
        }
    }
    out
}

/// Which layer a module is in, and its place among the capabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    Top,
    Coordinators,
    Capability(usize),
    Infrastructure,
    Forms,
    Root,
}

fn layer(module: &str, capabilities: &[String]) -> Option<Layer> {
    Some(match module {
        "api" | "software" => Layer::Top,
        "app" => Layer::Coordinators,
        "forms" => Layer::Forms,
        "lib" => Layer::Root,
        m if INFRASTRUCTURE.contains(&m) => Layer::Infrastructure,
        m => Layer::Capability(capabilities.iter().position(|c| c == m)?),
    })
}

/// Why `from` may not use `to`, if it may not.
fn forbidden(from: Layer, to: Layer) -> Option<&'static str> {
    use Layer::*;
    match (from, to) {
        (Top | Root, _) => None,
        (_, Root) => None,
        (Coordinators, Top) => Some("the coordinators use the face"),
        (Coordinators, _) => None,
        (Capability(_), Top) => Some("a capability uses the face"),
        (Capability(_), Coordinators) => Some("a capability uses the coordinators"),
        (Capability(a), Capability(b)) if b > a => Some("a capability uses one declared after it"),
        (Capability(_), _) => None,
        (Infrastructure, Infrastructure | Forms) => None,
        (Infrastructure, _) => Some("the infrastructure uses something above it"),
        (Forms, _) => Some("the forms engine uses something outside itself"),
    }
}

/// Every forbidden edge in `core/src`, as `file: reason (module)` lines.
fn violations() -> Vec<String> {
    let capabilities = capabilities();
    let reexports = reexports();
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let mut out = Vec::new();
    for file in files {
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let from_module = module_of(&file);
        let Some(from) = layer(&from_module, &capabilities) else {
            out.push(format!(
                "{}: module `{from_module}` is in no layer: declare it a capability in app::CAPABILITIES or infrastructure here",
                file.display()
            ));
            continue;
        };
        let text = code(&std::fs::read_to_string(&file).unwrap());
        for to_module in crate_paths(&text, &reexports) {
            if to_module == from_module {
                continue;
            }
            let Some(to) = layer(&to_module, &capabilities) else {
                // A macro's own path (`crate::...` generated by uniffi) or
                // a name the root defines itself.
                continue;
            };
            if from == Layer::Forms && to_module == "error" {
                continue;
            }
            if let Some(why) = forbidden(from, to) {
                out.push(format!(
                    "{}: {why} (`{from_module}` → `{to_module}`)",
                    file.strip_prefix(src()).unwrap().display()
                ));
            }
        }
        // Each table has one owner.
        if file.ends_with("store/migrations.rs") {
            continue;
        }
        for (table, owner) in TABLE_OWNERS {
            let touches = ["FROM", "INTO", "UPDATE", "JOIN", "DELETE FROM"]
                .iter()
                .any(|verb| {
                    text.match_indices(&format!("{verb} {table}"))
                        .any(|(i, m)| {
                            text[i + m.len()..]
                                .chars()
                                .next()
                                .is_none_or(|c| !c.is_alphanumeric() && c != '_')
                        })
                });
            if touches && from_module != *owner {
                out.push(format!(
                    "{}: SQL on `{table}`, which `{owner}` owns",
                    file.strip_prefix(src()).unwrap().display()
                ));
            }
        }
    }
    out
}

#[test]
fn no_forbidden_edge_in_the_core() {
    let found = violations();
    assert!(found.is_empty(), "forbidden edges:\n{}", found.join("\n"));
}

#[test]
fn the_checker_sees_paths_in_code_and_grouped_imports() {
    let reexports = BTreeMap::from([("PalmGov".to_string(), "api".to_string())]);
    let paths = crate_paths(
        "use crate::{drafts::X, error::Result};\nlet x = crate::outbox::instance_of(y);\nlet g = crate::PalmGov::open();",
        &reexports,
    );
    assert_eq!(
        paths,
        ["api", "drafts", "error", "outbox"]
            .map(String::from)
            .into()
    );
    let caps: Vec<String> = ["identity", "drafts"].map(String::from).to_vec();
    let identity = layer("identity", &caps).unwrap();
    let drafts = layer("drafts", &caps).unwrap();
    assert!(forbidden(identity, drafts).is_some(), "a later capability");
    assert!(forbidden(drafts, identity).is_none());
    assert!(forbidden(drafts, Layer::Top).is_some(), "the face");
    assert!(forbidden(Layer::Infrastructure, drafts).is_some());
    assert!(forbidden(Layer::Forms, Layer::Infrastructure).is_some());
}
