//! The two languages of the interface: Simplified Chinese (default) and English.
//! Strings live in Fluent files under `src/locales/<lang>/`, one file per area.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./src/locales",
        fallback_language: "zh-CN",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ZH_CN: LanguageIdentifier = langid!("zh-CN");
static EN: LanguageIdentifier = langid!("en");

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    #[cfg(test)]
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 tag, as in `<html lang>` and the stored preference.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag.trim().to_ascii_lowercase().as_str() {
            "zh-cn" | "zh" | "zh-hans" | "zh-hans-cn" => Some(Lang::ZhCn),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first supported language of an Accept-Language header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut choices: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim();
                let quality =
                    pieces.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
                let lang = Lang::from_tag(tag).or_else(|| match tag.split('-').next()? {
                    "zh" => Some(Lang::ZhCn),
                    "en" => Some(Lang::En),
                    _ => None,
                })?;
                Some((quality, lang))
            })
            .filter(|(q, _)| *q > 0.0)
            .collect();
        choices.sort_by(|a, b| b.0.total_cmp(&a.0));
        choices.first().map(|(_, lang)| *lang)
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::ZhCn => &ZH_CN,
            Lang::En => &EN,
        }
    }

    /// The text of `key`; the key itself when it is missing, which the locale test forbids.
    pub fn t(self, key: &str) -> String {
        LOCALES.try_lookup(self.id(), key).unwrap_or_else(|| key.to_string())
    }

    /// The text of `key` with named arguments.
    pub fn t_args(self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.clone())).collect();
        LOCALES.try_lookup_with_args(self.id(), key, &args).unwrap_or_else(|| key.to_string())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::fs;
    use std::path::Path;

    use super::*;

    fn keys_of(lang: &str) -> BTreeSet<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/locales").join(lang);
        let mut keys = BTreeSet::new();
        for entry in fs::read_dir(dir).unwrap() {
            let text = fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                if let Some((key, _)) = line.split_once(" =")
                    && !key.starts_with([' ', '#', '.'])
                    && !key.is_empty()
                {
                    assert!(keys.insert(key.trim().to_string()), "{lang}: duplicate key {key}");
                }
            }
        }
        keys
    }

    /// Every key used by the code and templates, as `t("key")`-style literals.
    fn keys_used() -> BTreeSet<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = BTreeSet::new();
        let mut stack = vec![root.join("templates"), root.join("src")];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                stack.extend(fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = fs::read_to_string(&path).unwrap_or_default();
            let is_key = |k: &str| {
                k.contains('-') && k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            };
            for marker in [
                ".t(\"",
                ".t_count(\"",
                ".t_name(\"",
                ".t_args(\"",
                "key: \"",
                "Flash::success(\"",
                "Flash::success_named(\"",
                "Flash::error(\"",
                "Flash::error_named(\"",
            ] {
                for piece in text.split(marker).skip(1) {
                    if let Some(key) = piece.split('"').next().filter(|k| is_key(k)) {
                        used.insert(key.to_string());
                    }
                }
            }
            // Label keys passed as literals to form macros in `call` statements
            // (an `id = "…"` argument is an element id, not a key).
            for call in text.split("{% call ").skip(1) {
                let call = call.split("%}").next().unwrap_or_default();
                let pieces: Vec<&str> = call.split('"').collect();
                for (i, literal) in pieces.iter().enumerate() {
                    let is_id = i > 0 && pieces[i - 1].trim_end().ends_with("id =");
                    if i % 2 == 1 && !is_id && is_key(literal) {
                        used.insert(literal.to_string());
                    }
                }
            }
        }
        used
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let zh = keys_of("zh-CN");
        let en = keys_of("en");
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(only_zh.is_empty() && only_en.is_empty(), "only zh-CN: {only_zh:?}; only en: {only_en:?}");
    }

    #[test]
    fn every_key_used_exists_in_both_languages() {
        let zh = keys_of("zh-CN");
        let missing: Vec<_> = keys_used().into_iter().filter(|k| !zh.contains(k)).collect();
        assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
    }

    #[test]
    fn english_counts_agree_in_number() {
        let count = |key: &str, n: i64| Lang::En.t_args(key, &[("count", FluentValue::from(n))]);
        assert_eq!(count("todo-reports-to-verify", 1), "1 progress report awaits your verification");
        assert_eq!(count("todo-reports-to-verify", 2), "2 progress reports await your verification");
        assert_eq!(count("cover-vacant-count", 1), "1 vacant post");
        // Every English count message with a plural noun chooses its form by the number.
        let en = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/locales/en");
        let mut bare = Vec::new();
        for entry in fs::read_dir(en).unwrap() {
            let text = fs::read_to_string(entry.unwrap().path()).unwrap();
            bare.extend(text.lines().filter(|l| l.contains(" = { $count } ")).map(str::to_string));
        }
        assert!(bare.is_empty(), "counts without a singular form: {bare:?}");
    }

    #[test]
    fn every_error_page_has_a_title_and_text() {
        use crate::error::ErrorPage::*;
        for page in
            [Forbidden, NotFound, Csrf, BadRequest, PayloadTooLarge, Conflict, Unavailable, Internal, MethodNotAllowed]
        {
            for lang in Lang::ALL {
                for part in ["title", "text"] {
                    let key = format!("{}-{part}", page.key());
                    assert_ne!(lang.t(&key), key, "{lang:?} lacks {key}");
                }
            }
        }
    }

    #[test]
    fn every_enum_label_exists() {
        use crate::domain::identity::{DepartmentKind, IdentityType};
        use crate::domain::org::PostWarning;
        use crate::domain::roles::Role;
        use crate::domain::validate::FieldError::*;
        let keys: Vec<String> = Role::ALL
            .iter()
            .map(|r| r.label_key())
            .chain(IdentityType::ALL.iter().map(|t| t.label_key()))
            .chain(DepartmentKind::ALL.iter().map(|k| k.label_key()))
            .chain(
                [PostWarning::NoHolder, PostWarning::NoBackup, PostWarning::SameHolder]
                    .iter()
                    .map(|w| w.label_key().to_string()),
            )
            .chain(
                [
                    Required,
                    TooLong,
                    UsernameFormat,
                    PasswordTooShort,
                    PasswordLikeUsername,
                    PasswordMismatch,
                    Invalid,
                    Taken,
                    Unchanged,
                    NotOffered,
                ]
                .iter()
                .map(|e| e.label_key().to_string()),
            )
            .collect();
        for lang in Lang::ALL {
            for key in &keys {
                assert_ne!(&lang.t(key), key, "{lang:?} lacks {key}");
            }
        }
    }

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9,zh-CN;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr;q=1, zh-TW;q=0.5"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(Lang::from_accept_language("en;q=0.2, zh;q=0.9"), Some(Lang::ZhCn));
    }

    #[test]
    fn lookups_fall_back_to_chinese_and_take_arguments() {
        assert_eq!(Lang::ZhCn.t("app-name"), "政协机关绩效管理");
        assert_eq!(Lang::En.t("app-name"), "CPPCC Office Performance");
        let text = Lang::En.t_args("todo-posts-flagged", &[("count", FluentValue::from(3))]);
        assert!(text.contains('3'), "{text}");
    }
}
