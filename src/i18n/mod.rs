//! Every text the app shows, in Simplified Chinese (the default) and English.
//!
//! Views never hold literal UI text: they ask for a [`Key`] through the
//! [`I18n`] context (`i18n.t(Key::Search)`), or call one of the formatting
//! helpers below for texts with numbers. A `match` per language keeps this
//! cheap in WASM; a missing translation is a compile error.

mod en;
mod zh;

// Texts of the features whose pages are chunks: each feature has its own
// key enum, so that its texts travel with its chunks, not the main module.
pub mod account;
pub mod booking;
pub mod card;
pub mod culture;
pub mod favourites;
pub mod libraries;
pub mod player;
pub mod record;

use leptos::prelude::*;
use yuelan_api::{Format, ItemStatus};

use crate::storage;

/// A language the app speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    /// Simplified Chinese.
    #[default]
    Zh,
    English,
}

/// The `localStorage` key under which the patron's choice is remembered.
const STORAGE_KEY: &str = "yuelan.locale";

impl Locale {
    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Zh => "zh-CN",
            Locale::English => "en",
        }
    }

    /// Parses a BCP 47 tag loosely: `zh`, `zh-CN`, `zh-Hans` are Chinese,
    /// `en`, `en-GB` English; anything else is `None`.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("zh") {
            Some(Locale::Zh)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Locale::English)
        } else {
            None
        }
    }

    /// The other language: what the language switch offers.
    pub fn other(self) -> Locale {
        match self {
            Locale::Zh => Locale::English,
            Locale::English => Locale::Zh,
        }
    }

    /// The language's own name, for the switch (`中文`, `English`).
    pub fn own_name(self) -> &'static str {
        match self {
            Locale::Zh => "中文",
            Locale::English => "English",
        }
    }

    pub fn is_english(self) -> bool {
        self == Locale::English
    }
}

/// A UI text. The names say where the text is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    // App shell
    Loading,
    MainNav,
    NavHome,
    NavSearch,
    NavBooking,
    NavCulture,
    NavMe,
    SwitchLanguage,
    // Config failure (shown in both languages)
    ConfigErrorTitle,
    ConfigErrorHelp,
    // Errors
    ErrorTitle,
    Retry,
    ErrNetwork,
    ErrTimeout,
    ErrAborted,
    ErrDecode,
    ErrNotFound,
    ErrRecordNotFound,
    ErrBadRequest,
    ErrRateLimited,
    ErrUnavailable,
    ErrServer,
    // Home
    HomeTagline,
    PopularSearches,
    MoreServices,
    BookingBlurb,
    CultureBlurb,
    // Search
    SearchTitle,
    SearchLabel,
    SearchPlaceholder,
    SearchButton,
    SearchPrompt,
    Searching,
    SortLabel,
    SortRelevance,
    SortNewest,
    SortTitle,
    Filters,
    FiltersClose,
    ClearFilters,
    RemoveFilter,
    SelectedFilters,
    ShowMore,
    ShowFewer,
    LoadMore,
    LoadingMore,
    NoResults,
    DidYouMean,
    TipsTitle,
    TipSpelling,
    TipFewerWords,
    TipPinyin,
    TipFilters,
    ResultList,
    // Facets
    FacetAvailable,
    FacetFormat,
    FacetBranch,
    FacetLanguage,
    FacetSubject,
    FacetDecade,
    OnShelfNow,
    // Formats
    FormatBook,
    FormatAudiobook,
    FormatDvd,
    FormatMagazine,
    FormatOther,
    // Languages of records
    LangZh,
    LangEn,
    LangJa,
    LangKo,
    LangFr,
    LangDe,
    LangRu,
    LangEs,
    // Availability
    NoCopies,
    OnShelfAt,
    // Item status
    StatusOnShelf,
    StatusOnLoan,
    StatusInTransit,
    StatusOnHoldShelf,
    StatusUnknown,
    // Other pages
    NotFoundTitle,
    NotFoundText,
    GoHome,
    BookingTitle,
    CultureTitle,
    MeTitle,
    LanguageSetting,
    ElderMode,
    ElderModeHelp,
}

