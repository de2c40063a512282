//! `kotlin-syntax FILE_OR_DIR...`: parses every `.kt` and `.kts` file with
//! tree-sitter-kotlin-ng and fails on the first syntax errors it finds.
//!
//! The Android Gradle plugin comes only from Google's repository, which
//! Linux CI cannot reach, so the Gradle Kotlin scripts (the region flavors
//! among them) are never evaluated here. This is the check that they, and
//! the app's Kotlin, are at least well-formed Kotlin. It cannot type-check;
//! a machine with the Android SDK does that (scripts/build-region).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tree_sitter::{Node, Parser};

/// Valid Kotlin that tree-sitter-kotlin-ng 1.1 does not parse yet, each with
/// a same-length stand-in it does parse (so reported positions stay right).
/// Keep the list short and exact: what is listed here is no longer checked.
const GRAMMAR_GAPS: &[(&str, &str)] = &[];

fn main() -> ExitCode {
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if roots.is_empty() {
        eprintln!("usage: kotlin-syntax FILE_OR_DIR...");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for root in &roots {
        collect(root, &mut files);
    }
    files.sort();
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_kotlin_ng::LANGUAGE.into())
        .expect("the Kotlin grammar matches this tree-sitter version");
    let mut failed = 0;
    for file in &files {
        let source = match std::fs::read_to_string(file) {
            Ok(s) => mask_grammar_gaps(s),
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                failed += 1;
                continue;
            }
        };
        let Some(tree) = parser.parse(&source, None) else {
            eprintln!("{}: parser gave up", file.display());
            failed += 1;
            continue;
        };
        let mut problems = Vec::new();
        find_errors(tree.root_node(), &mut problems);
        if !problems.is_empty() {
            failed += 1;
            for node in problems.iter().take(20) {
                let p = node.start_position();
                let line = source.lines().nth(p.row).unwrap_or("").trim();
                let kind = if node.is_missing() {
                    "missing"
                } else {
                    "syntax error"
                };
                eprintln!(
                    "{}:{}:{}: {kind} near `{line}`",
                    file.display(),
                    p.row + 1,
                    p.column + 1
                );
            }
        }
    }
    if files.is_empty() {
        eprintln!("kotlin-syntax: no .kt or .kts files under {roots:?}");
        return ExitCode::FAILURE;
    }
    println!(
        "kotlin-syntax: {} files parsed, {failed} with errors",
        files.len()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn mask_grammar_gaps(mut source: String) -> String {
    for (gap, stand_in) in GRAMMAR_GAPS {
        debug_assert_eq!(gap.len(), stand_in.len());
        source = source.replace(gap, stand_in);
    }
    source
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for e in entries.flatten() {
                let p = e.path();
                // Build products, Maven's output and Gradle's caches are
                // not our sources.
                if p.file_name()
                    .is_some_and(|n| n == "build" || n == "target" || n == ".gradle")
                {
                    continue;
                }
                collect(&p, out);
            }
        }
    } else if path.extension().is_some_and(|e| e == "kt" || e == "kts") {
        out.push(path.to_path_buf());
    }
}

/// The innermost error and missing nodes: they point at the actual mistake.
fn find_errors<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    if !node.has_error() {
        return;
    }
    if node.is_missing() {
        out.push(node);
        return;
    }
    let before = out.len();
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        find_errors(child, out);
    }
    if node.is_error() && out.len() == before {
        out.push(node);
    }
}
