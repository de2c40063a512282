//! Form expressions in CEL (the Common Expression Language), through the
//! `cel` crate: relevance, required-when, constraints, calculations and
//! choice filters.
//!
//! Why CEL: a small, side-effect-free, documented language with a
//! specification and a well-kept Rust implementation; it evaluates in about
//! a microsecond, so every answer can re-run its dependents.
//!
//! Empty values (`docs/forms.md` states this for form authors):
//! - An unanswered or non-relevant field is `null`; a repeat is a list of
//!   maps, one per instance, each member `null` when unanswered.
//! - Comparing `null` with a number or string is an evaluation error in CEL.
//!   The engine turns an error into the safe outcome for each use: not
//!   relevant, not required, constraint failed, calculation empty, choice
//!   hidden. Authors test for emptiness with `x != null`.
//! - A constraint runs only on an answered field; `value` is the answer.
//! - Dates, times and date-times are ISO 8601 strings, so they compare in
//!   order; `today` is the device's local date. Decimals are doubles.
//!
//! Regular expressions are left out (the `regex` feature costs 600 KB);
//! the typed validators cover what forms need them for.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use cel::common::types::{
    CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString,
};
use cel::common::value::Val;
use cel::objects::Key;
use cel::{Context, Env, Program, Value};

/// The standard library environment, built once: building it per
/// evaluation would cost more than the evaluation.
static ENV: LazyLock<Arc<Env>> = LazyLock::new(|| Arc::new(Env::stdlib()));

/// Functions a form may call. Anything else is refused at load, not at
/// the first evaluation in a village without signal.
const FUNCTIONS: &[&str] = &[
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "int",
    "uint",
    "double",
    "string",
    "bool",
    "has",
    "all",
    "exists",
    "exists_one",
    "map",
    "filter",
    "max",
    "min",
    "dyn",
];

/// A compiled expression and the variables it reads.
pub(crate) struct Expr {
    program: Program,
    variables: Vec<String>,
}

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expr")
            .field("variables", &self.variables)
            .finish()
    }
}

/// Why an expression was refused at load.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CompileError {
    Syntax,
    UnknownFunction,
    TooLong,
    /// Nested or chained past [`MAX_DEPTH`] / [`MAX_OPERATORS`].
    TooComplex,
}

/// The longest expression source, in bytes.
const MAX_SOURCE: usize = 2048;
/// The deepest nesting of brackets. The parser and the evaluator recurse
/// per level; a stack overflow is an abort that no error handling can
/// catch, found by the fuzz corpus. 16 levels run on a 1 MB thread stack.
const MAX_DEPTH: usize = 16;
/// The most operators in one expression (each adds a level to the tree).
const MAX_OPERATORS: usize = 128;

/// Checks nesting and size before the parser sees the source.
fn within_limits(source: &str) -> bool {
    let (mut depth, mut max_depth, mut operators) = (0usize, 0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in source.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' => {
                depth += 1;
                max_depth = max_depth.max(depth);
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '+' | '-' | '*' | '/' | '%' | '&' | '|' | '=' | '<' | '>' | '!' | '?' | '.' => {
                operators += 1
            }
            _ => {}
        }
    }
    max_depth <= MAX_DEPTH && operators <= MAX_OPERATORS
}

impl Expr {
    pub(crate) fn compile(source: &str) -> Result<Self, CompileError> {
        if source.len() > MAX_SOURCE {
            return Err(CompileError::TooLong);
        }
        if !within_limits(source) {
            return Err(CompileError::TooComplex);
        }
        let program = ENV.compile(source).map_err(|_| CompileError::Syntax)?;
        let refs = program.references();
        let unknown = refs
            .functions()
            .into_iter()
            .any(|f| f.starts_with(|c: char| c.is_ascii_alphabetic()) && !FUNCTIONS.contains(&f));
        if unknown {
            return Err(CompileError::UnknownFunction);
        }
        let bound = macro_variables(source);
        let mut variables: Vec<String> = refs
            .variables()
            .into_iter()
            .filter(|v| !bound.iter().any(|b| b == v))
            .map(String::from)
            .collect();
        variables.sort();
        Ok(Self { program, variables })
    }

    /// The names the expression reads (fields and the reserved names).
    pub(crate) fn variables(&self) -> Vec<String> {
        self.variables.clone()
    }