/// A feature's own texts: a key enum with a `match` per language, like
/// [`Key`], used through [`I18n::tr`]. Its code (and, after the split, its
/// strings) go with the chunks that use it.
pub trait Texts: Copy {
    fn zh(self) -> &'static str;
    fn en(self) -> &'static str;

    /// The text in `locale`.
    fn text(self, locale: Locale) -> &'static str {
        match locale {
            Locale::Zh => self.zh(),
            Locale::English => self.en(),
        }
    }
}

/// The text of `key` in `locale`.
pub fn text(locale: Locale, key: Key) -> &'static str {
    match locale {
        Locale::Zh => zh::text(key),
        Locale::English => en::text(key),
    }
}

/// The patron's language, shared by every view.
///
/// Texts are static: views read the language once, when they are built
/// ([`I18n::t`], [`I18n::locale`] do not subscribe). Switching the language
/// rebuilds the routed views (see `ConfiguredApp` in `lib.rs`), which is
/// rare and far cheaper in code size than a reactive text node per string.
#[derive(Clone, Copy, Debug)]
pub struct I18n {
    locale: RwSignal<Locale>,
    /// The id of the control to focus once the views are rebuilt in the new
    /// language (the switch the patron just used).
    refocus: StoredValue<Option<&'static str>>,
}

impl I18n {
    /// A context starting in `locale`.
    pub fn new(locale: Locale) -> Self {
        Self {
            locale: RwSignal::new(locale),
            refocus: StoredValue::new(None),
        }
    }

    /// The language the current views are built in (not tracked).
    pub fn locale(&self) -> Locale {
        self.locale.get_untracked()
    }

    /// The text of `key` in the current language (not tracked).
    pub fn t(&self, key: Key) -> &'static str {
        text(self.locale(), key)
    }

    /// The text of a feature's key in the current language (not tracked).
    pub fn tr<T: Texts>(&self, key: T) -> &'static str {
        key.text(self.locale())
    }

    /// The language, tracked: for the few places that follow a switch
    /// without being rebuilt (the rebuild itself, `<html lang>`).
    pub fn tracked(&self) -> Locale {
        self.locale.get()
    }

    /// Switches the language and remembers the choice on this device.
    pub fn set(&self, locale: Locale) {
        storage::save(STORAGE_KEY, locale.tag());
        self.locale.set(locale);
    }

    /// Switches the language from the control with id `focus_id`, which
    /// gets the focus back once the views are rebuilt.
    pub fn switch_from(&self, locale: Locale, focus_id: &'static str) {
        self.refocus.set_value(Some(focus_id));
        self.set(locale);
    }

    /// The control to focus after a rebuild, once.
    pub fn take_refocus(&self) -> Option<&'static str> {
        let id = self.refocus.get_value();
        self.refocus.set_value(None);
        id
    }

    /// The remembered choice of this device, if any.
    pub fn stored() -> Option<Locale> {
        storage::load(STORAGE_KEY).and_then(|tag| Locale::parse(&tag))
    }
}

/// Provides the language context.
pub fn provide_i18n(locale: Locale) -> I18n {
    let i18n = I18n::new(locale);
    provide_context(i18n);
    i18n
}

/// The language context; Chinese when none was provided (as in tests).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n::new(Locale::default()))
}

/// The key naming a record format.
pub fn format_key(format: Format) -> Key {
    match format {
        Format::Book => Key::FormatBook,
        Format::Audiobook => Key::FormatAudiobook,
        Format::Dvd => Key::FormatDvd,
        Format::Magazine => Key::FormatMagazine,
        Format::Unknown => Key::FormatOther,
    }
}

/// The key naming a copy's status.
pub fn status_key(status: ItemStatus) -> Key {
    match status {
        ItemStatus::OnShelf => Key::StatusOnShelf,
        ItemStatus::OnLoan => Key::StatusOnLoan,
        ItemStatus::InTransit => Key::StatusInTransit,
        ItemStatus::OnHoldShelf => Key::StatusOnHoldShelf,
        ItemStatus::Unknown => Key::StatusUnknown,
    }
}

