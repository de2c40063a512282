//! The core's own messages (validation and errors) in zh-Hans, zh-Hant,
//! ug and en, from Project Fluent catalogs in `core/i18n/*.ftl`.
//!
//! Fallbacks follow how people in the regions read: Uyghur and Traditional
//! Chinese fall back to Simplified Chinese, and everything ends in English.
//! Catalogs are compiled into the library, so messages work offline and a
//! translator's typo fails the `catalogs_parse_and_are_complete` test, not
//! the app.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use crate::error::{MessageArg, PalmGovError};

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
                // No Unicode isolation marks: the shells show plain strings.
                bundle.set_use_isolating(false);
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

/// An error as a sentence for a person. Only the error's own fields are
/// interpolated, and those never hold personal data.
pub fn error_message(error: &PalmGovError, language: &str) -> String {
    let mut args = FluentArgs::new();
    for (name, value) in error.message_args() {
        match value {
            MessageArg::Number(n) => args.set(name, n),
            MessageArg::Text(t) => args.set(name, t),
        }
    }
    let id = format!("error-{}", error.code().replace('.', "-"));
    format(&id, language, Some(&args)).unwrap_or_else(|| error.code().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_parse_and_are_complete() {
        assert_eq!(BUNDLES.len(), CATALOGS.len(), "a catalog failed to parse");
        // English is the last fallback, so it must have every message the
        // others have, and one for every error code.
        let ids = |source: &str| -> Vec<String> {
            source
                .lines()
                .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.trim().to_string()))
                .filter(|id| !id.starts_with('#'))
                .collect()
        };
        let en = ids(CATALOGS[3].1);
        for (tag, source) in CATALOGS {
            for id in ids(source) {
                assert!(en.contains(&id), "{tag} has {id}, English does not");
            }
        }
        for error in crate::error::tests::every_error() {
            let id = format!("error-{}", error.code().replace('.', "-"));
            assert!(en.contains(&id), "no English message for {id}");
        }
    }

    #[test]
    fn falls_back_through_the_chain() {
        assert_eq!(message("required", "zh-CN"), "此项为必填项。");
        assert_eq!(message("required", "zh-Hant-TW"), "此項為必填項。");
        assert_eq!(message("required", "ug"), "بۇ تۈر چوقۇم تولدۇرۇلىدۇ.");
        // Missing in Uyghur: Simplified Chinese, not English.
        assert_eq!(message("read_only", "ug-CN"), "此项不可编辑。");
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