    /// Evaluates to a boolean; an error or a non-boolean is `None`.
    pub(crate) fn test(&self, scope: &Scope<'_>) -> Option<bool> {
        match self.eval(scope)? {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// Evaluates to a value; an error is `None`.
    pub(crate) fn eval(&self, scope: &Scope<'_>) -> Option<Value> {
        self.program.execute(&scope.context).ok()
    }
}

/// The names the comprehension macros bind (`m` in `xs.filter(m, …)`),
/// which `cel` reports among the variables. A textual scan is enough: a
/// false match inside a string literal only skips a load-time check, and
/// evaluation still fails safe.
fn macro_variables(source: &str) -> Vec<String> {
    let mut bound = Vec::new();
    for name in ["all(", "exists(", "exists_one(", "map(", "filter("] {
        let pattern = format!(".{name}");
        let mut rest = source;
        while let Some(at) = rest.find(&pattern) {
            rest = &rest[at + pattern.len()..];
            let args: Vec<&str> = rest.split(',').take(3).collect();
            // One bound name (`x, body`) or two (`i, v, body`).
            for arg in args.iter().take(args.len().saturating_sub(1)).take(2) {
                let arg = arg.trim();
                if !arg.is_empty() && arg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    bound.push(arg.to_string());
                } else {
                    break;
                }
            }
        }
    }
    bound
}

/// The variables an expression sees: the form's values, plus an
/// instance's members inside a repeat, plus `value`/`choice`.
pub(crate) struct Scope<'p> {
    context: Context<'p, 'static>,
}

impl Scope<'static> {
    /// The top level: the given fields by name, and `today`.
    pub(crate) fn root(values: impl IntoIterator<Item = (String, Var)>, today: &str) -> Self {
        let mut context = Context::with_env(ENV.clone());
        for (name, value) in values {
            context.add_variable_as_val(name, value);
        }
        context.add_variable_as_val("today", string_var(today.to_string()));
        Self { context }
    }

    /// A scope with no variables, for an edit where nothing affected has
    /// an expression: it is never read, so it costs nothing to fill.
    pub(crate) fn empty() -> Self {
        Self {
            context: Context::with_env(ENV.clone()),
        }
    }
}

impl Scope<'_> {
    /// Replaces (or adds) one variable.
    pub(crate) fn set(&mut self, name: &str, value: Var) {
        self.context.add_variable_as_val(name, value);
    }

    /// A child scope whose `names` shadow the parent's.
    pub(crate) fn child(&self, values: impl IntoIterator<Item = (String, Var)>) -> Scope<'_> {
        let mut context = self.context.new_inner_scope();
        for (name, value) in values {
            context.add_variable_as_val(name, value);
        }
        Scope { context }
    }
}

/// A variable, built as cel's runtime value directly. Binding a `Value`
/// made cel convert it and clone every list and map inside once more: with
/// a household's members list, that was a fifth of a member's save.
pub(crate) type Var = Box<dyn Val + 'static>;

/// A JSON answer as a CEL variable (see the module notes for the mapping).
pub(crate) fn to_var(value: &serde_json::Value) -> Var {
    match value {
        serde_json::Value::Null => null_var(),
        serde_json::Value::Bool(b) => Box::new(CelBool::from(*b)),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Box::new(CelInt::from(i)),
            None => Box::new(CelDouble::from(n.as_f64().unwrap_or(f64::NAN))),
        },
        serde_json::Value::String(s) => string_var(s.clone()),
        serde_json::Value::Array(items) => list_var(items.iter().map(to_var).collect()),
        serde_json::Value::Object(map) => map_var(map.iter().map(|(k, v)| (k.clone(), to_var(v)))),
    }
}

pub(crate) fn null_var() -> Var {
    Box::new(CelNull)
}

pub(crate) fn string_var(s: String) -> Var {
    Box::new(CelString::from(s))
}

pub(crate) fn list_var(items: Vec<Var>) -> Var {
    Box::new(CelList::from(items))
}

/// A CEL map with string keys.
pub(crate) fn map_var(entries: impl IntoIterator<Item = (String, Var)>) -> Var {
    let map: HashMap<CelMapKey<'static>, Var> = entries
        .into_iter()
        .map(|(k, v)| (CelMapKey::from(k), v))
        .collect();
    Box::new(CelMap::from(map))
}

