//! Texts of the library directory (branches and village centres), in Simplified Chinese and English.

use yuelan_api::{LibraryKind, Service};

use super::{Locale, Texts};
use crate::libraries::hours::{DAY, OpenState, hhmm};

/// The directory's name and blurb, which the home page shows too.
///
/// Kept apart from [`DirText`], so that the home page's chunk carries two
/// texts, not every text of the directory's pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LibText {
    LibrariesTitle,
    LibrariesBlurb,
}

impl Texts for LibText {
    fn zh(self) -> &'static str {
        match self {
            LibText::LibrariesTitle => "各馆信息",
            LibText::LibrariesBlurb => "开放时间、服务与到馆路线",
        }
    }

    fn en(self) -> &'static str {
        match self {
            LibText::LibrariesTitle => "Libraries",
            LibText::LibrariesBlurb => "Opening hours, services and directions",
        }
    }
}

/// A text of the directory's pages (the list and a library's page).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DirText {
    // List
    GroupCounty,
    GroupBranch,
    GroupVillage,
    GroupOther,
    PickupPoint,
    // Kinds
    KindCounty,
    KindBranch,
    KindVillage,
    KindOther,
    PartOf,
    // Library page
    AllLibraries,
    LibraryNotFoundTitle,
    LibraryNotFoundText,
    OpenNow,
    ClosingSoon,
    ClosedNow,
    ClosedToday,
    NoHours,
    HoursThisWeek,
    Day,
    Hours,
    Today,
    Closed,
    Services,
    NoServices,
    Contact,
    Address,
    Phone,
    Directions,
    OpensNewWindow,
    SearchCollection,
    // Services
    ServiceLending,
    ServiceHoldPickup,
    ServiceReadingRoom,
    ServiceChildrensCorner,
    ServiceEResources,
    ServiceActivities,
    ServiceSelfCheck,
    ServiceReturnBox,
    ServiceWifi,
    ServicePrinting,
    ServiceAccessible,
    ServiceOther,
}

impl Texts for DirText {
    fn zh(self) -> &'static str {
        use DirText::*;
        match self {
            GroupCounty => "总馆",
            GroupBranch => "分馆",
            GroupVillage => "村（社区）文化服务中心",
            GroupOther => "其他服务点",
            PickupPoint => "可在此取预约书",
            KindCounty => "县图书馆（总馆）",
            KindBranch => "分馆",
            KindVillage => "村（社区）综合性文化服务中心",
            KindOther => "服务点",
            PartOf => "隶属：",
            AllLibraries => "全部馆",
            LibraryNotFoundTitle => "找不到这个馆",
            LibraryNotFoundText => "链接可能有误，或这个馆已不在本馆网络中。",
            OpenNow => "正在开放",
            ClosingSoon => "即将闭馆",
            ClosedNow => "现在闭馆",
            ClosedToday => "今天不开放",
            NoHours => "暂无开放时间信息",
            HoursThisWeek => "本周开放时间",
            Day => "星期",
            Hours => "开放时间",
            Today => "今天",
            Closed => "闭馆",
            Services => "服务项目",
            NoServices => "暂无服务项目信息，请致电咨询。",
            Contact => "地址和电话",
            Address => "地址",
            Phone => "电话",
            Directions => "在高德地图中查看路线",
            OpensNewWindow => "（在新窗口打开）",
            SearchCollection => "检索本馆藏书",
            ServiceLending => "图书借还",
            ServiceHoldPickup => "预约取书",
            ServiceReadingRoom => "阅览室",
            ServiceChildrensCorner => "少儿阅读区",
            ServiceEResources => "电子资源与电脑",
            ServiceActivities => "讲座与阅读活动",
            ServiceSelfCheck => "自助借还机",
            ServiceReturnBox => "还书箱（闭馆时可还书）",
            ServiceWifi => "免费无线网络",
            ServicePrinting => "打印复印",
            ServiceAccessible => "无障碍通道",
            ServiceOther => "其他服务",
        }
    }

    fn en(self) -> &'static str {
        use DirText::*;
        match self {
            GroupCounty => "County library",
            GroupBranch => "Branch libraries",
            GroupVillage => "Village cultural centres",
            GroupOther => "Other service points",
            PickupPoint => "Holds can be collected here",
            KindCounty => "County library (main library)",
            KindBranch => "Branch library",
            KindVillage => "Village cultural service centre",
            KindOther => "Service point",
            PartOf => "Part of: ",
            AllLibraries => "All libraries",
            LibraryNotFoundTitle => "Library not found",
            LibraryNotFoundText => {
                "The link may be wrong, or this library is no longer part of the network."
            }
            OpenNow => "Open now",
            ClosingSoon => "Closing soon",
            ClosedNow => "Closed now",
            ClosedToday => "Closed today",
            NoHours => "No opening hours published",
            HoursThisWeek => "Opening hours this week",
            Day => "Day",
            Hours => "Hours",
            Today => "Today",
            Closed => "Closed",
            Services => "Services",
            NoServices => "No services listed yet; please call to ask.",
            Contact => "Address and phone",
            Address => "Address",
            Phone => "Phone",
            Directions => "Directions in AMap",
            OpensNewWindow => " (opens in a new window)",
            SearchCollection => "Search this library's books",
            ServiceLending => "Borrowing and returning",
            ServiceHoldPickup => "Hold pickup",
            ServiceReadingRoom => "Reading room",
            ServiceChildrensCorner => "Children's corner",
            ServiceEResources => "E-resources and computers",
            ServiceActivities => "Talks and reading activities",
            ServiceSelfCheck => "Self-service machines",
            ServiceReturnBox => "Return box (return books when closed)",
            ServiceWifi => "Free Wi-Fi",
            ServicePrinting => "Printing and copying",
            ServiceAccessible => "Step-free access",
            ServiceOther => "Other services",
        }
    }
}

