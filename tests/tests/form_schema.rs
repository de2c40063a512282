//! The published JSON Schema of form definitions (`docs/form.schema.json`)
//! and the definitions the reference backend ships must agree: a region
//! that authors forms against the schema must not meet a definition the
//! schema calls invalid, nor a schema that accepts anything.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&read(&repo().join("docs/form.schema.json")))
        .expect("the form schema is itself a valid 2020-12 schema")
}

fn bundled() -> Vec<(PathBuf, Value)> {
    let dir = repo().join("server/forms");
    let mut forms: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let form = read(&p);
            (p, form)
        })
        .collect();
    forms.sort_by(|a, b| a.0.cmp(&b.0));
    forms
}

#[test]
fn every_bundled_form_is_valid_under_the_published_schema() {
    let schema = validator();
    let forms = bundled();
    assert!(
        forms.len() >= 2,
        "the backend ships its forms from server/forms"
    );
    for (path, form) in forms {
        let errors: Vec<String> = schema
            .iter_errors(&form)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let schema = validator();
    let (_, form) = bundled().remove(0);
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut f = form.clone();
        change(&mut f);
        f
    };
    let cases = [
        (
            "no fields",
            broken(&|f| {
                f.as_object_mut()
                    .unwrap()
                    .remove("fields")
                    .map(drop)
                    .unwrap()
            }),
        ),
        (
            "unknown field type",
            broken(&|f| f["fields"][0]["type"] = json!("hologram")),
        ),
        ("unknown format", broken(&|f| f["format"] = json!(99))),
        ("a negative version", broken(&|f| f["version"] = json!(-1))),
        (
            "an unknown top-level key",
            broken(&|f| f["extra"] = json!(true)),
        ),
    ];
    for (what, form) in cases {
        assert!(!schema.is_valid(&form), "the schema accepted {what}");
    }
}