/// The name of a record language given as an ISO 639-1 code; `None` for
/// codes the app has no name for (shown as they are).
pub fn language_key(code: &str) -> Option<Key> {
    Some(match code {
        "zh" | "chi" | "zho" => Key::LangZh,
        "en" | "eng" => Key::LangEn,
        "ja" | "jpn" => Key::LangJa,
        "ko" | "kor" => Key::LangKo,
        "fr" | "fre" | "fra" => Key::LangFr,
        "de" | "ger" | "deu" => Key::LangDe,
        "ru" | "rus" => Key::LangRu,
        "es" | "spa" => Key::LangEs,
        _ => return None,
    })
}

/// "共 128 条结果" / "128 results".
pub fn result_count(locale: Locale, total: u64) -> String {
    let n = total.to_string();
    match locale {
        Locale::Zh => ["共 ", &n, " 条结果"].concat(),
        Locale::English if total == 1 => "1 result".to_owned(),
        Locale::English => [&n, " results"].concat(),
    }
}

/// The label of the button closing the filter sheet: "显示 12 条结果" / "Show 12 results".
pub fn show_results(locale: Locale, total: u64) -> String {
    let n = total.to_string();
    match locale {
        Locale::Zh => ["显示 ", &n, " 条结果"].concat(),
        Locale::English if total == 1 => "Show 1 result".to_owned(),
        Locale::English => ["Show ", &n, " results"].concat(),
    }
}

/// "已显示 20 / 128" / "20 of 128 shown", next to "load more".
pub fn shown_of(locale: Locale, shown: usize, total: u64) -> String {
    let (s, t) = (shown.to_string(), total.to_string());
    match locale {
        Locale::Zh => ["已显示 ", &s, " / ", &t].concat(),
        Locale::English => [&s, " of ", &t, " shown"].concat(),
    }
}

/// The filter button with the number of selected filters: "筛选 (2)".
pub fn filters_with_count(locale: Locale, count: usize) -> String {
    let base = text(locale, Key::Filters);
    if count == 0 {
        base.to_owned()
    } else {
        [base, " (", &count.to_string(), ")"].concat()
    }
}

/// The availability line of a record:
/// "5 册中 2 册在架 · 3 个馆" / "2 of 5 on shelf · 3 branches".
pub fn availability_line(
    locale: Locale,
    summary: &crate::catalog::availability::AvailabilitySummary,
) -> String {
    let (a, t, l) = (summary.available, summary.total, summary.libraries);
    if t == 0 {
        return text(locale, Key::NoCopies).to_owned();
    }
    let (a_s, t_s, l_s) = (a.to_string(), t.to_string(), l.to_string());
    match locale {
        Locale::Zh if a == 0 => [&t_s, " 册均已借出 · ", &l_s, " 个馆"].concat(),
        Locale::Zh => [&t_s, " 册中 ", &a_s, " 册在架 · ", &l_s, " 个馆"].concat(),
        Locale::English => {
            let branches = if l == 1 { " branch" } else { " branches" };
            if a == 0 && t == 1 {
                ["On loan · ", &l_s, branches].concat()
            } else if a == 0 {
                ["All ", &t_s, " on loan · ", &l_s, branches].concat()
            } else {
                [&a_s, " of ", &t_s, " on shelf · ", &l_s, branches].concat()
            }
        }
    }
}

/// "在架：县图书馆、新桥分馆 等 4 个馆" / "On shelf at: County Library; Xinqiao and 2 more".
pub fn on_shelf_at(locale: Locale, names: &[String], more: u32) -> String {
    // Library names may contain commas ("Boluo County Library, Yuanzhou Branch").
    let sep = if locale.is_english() { "; " } else { "、" };
    let mut out = String::from(text(locale, Key::OnShelfAt));
    out.push_str(&names.join(sep));
    if more > 0 {
        let m = more.to_string();
        match locale {
            Locale::Zh => {
                let all = (names.len() as u32).saturating_add(more).to_string();
                out.push_str(&[" 等 ", &all, " 个馆"].concat());
            }
            Locale::English => out.push_str(&[" and ", &m, " more"].concat()),
        }
    }
    out
}

