//! Entry points for the fuzz targets (`fuzz/`) and for the corpus replay
//! in `scripts/test`. Both must only ever return: any panic is a bug.

use serde_json::json;

use super::definition::Form;
use super::engine::{self, Answers};
use super::expr::{Expr, Scope, to_var};

/// Loads `data` as a definition; a form that loads is evaluated over empty
/// and over junk answers.
pub fn form_definition(data: &[u8]) {
    let Ok(form) = Form::load(data) else {
        return;
    };
    let mut answers = Answers::default();
    engine::evaluate(&form, &mut answers, "2026-11-24");
    for (_, f) in form.children(None) {
        answers.top.insert(f.name.clone(), json!("x"));
    }
    let state = engine::evaluate(&form, &mut answers, "2026-11-24");
    engine::submission_answers(&form, &answers, &state);
}

/// Compiles `data` as an expression and evaluates it with a few variables.
pub fn expression(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(expr) = Expr::compile(source) else {
        return;
    };
    let values = [
        ("age", json!(70)),
        ("name", json!(null)),
        ("x", json!(1.5)),
        ("members", json!([{"age": 61}, {"age": null}])),
        ("value", json!("2026-01-01")),
    ];
    let scope = Scope::root(
        values.iter().map(|(k, v)| (k.to_string(), to_var(v))),
        "2026-11-24",
    );
    let _ = expr.eval(&scope);
    let _ = expr.test(&scope);
}