/// The heading of a group of the list.
pub fn group_key(kind: LibraryKind) -> DirText {
    match kind {
        LibraryKind::County => DirText::GroupCounty,
        LibraryKind::Branch => DirText::GroupBranch,
        LibraryKind::Village => DirText::GroupVillage,
        LibraryKind::Unknown => DirText::GroupOther,
    }
}

/// What a library is, on its page.
pub fn kind_key(kind: LibraryKind) -> DirText {
    match kind {
        LibraryKind::County => DirText::KindCounty,
        LibraryKind::Branch => DirText::KindBranch,
        LibraryKind::Village => DirText::KindVillage,
        LibraryKind::Unknown => DirText::KindOther,
    }
}

/// The name of a service.
pub fn service_key(service: Service) -> DirText {
    match service {
        Service::Lending => DirText::ServiceLending,
        Service::HoldPickup => DirText::ServiceHoldPickup,
        Service::ReadingRoom => DirText::ServiceReadingRoom,
        Service::ChildrensCorner => DirText::ServiceChildrensCorner,
        Service::EResources => DirText::ServiceEResources,
        Service::Activities => DirText::ServiceActivities,
        Service::SelfCheck => DirText::ServiceSelfCheck,
        Service::ReturnBox => DirText::ServiceReturnBox,
        Service::Wifi => DirText::ServiceWifi,
        Service::Printing => DirText::ServicePrinting,
        Service::Accessible => DirText::ServiceAccessible,
        Service::Unknown => DirText::ServiceOther,
    }
}

/// The name of ISO weekday `weekday` (1 is Monday): "周一" / "Monday".
pub fn weekday_name(locale: Locale, weekday: u8) -> &'static str {
    const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    const EN: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let names = if locale.is_english() { &EN } else { &ZH };
    usize::from(weekday)
        .checked_sub(1)
        .and_then(|i| names.get(i))
        .copied()
        .unwrap_or_default()
}

/// The open state as a short headline and the time that goes with it:
/// ("正在开放", "21:00 闭馆") / ("Open now", "until 21:00").
pub fn open_state_text(locale: Locale, state: OpenState) -> (&'static str, String) {
    let en = locale.is_english();
    match state {
        OpenState::NoHours => (DirText::NoHours.text(locale), String::new()),
        OpenState::Open { closes, soon } => {
            let head = if soon {
                DirText::ClosingSoon
            } else {
                DirText::OpenNow
            };
            // A session past midnight closes "tomorrow" (24:00 is tonight).
            let next_day = closes > DAY;
            let time = hhmm(closes);
            let detail = match (en, next_day) {
                (false, false) => [&time, " 闭馆"].concat(),
                (false, true) => ["次日 ", &time, " 闭馆"].concat(),
                (true, false) if soon => ["closes at ", &time].concat(),
                (true, false) => ["until ", &time].concat(),
                (true, true) => ["until ", &time, " tomorrow"].concat(),
            };
            (head.text(locale), detail)
        }
        OpenState::OpensToday { opens } => {
            let time = hhmm(opens);
            let detail = if en {
                ["opens today at ", &time].concat()
            } else {
                ["今天 ", &time, " 开馆"].concat()
            };
            (DirText::ClosedNow.text(locale), detail)
        }
        OpenState::OpensLater {
            closed_today,
            days_ahead,
            weekday,
            opens,
        } => {
            let head = if closed_today {
                DirText::ClosedToday
            } else {
                DirText::ClosedNow
            };
            let time = hhmm(opens);
            let day = match (en, days_ahead) {
                (false, 1) => "明天",
                (true, 1) => "tomorrow",
                _ => weekday_name(locale, weekday),
            };
            let detail = if en {
                ["opens ", day, " at ", &time].concat()
            } else {
                [day, " ", &time, " 开馆"].concat()
            };
            (head.text(locale), detail)
        }
    }
}

