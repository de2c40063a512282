//! The core's own messages (validation and errors) in zh-Hans, zh-Hant,
//! ug and en, from Project Fluent catalogs in `core/i18n/*.ftl`.
//!
//! Fallbacks follow how people in the regions read: Uyghur and Traditional
//! Chinese fall back to Simplified Chinese, and everything ends in English.
//! Catalogs are compiled into the library, so messages work offline and a
//! translator's typo fails the `catalogs_parse_and_are_complete` test, not
//! the app.
//!
//! Uyghur is written right to left. Its catalog gets Fluent's bidi
//! isolation, so a number, a code or a Chinese name placed inside a Uyghur
//! sentence keeps its own direction (U+2068 … U+2069 around each
//! placeable); the left-to-right catalogs stay free of the marks, which
//! some shells' text views draw as boxes.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use crate::error::{MessageArg, PalmGovError};

/// The catalogs written right to left.
const RIGHT_TO_LEFT: &[&str] = &["ug"];

/// The catalogs, by the language tag they cover.
const CATALOGS: &[(&str, &str)] = &[
    ("zh-Hans", include_str!("../i18n/zh-Hans.ftl")),
    ("zh-Hant", include_str!("../i18n/zh-Hant.ftl")),
    ("ug", include_str!("../i18n/ug.ftl")),
    ("en", include_str!("../i18n/en.ftl")),
];

static BUNDLES: LazyLock<HashMap<&'static str, FluentBundle<FluentResource>>> =
    LazyLock::new(|| {
        CATALOGS
            .iter()
            .filter_map(|(tag, source)| {
                let lang = tag.parse().ok()?;
                let resource = FluentResource::try_new(source.to_string()).ok()?;
                let mut bundle = FluentBundle::new_concurrent(vec![lang]);
                bundle.set_use_isolating(RIGHT_TO_LEFT.contains(tag));
                bundle.add_resource(resource).ok()?;
                Some((*tag, bundle))
            })
            .collect()
    });

/// The catalogs to try for a requested language tag, best first. Accepts
/// BCP 47 tags as the platforms give them (`zh-CN`, `zh-Hant-TW`, `ug-CN`).
pub(crate) fn fallbacks(language: &str) -> &'static [&'static str] {
    let tag = language.replace('_', "-").to_ascii_lowercase();
    let traditional = tag.starts_with("zh")
        && (tag.contains("hant")
            || tag.ends_with("-tw")
            || tag.ends_with("-hk")
            || tag.ends_with("-mo"));
    if traditional {
        &["zh-Hant", "zh-Hans", "en"]
    } else if tag.starts_with("zh") {
        &["zh-Hans", "en"]
    } else if tag == "ug" || tag.starts_with("ug-") {
        &["ug", "zh-Hans", "en"]
    } else {
        &["en"]
    }
}

/// Whether `language` (a BCP 47 tag such as `ug-CN`) is laid out right to
/// left, by the catalog the core would answer it with.
pub fn is_rtl(language: &str) -> bool {
    RIGHT_TO_LEFT.contains(&fallbacks(language)[0])
}

fn format(id: &str, language: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
    fallbacks(language).iter().find_map(|tag| {
        let bundle = BUNDLES.get(tag)?;
        let pattern = bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        errors.is_empty().then(|| text.into_owned())
    })
}

/// A label of a form definition (a title, a field's label, a choice) in
/// `language`, falling back the way the messages do, then to any language
/// the definition has.
pub(crate) fn pick(labels: &BTreeMap<String, String>, language: &str) -> String {
    fallbacks(language)
        .iter()
        .find_map(|l| labels.get(*l))
        .or_else(|| labels.values().next())
        .cloned()
        .unwrap_or_default()
}

/// The message for a forms code (`required`, `checksum`, …).
pub(crate) fn message(code: &str, language: &str) -> String {
    format(&format!("forms-{code}"), language, None).unwrap_or_else(|| code.to_string())
}

/// A sentence of the core's own (a reminder's title or body), with its
/// arguments; the id itself when no catalog has it.
pub(crate) fn text(id: &str, language: &str, values: &[(&'static str, MessageArg)]) -> String {
    let mut args = FluentArgs::new();
    for (name, value) in values {
        match value {
            MessageArg::Number(n) => args.set(*name, *n),
            MessageArg::Text(t) => args.set(*name, t.as_str()),
        }
    }
    format(id, language, Some(&args)).unwrap_or_else(|| id.to_string())
}

/// An error as a sentence for a person. Only the error's own fields are
/// interpolated, and those never hold personal data.
pub fn error_message(error: &PalmGovError, language: &str) -> String {
    let id = format!("error-{}", error.code().replace('.', "-"));
    match text(&id, language, &error.message_args()) {
        t if t == id => error.code().to_string(),
        t => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message ids of a catalog, read by Fluent's own parser.
    fn ids(source: &str) -> Vec<String> {
        let resource = FluentResource::try_new(source.to_string()).expect("catalog parses");
        resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn catalogs_parse_and_are_complete() {
        assert_eq!(BUNDLES.len(), CATALOGS.len(), "a catalog failed to parse");
        let en = ids(CATALOGS[3].1);
        for error in crate::error::tests::every_error() {
            let id = format!("error-{}", error.code().replace('.', "-"));
            assert!(en.contains(&id), "no English message for {id}");
        }
        for problem in crate::forms::answer::Problem::ALL {
            let id = format!("forms-{}", problem.code());
            assert!(en.contains(&id), "no English message for {id}");
        }
        // Every locale has every message: a fallback is for a language the
        // core does not speak, never for a message a translator missed.
        for (tag, source) in CATALOGS {
            let mine = ids(source);
            for id in &en {
                assert!(mine.contains(id), "{tag} lacks {id}");
            }
            for id in &mine {
                assert!(en.contains(id), "{tag} has {id}, English does not");
            }
        }
    }

    #[test]
    fn right_to_left_text_isolates_what_it_interpolates() {
        assert!(is_rtl("ug") && is_rtl("ug-CN") && is_rtl("UG_cn"));
        assert!(!is_rtl("zh-CN") && !is_rtl("zh-Hant-TW") && !is_rtl("en") && !is_rtl("fr"));
        let level = PalmGovError::LevelRequired { level: 4 };
        let ug = error_message(&level, "ug");
        assert!(ug.contains("\u{2068}4\u{2069}"), "{ug:?}");
        for language in ["zh-Hans", "zh-Hant", "en"] {
            let text = error_message(&level, language);
            assert!(!text.contains('\u{2068}'), "{language}: {text:?}");
        }
    }

    #[test]
    fn falls_back_through_the_chain() {
        assert_eq!(message("required", "zh-CN"), "此项为必填项。");
        assert_eq!(message("required", "zh-Hant-TW"), "此項為必填項。");
        assert_eq!(message("required", "ug"), "بۇ تۈر چوقۇم تولدۇرۇلىدۇ.");
        // A language the core does not speak ends in English; Uyghur
        // readers fall back to Simplified Chinese before English.
        assert_eq!(fallbacks("ug-CN"), ["ug", "zh-Hans", "en"]);
        assert_eq!(fallbacks("zh-HK"), ["zh-Hant", "zh-Hans", "en"]);
        assert_eq!(message("read_only", "fr"), "This field cannot be edited.");
        assert_eq!(
            error_message(&PalmGovError::LevelRequired { level: 4 }, "zh-Hans"),
            "该事项需要 4 级身份认证。"
        );
        assert_eq!(
            error_message(&PalmGovError::DiskFull, "zh-Hant"),
            "手機儲存空間不足。清理後重試，已填內容不會遺失。"
        );
    }
}
