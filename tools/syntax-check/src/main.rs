//! `syntax-check swift|kotlin FILE_OR_DIR...`: parses every file of the
//! language with its tree-sitter grammar and fails on the first syntax
//! errors it finds.
//!
//! Linux CI has no Swift compiler, and the Android Gradle plugin comes only
//! from Google's repository, which it cannot reach: so this is the check
//! that the iOS layer, its tests and the generated bindings are at least
//! well-formed Swift, and the Gradle Kotlin scripts (the region flavors
//! among them) and the app's Kotlin well-formed Kotlin. It cannot
//! type-check; the macOS build and a machine with the Android SDK do that.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tree_sitter::{Node, Parser};

/// One language: its files, its grammar, and what is not ours to check.
struct Language {
    name: &'static str,
    extensions: &'static [&'static str],
    grammar: fn() -> tree_sitter::Language,
    /// Directories of build products and caches, skipped.
    skipped: &'static [&'static str],
    /// Valid code the grammar does not parse yet, each with a same-length
    /// stand-in it does parse (so reported positions stay right). Keep the
    /// list short and exact: what is listed here is no longer checked.
    grammar_gaps: &'static [(&'static str, &'static str)],
}

const LANGUAGES: &[Language] = &[
    Language {
        name: "swift",
        extensions: &["swift"],
        grammar: || tree_sitter_swift::LANGUAGE.into(),
        skipped: &[".build", ".swiftpm"],
        grammar_gaps: &[
            // An underscored attribute UniFFI puts on its internal declarations.
            (
                "@_documentation(visibility: private)",
                "                                    ",
            ),
            // A closure whose body is the empty tuple: the grammar wants `() in`.
            ("{ () }", "{ 0  }"),
        ],
    },
    Language {
        name: "kotlin",
        extensions: &["kt", "kts"],
        grammar: || tree_sitter_kotlin_ng::LANGUAGE.into(),
        skipped: &["build", "target", ".gradle"],
        grammar_gaps: &[],
    },
];

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let language = args
        .next()
        .and_then(|l| LANGUAGES.iter().find(|lang| l == lang.name));
    let roots: Vec<PathBuf> = args.map(PathBuf::from).collect();
    let Some(language) = language.filter(|_| !roots.is_empty()) else {
        eprintln!("usage: syntax-check swift|kotlin FILE_OR_DIR...");
        return ExitCode::from(2);
    };
    let mut files = Vec::new();
    for root in &roots {
        collect(language, root, &mut files);
    }
    files.sort();
    let mut parser = Parser::new();
    parser
        .set_language(&(language.grammar)())
        .expect("the grammar matches this tree-sitter version");
    let mut failed = 0;
    for file in &files {
        let source = match std::fs::read_to_string(file) {
            Ok(s) => mask_grammar_gaps(language, s),
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
        eprintln!("syntax-check: no {} files under {roots:?}", language.name);
        return ExitCode::FAILURE;
    }
    println!(
        "syntax-check: {} {} files parsed, {failed} with errors",
        files.len(),
        language.name
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn mask_grammar_gaps(language: &Language, mut source: String) -> String {
    for (gap, stand_in) in language.grammar_gaps {
        debug_assert_eq!(gap.len(), stand_in.len());
        source = source.replace(gap, stand_in);
    }
    source
}

fn collect(language: &Language, path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for e in entries.flatten() {
                let p = e.path();
                // Build products and caches are not our sources.
                if p.file_name()
                    .is_some_and(|n| language.skipped.iter().any(|s| n == *s))
                {
                    continue;
                }
                collect(language, &p, out);
            }
        }
    } else if path
        .extension()
        .is_some_and(|e| language.extensions.iter().any(|x| e == *x))
    {
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