/// A session of the hours table: "09:00–12:00".
pub fn session_text(opens: u16, closes: u16) -> String {
    [hhmm(opens), hhmm(closes)].join("–")
}

/// "共 13 个馆" / "13 libraries", announced when the list has loaded.
pub fn library_count(locale: Locale, count: usize) -> String {
    let n = count.to_string();
    match locale {
        Locale::Zh => ["共 ", &n, " 个馆和服务中心"].concat(),
        Locale::English if count == 1 => "1 library".to_owned(),
        Locale::English => [&n, " libraries and centres"].concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::libraries::hours::parse_hhmm;

    fn m(t: &str) -> u16 {
        parse_hhmm(t).expect("a test time")
    }

    fn both(state: OpenState) -> [(&'static str, String); 2] {
        [
            open_state_text(Locale::Zh, state),
            open_state_text(Locale::English, state),
        ]
    }

    fn pair(head: &'static str, detail: &str) -> (&'static str, String) {
        (head, detail.to_owned())
    }

    #[test]
    fn open_states_in_both_languages() {
        assert_eq!(
            both(OpenState::Open {
                closes: m("21:00"),
                soon: false
            }),
            [
                pair("正在开放", "21:00 闭馆"),
                pair("Open now", "until 21:00")
            ]
        );
        assert_eq!(
            both(OpenState::Open {
                closes: m("17:30"),
                soon: true
            }),
            [
                pair("即将闭馆", "17:30 闭馆"),
                pair("Closing soon", "closes at 17:30")
            ]
        );
        assert_eq!(
            both(OpenState::Open {
                closes: DAY + 60,
                soon: false
            }),
            [
                pair("正在开放", "次日 01:00 闭馆"),
                pair("Open now", "until 01:00 tomorrow")
            ]
        );
        assert_eq!(
            both(OpenState::Open {
                closes: DAY,
                soon: false
            }),
            [
                pair("正在开放", "24:00 闭馆"),
                pair("Open now", "until 24:00")
            ]
        );
        assert_eq!(
            both(OpenState::OpensToday { opens: m("14:30") }),
            [
                pair("现在闭馆", "今天 14:30 开馆"),
                pair("Closed now", "opens today at 14:30")
            ]
        );
        assert_eq!(
            both(OpenState::OpensLater {
                closed_today: true,
                days_ahead: 1,
                weekday: 4,
                opens: m("14:30")
            }),
            [
                pair("今天不开放", "明天 14:30 开馆"),
                pair("Closed today", "opens tomorrow at 14:30")
            ]
        );
        assert_eq!(
            both(OpenState::OpensLater {
                closed_today: false,
                days_ahead: 3,
                weekday: 2,
                opens: m("09:00")
            }),
            [
                pair("现在闭馆", "周二 09:00 开馆"),
                pair("Closed now", "opens Tuesday at 09:00")
            ]
        );
        assert_eq!(
            both(OpenState::NoHours),
            [
                pair("暂无开放时间信息", ""),
                pair("No opening hours published", "")
            ]
        );
    }

    #[test]
    fn weekdays_sessions_and_counts() {
        assert_eq!(weekday_name(Locale::Zh, 1), "周一");
        assert_eq!(weekday_name(Locale::Zh, 7), "周日");
        assert_eq!(weekday_name(Locale::English, 3), "Wednesday");
        assert_eq!(weekday_name(Locale::English, 0), "");
        assert_eq!(weekday_name(Locale::English, 8), "");
        assert_eq!(session_text(m("09:00"), m("12:00")), "09:00–12:00");
        assert_eq!(session_text(m("19:00"), DAY + 60), "19:00–01:00");
        assert_eq!(library_count(Locale::Zh, 13), "共 13 个馆和服务中心");
        assert_eq!(
            library_count(Locale::English, 13),
            "13 libraries and centres"
        );
        assert_eq!(library_count(Locale::English, 1), "1 library");
    }

    #[test]
    fn every_service_and_kind_has_a_text_in_both_languages() {
        let services = [
            Service::Lending,
            Service::HoldPickup,
            Service::ReadingRoom,
            Service::ChildrensCorner,
            Service::EResources,
            Service::Activities,
            Service::SelfCheck,
            Service::ReturnBox,
            Service::Wifi,
            Service::Printing,
            Service::Accessible,
            Service::Unknown,
        ];
        let mut seen = Vec::new();
        for s in services {
            let key = service_key(s);
            assert!(!seen.contains(&key), "{s:?} has a text of its own");
            seen.push(key);
            assert!(!key.zh().is_empty() && !key.en().is_empty());
            assert_ne!(key.zh(), key.en());
        }
        for k in [
            LibraryKind::County,
            LibraryKind::Branch,
            LibraryKind::Village,
            LibraryKind::Unknown,
        ] {
            assert_ne!(kind_key(k).zh(), kind_key(k).en());
            assert_ne!(group_key(k).zh(), group_key(k).en());
        }
    }
}
