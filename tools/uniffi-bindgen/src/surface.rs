//! The FFI surface of a built library, from the metadata UniFFI embeds in
//! it: every exported function, object with its constructors and methods,
//! record with its fields, enum and error with their variants, foreign
//! trait with its methods, and the Rust traits each type exports (`impl
//! Debug for Household`: the shells' `toString`/`description` come from
//! it, so a record that prints redacted shows it here). One item per line, sorted, in a Rust-like
//! notation, so a diff reads as what changed at the boundary.

use camino::Utf8Path;
use uniffi_meta::{
    DefaultValueMetadata, FieldMetadata, FnParamMetadata, LiteralMetadata, Metadata, ObjectImpl,
    TraitKind, Type, UniffiTraitMetadata,
};

pub fn listing(library: &Utf8Path) -> anyhow::Result<Vec<String>> {
    let items = uniffi_bindgen::macro_metadata::extract_from_library(library)?;
    let mut lines = Vec::new();
    for item in items {
        match item {
            Metadata::Func(f) => lines.push(format!(
                "fn {}({}){}{}{}",
                f.name,
                params(&f.inputs),
                ret(&f.return_type),
                throws(&f.throws),
                asyncness(f.is_async)
            )),
            Metadata::Object(o) => lines.push(format!(
                "{} {}",
                match o.imp {
                    ObjectImpl::Struct => "object",
                    ObjectImpl::Trait(TraitKind::RustOnly) => "trait",
                    ObjectImpl::Trait(_) => "foreign trait",
                },
                o.name
            )),
            Metadata::Constructor(c) => lines.push(format!(
                "{}::{}({}){}{}",
                c.self_name,
                c.name,
                params(&c.inputs),
                throws(&c.throws),
                asyncness(c.is_async)
            )),
            Metadata::Method(m) => lines.push(method(&m)),
            Metadata::TraitMethod(m) => lines.push(method(&m.into())),
            Metadata::CallbackInterface(c) => lines.push(format!("callback {}", c.name)),
            Metadata::Record(r) => {
                lines.push(format!("record {}", r.name));
                for f in &r.fields {
                    lines.push(format!("record {}.{}", r.name, field(f)));
                }
            }
            Metadata::Enum(e) => {
                let kind = if e.shape.is_error() { "error" } else { "enum" };
                lines.push(format!("{kind} {}", e.name));
                for v in &e.variants {
                    let fields: Vec<String> = v.fields.iter().map(field).collect();
                    lines.push(if fields.is_empty() {
                        format!("{kind} {}::{}", e.name, v.name)
                    } else {
                        format!("{kind} {}::{} {{ {} }}", e.name, v.name, fields.join(", "))
                    });
                }
            }
            Metadata::CustomType(c) => {
                lines.push(format!("custom {} = {}", c.name, ty(&c.builtin)))
            }
            Metadata::UniffiTrait(t) => {
                let name = match &t {
                    UniffiTraitMetadata::Debug { .. } => "Debug",
                    UniffiTraitMetadata::Display { .. } => "Display",
                    UniffiTraitMetadata::Eq { .. } => "Eq",
                    UniffiTraitMetadata::Hash { .. } => "Hash",
                    UniffiTraitMetadata::Ord { .. } => "Ord",
                };
                lines.push(format!("impl {name} for {}", t.self_name()));
            }
            Metadata::ObjectTraitImpl(_) | Metadata::Namespace(_) | Metadata::UdlFile(_) => {}
        }
    }
    lines.sort();
    lines.dedup();
    Ok(lines)
}

fn method(m: &uniffi_meta::MethodMetadata) -> String {
    format!(
        "{}.{}({}){}{}{}",
        m.self_name,
        m.name,
        params(&m.inputs),
        ret(&m.return_type),
        throws(&m.throws),
        asyncness(m.is_async)
    )
}

fn asyncness(is_async: bool) -> &'static str {
    if is_async { " async" } else { "" }
}

fn ret(t: &Option<Type>) -> String {
    t.as_ref()
        .map(|t| format!(" -> {}", ty(t)))
        .unwrap_or_default()
}

fn throws(t: &Option<Type>) -> String {
    t.as_ref()
        .map(|t| format!(" throws {}", ty(t)))
        .unwrap_or_default()
}

fn params(inputs: &[FnParamMetadata]) -> String {
    inputs
        .iter()
        .map(|p| format!("{}: {}{}", p.name, ty(&p.ty), default(&p.default)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn field(f: &FieldMetadata) -> String {
    format!("{}: {}{}", f.name, ty(&f.ty), default(&f.default))
}

fn default(d: &Option<DefaultValueMetadata>) -> String {
    match d {
        None => String::new(),
        Some(DefaultValueMetadata::Default) => " = default".into(),
        Some(DefaultValueMetadata::Literal(l)) => format!(" = {}", literal(l)),
    }
}

fn literal(l: &LiteralMetadata) -> String {
    match l {
        LiteralMetadata::Boolean(b) => b.to_string(),
        LiteralMetadata::String(s) => format!("{s:?}"),
        LiteralMetadata::UInt(v, _, _) => v.to_string(),
        LiteralMetadata::Int(v, _, _) => v.to_string(),
        LiteralMetadata::Float(v, _) => v.clone(),
        LiteralMetadata::Enum(v, _) => v.clone(),
        LiteralMetadata::EmptySequence => "[]".into(),
        LiteralMetadata::EmptyMap => "{}".into(),
        LiteralMetadata::EmptySet => "set()".into(),
        LiteralMetadata::None => "None".into(),
        LiteralMetadata::Some { inner } => format!(
            "Some({})",
            default(&Some((**inner).clone())).trim_start_matches(" = ")
        ),
    }
}

fn ty(t: &Type) -> String {
    match t {
        Type::UInt8 => "u8".into(),
        Type::Int8 => "i8".into(),
        Type::UInt16 => "u16".into(),
        Type::Int16 => "i16".into(),
        Type::UInt32 => "u32".into(),
        Type::Int32 => "i32".into(),
        Type::UInt64 => "u64".into(),
        Type::Int64 => "i64".into(),
        Type::Float32 => "f32".into(),
        Type::Float64 => "f64".into(),
        Type::Boolean => "bool".into(),
        Type::String => "String".into(),
        Type::Bytes => "Vec<u8>".into(),
        Type::Timestamp => "Timestamp".into(),
        Type::Duration => "Duration".into(),
        Type::Object { name, imp, .. } => match imp {
            ObjectImpl::Struct => format!("Arc<{name}>"),
            _ => format!("Arc<dyn {name}>"),
        },
        Type::Record { name, .. }
        | Type::Enum { name, .. }
        | Type::CallbackInterface { name, .. }
        | Type::Custom { name, .. } => name.clone(),
        Type::Box { inner_type } => ty(inner_type),
        Type::Optional { inner_type } => format!("Option<{}>", ty(inner_type)),
        Type::Sequence { inner_type } => format!("Vec<{}>", ty(inner_type)),
        Type::Set { inner_type } => format!("Set<{}>", ty(inner_type)),
        Type::Map {
            key_type,
            value_type,
        } => format!("Map<{}, {}>", ty(key_type), ty(value_type)),
    }
}
