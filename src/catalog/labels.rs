//! Names of facets and facet values in the patron's language.

use yuelan_api::{FacetField, Format, LocalizedText};

use crate::i18n::{self, Key, Locale, text};

/// The heading of a facet group.
pub fn facet_key(field: FacetField) -> Key {
    match field {
        FacetField::Available => Key::FacetAvailable,
        FacetField::Format => Key::FacetFormat,
        FacetField::Branch => Key::FacetBranch,
        FacetField::Language => Key::FacetLanguage,
        FacetField::Subject | FacetField::Unknown => Key::FacetSubject,
        FacetField::Decade => Key::FacetDecade,
    }
}

/// The label of a facet value: formats, languages and availability through
/// i18n, decades as "1990年代"/"1990s", labelled values (libraries) by their
/// label, anything else as the value itself.
pub fn facet_value_label(
    locale: Locale,
    field: FacetField,
    value: &str,
    label: Option<&LocalizedText>,
) -> String {
    if let Some(label) = label.filter(|l| !l.zh.is_empty() || !l.en.is_empty()) {
        let s = label.get(locale.is_english());
        return if s.is_empty() {
            label.en.clone()
        } else {
            s.to_owned()
        };
    }
    match field {
        FacetField::Available if value == "true" => text(locale, Key::OnShelfNow).to_owned(),
        FacetField::Format => match Format::parse(value) {
            Some(f) => text(locale, i18n::format_key(f)).to_owned(),
            None => value.to_owned(),
        },
        FacetField::Language => language_name(locale, value),
        FacetField::Decade => i18n::decade_label(locale, value),
        _ => value.to_owned(),
    }
}

/// The name of a record language (`zh` → 中文 / Chinese); unknown codes as
/// they are.
pub fn language_name(locale: Locale, code: &str) -> String {
    match i18n::language_key(code) {
        Some(k) => text(locale, k).to_owned(),
        None => code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_both_languages() {
        let zh = Locale::Zh;
        let en = Locale::English;
        assert_eq!(
            facet_value_label(zh, FacetField::Format, "book", None),
            "图书"
        );
        assert_eq!(
            facet_value_label(en, FacetField::Format, "dvd", None),
            "DVD"
        );
        assert_eq!(
            facet_value_label(en, FacetField::Format, "vinyl", None),
            "vinyl"
        );
        assert_eq!(
            facet_value_label(zh, FacetField::Language, "en", None),
            "英文"
        );
        assert_eq!(
            facet_value_label(en, FacetField::Language, "yue", None),
            "yue"
        );
        assert_eq!(
            facet_value_label(zh, FacetField::Decade, "1990", None),
            "1990年代"
        );
        assert_eq!(
            facet_value_label(en, FacetField::Decade, "1990", None),
            "1990s"
        );
        assert_eq!(
            facet_value_label(zh, FacetField::Available, "true", None),
            "现在可借"
        );
        assert_eq!(
            facet_value_label(zh, FacetField::Subject, "<b>粤剧</b>", None),
            "<b>粤剧</b>"
        );
        let label = LocalizedText::new("新桥分馆", "Xinqiao Branch");
        assert_eq!(
            facet_value_label(en, FacetField::Branch, "br-xinqiao", Some(&label)),
            "Xinqiao Branch"
        );
        assert_eq!(
            facet_value_label(zh, FacetField::Branch, "br-xinqiao", Some(&label)),
            "新桥分馆"
        );
        let only_en = LocalizedText::new("", "Xinqiao");
        assert_eq!(
            facet_value_label(zh, FacetField::Branch, "br-xinqiao", Some(&only_en)),
            "Xinqiao"
        );
        let empty = LocalizedText::default();
        assert_eq!(
            facet_value_label(zh, FacetField::Branch, "br-x", Some(&empty)),
            "br-x"
        );
    }
}