/// A decade facet value (`1990`) as "1990年代" / "1990s".
pub fn decade_label(locale: Locale, value: &str) -> String {
    match locale {
        Locale::Zh => [value, "年代"].concat(),
        Locale::English => [value, "s"].concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::availability::AvailabilitySummary;

    fn sum(available: u32, total: u32, libraries: u32) -> AvailabilitySummary {
        AvailabilitySummary {
            available,
            total,
            libraries,
            libraries_on_shelf: 1,
        }
    }

    #[test]
    fn availability_lines_in_both_languages() {
        let s = sum(2, 5, 3);
        assert_eq!(
            availability_line(Locale::English, &s),
            "2 of 5 on shelf · 3 branches"
        );
        assert_eq!(
            availability_line(Locale::Zh, &s),
            "5 册中 2 册在架 · 3 个馆"
        );
        let one = sum(1, 1, 1);
        assert_eq!(
            availability_line(Locale::English, &one),
            "1 of 1 on shelf · 1 branch"
        );
        assert_eq!(
            availability_line(Locale::English, &sum(0, 4, 2)),
            "All 4 on loan · 2 branches"
        );
        assert_eq!(
            availability_line(Locale::English, &sum(0, 1, 1)),
            "On loan · 1 branch"
        );
        assert_eq!(
            availability_line(Locale::Zh, &sum(0, 4, 2)),
            "4 册均已借出 · 2 个馆"
        );
        assert_eq!(availability_line(Locale::Zh, &sum(0, 0, 0)), "暂无馆藏");
        assert_eq!(
            availability_line(Locale::English, &sum(0, 0, 0)),
            "No copies held"
        );
    }

    #[test]
    fn counts_in_both_languages() {
        assert_eq!(result_count(Locale::Zh, 128), "共 128 条结果");
        assert_eq!(result_count(Locale::English, 128), "128 results");
        assert_eq!(result_count(Locale::English, 1), "1 result");
        assert_eq!(result_count(Locale::English, 0), "0 results");
        assert_eq!(show_results(Locale::Zh, 12), "显示 12 条结果");
        assert_eq!(show_results(Locale::English, 1), "Show 1 result");
        assert_eq!(shown_of(Locale::Zh, 20, 128), "已显示 20 / 128");
        assert_eq!(shown_of(Locale::English, 20, 128), "20 of 128 shown");
        assert_eq!(filters_with_count(Locale::Zh, 0), "筛选");
        assert_eq!(filters_with_count(Locale::English, 2), "Filters (2)");
    }

    #[test]
    fn on_shelf_lists() {
        let names = vec!["县图书馆".to_owned(), "新桥分馆".to_owned()];
        assert_eq!(
            on_shelf_at(Locale::Zh, &names, 0),
            "在架：县图书馆、新桥分馆"
        );
        assert_eq!(
            on_shelf_at(Locale::Zh, &names, 2),
            "在架：县图书馆、新桥分馆 等 4 个馆"
        );
        let names = vec!["County".to_owned(), "Xinqiao".to_owned()];
        assert_eq!(
            on_shelf_at(Locale::English, &names, 2),
            "On shelf at: County; Xinqiao and 2 more"
        );
    }

    #[test]
    fn decades() {
        assert_eq!(decade_label(Locale::Zh, "1990"), "1990年代");
        assert_eq!(decade_label(Locale::English, "1990"), "1990s");
    }

    #[test]
    fn locale_tags() {
        assert_eq!(Locale::parse("zh-CN"), Some(Locale::Zh));
        assert_eq!(Locale::parse("zh_Hans"), Some(Locale::Zh));
        assert_eq!(Locale::parse("EN-gb"), Some(Locale::English));
        assert_eq!(Locale::parse("fr"), None);
        assert_eq!(Locale::parse(""), None);
        for l in [Locale::Zh, Locale::English] {
            assert_eq!(Locale::parse(l.tag()), Some(l));
            assert_eq!(l.other().other(), l);
        }
    }

    #[test]
    fn every_key_has_text_in_both_languages() {
        // A sample across the groups; the `match` makes missing keys a compile error.
        for key in [
            Key::Loading,
            Key::SearchPlaceholder,
            Key::ErrTimeout,
            Key::StatusOnLoan,
            Key::ElderModeHelp,
        ] {
            assert!(!text(Locale::Zh, key).is_empty());
            assert!(!text(Locale::English, key).is_empty());
            assert_ne!(text(Locale::Zh, key), text(Locale::English, key));
        }
    }
}