/// A calculated CEL value as a JSON answer; `None` for what JSON cannot
/// hold (NaN, bytes, functions), which the engine treats as empty.
pub(crate) fn to_json(value: &Value) -> Option<serde_json::Value> {
    Some(match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => (*i).into(),
        Value::UInt(u) => (*u).into(),
        Value::Float(f) => serde_json::Number::from_f64(*f)?.into(),
        Value::String(s) => s.as_str().into(),
        Value::List(items) => items
            .iter()
            .map(to_json)
            .collect::<Option<Vec<_>>>()?
            .into(),
        Value::Map(m) => {
            let mut out = serde_json::Map::new();
            for (k, v) in m.map.iter() {
                let Key::String(k) = k else { return None };
                out.insert(k.to_string(), to_json(v)?);
            }
            out.into()
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(pairs: &[(&str, serde_json::Value)]) -> Scope<'static> {
        Scope::root(
            pairs.iter().map(|(k, v)| (k.to_string(), to_var(v))),
            "2026-11-24",
        )
    }

    #[test]
    fn evaluates_with_fields_and_empty_values() {
        let scope = root(&[("age", 20.into()), ("name", serde_json::Value::Null)]);
        assert_eq!(Expr::compile("age >= 18").unwrap().test(&scope), Some(true));
        assert_eq!(
            Expr::compile("name == null").unwrap().test(&scope),
            Some(true)
        );
        // Comparing an empty value is an error, which callers map to the
        // safe outcome.
        assert_eq!(Expr::compile("name > 3").unwrap().test(&scope), None);
        assert_eq!(Expr::compile("age + 1").unwrap().test(&scope), None);
        assert_eq!(
            Expr::compile("today > '2026-01-01'").unwrap().test(&scope),
            Some(true)
        );
    }

    #[test]
    fn child_scopes_shadow() {
        let scope = root(&[("x", 1.into())]);
        let child = scope.child([("x".to_string(), to_var(&2.into()))]);
        assert_eq!(Expr::compile("x == 2").unwrap().test(&child), Some(true));
        assert_eq!(Expr::compile("x == 1").unwrap().test(&scope), Some(true));
    }

    #[test]
    fn refuses_bad_syntax_and_unknown_functions() {
        assert_eq!(Expr::compile("x +").unwrap_err(), CompileError::Syntax);
        assert_eq!(
            Expr::compile("matches(x, 'a')").unwrap_err(),
            CompileError::UnknownFunction
        );
        assert_eq!(
            Expr::compile("x.matches('a')").unwrap_err(),
            CompileError::UnknownFunction
        );
        assert_eq!(
            Expr::compile("size(members.filter(m, m.age >= 18)) > 0")
                .unwrap()
                .variables(),
            vec!["members".to_string()]
        );
        assert_eq!(
            Expr::compile("members.all(i, v, v.age > i)")
                .unwrap()
                .variables(),
            vec!["members".to_string()]
        );
    }

    /// What the limits admit runs on a 1 MB stack (a phone's worker thread);
    /// what they refuse is refused before the parser recurses.
    #[test]
    fn the_limits_keep_the_stack_bounded() {
        let deep = format!("{}x{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        let long = vec!["1"; MAX_OPERATORS + 1].join("+");
        let ran = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                let scope = Scope::root([("x".to_string(), to_var(&1.into()))], "2026-01-01");
                let a = Expr::compile(&deep).unwrap().eval(&scope).is_some();
                let b = Expr::compile(&long).unwrap().eval(&scope).is_some();
                a && b
            })
            .unwrap()
            .join()
            .unwrap();
        assert!(ran);
        let deeper = format!(
            "{}x{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(
            Expr::compile(&deeper).unwrap_err(),
            CompileError::TooComplex
        );
        let longer = vec!["1"; MAX_OPERATORS + 2].join("+");
        assert_eq!(
            Expr::compile(&longer).unwrap_err(),
            CompileError::TooComplex
        );
        // Brackets inside strings do not count.
        assert!(Expr::compile(&format!("x == '{}'", "(".repeat(40))).is_ok());
    }

    #[test]
    fn round_trips_json() {
        let json = serde_json::json!({"a": [1, 2.5, "x", null, true]});
        // In as a variable, out as a calculation's value.
        let scope = Scope::root([("j".to_string(), to_var(&json))], "2026-01-01");
        let out = Expr::compile("j").unwrap().eval(&scope);
        assert_eq!(out.as_ref().and_then(to_json), Some(json));
    }
}
