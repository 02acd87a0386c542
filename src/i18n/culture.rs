//! Texts of the cultural cloud (文化云), in Simplified Chinese and English:
//! its pages, the messages for its error codes, and the formatting of its
//! times, counts and ratings.

use yuelan_api::ErrorCode;
use yuelan_api::culture::{Category, CreditRole, EventStatus};

use super::{Locale, Texts};

/// A text of the culture pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CultureText {
    Title,
    Blurb,
    SearchLabel,
    SearchPlaceholder,
    SearchButton,
    SearchTitle,
    SearchHint,
    NoResults,
    LiveNow,
    LiveBadge,
    ContinueWatching,
    Upcoming,
    Replay,
    Ended,
    EventsTitle,
    RequestsTitle,
    RequestsBlurb,
    AllCulture,
    NotFoundTitle,
    ProgrammeNotFound,
    EventNotFound,
    // Categories
    Lecture,
    CantoneseOpera,
    Concert,
    Children,
    Exhibition,
    LocalHistory,
    SkillsTraining,
    OtherCategory,
    // Programme page
    Episodes,
    Credits,
    Speaker,
    Performer,
    Host,
    RecordedAt,
    Duration,
    Subtitles,
    Tags,
    AudioOnly,
    Rating,
    RateThis,
    NoRatings,
    RatingSaved,
    ThisEpisode,
    Summary,
    MediaMissing,
    // Events
    Place,
    Register,
    JoinWaitlist,
    Registered,
    CancelRegistration,
    RegistrationCancelled,
    Full,
    RegistrationClosed,
    RemindMe,
    WatchLive,
    WatchReplay,
    SeeProgramme,
    NoEvents,
    SignInToRegister,
    // Requests
    ByLibrary,
    NewRequest,
    RequestWhat,
    RequestType,
    RequestLibrary,
    RequestSubmit,
    RequestSent,
    RequestEmpty,
    Back,
    Backed,
    Mine,
    NoRequests,
    // Errors
    ErrMediaUnavailable,
    ErrEventNotLive,
    ErrReplayNotReady,
    ErrRegistrationClosed,
    ErrAlreadyRegistered,
    ErrRequestInFlight,
    ErrIdempotency,
    ErrSignIn,
    ErrInvalid,
    ErrNotFound,
    ErrBlocked,
}

impl Texts for CultureText {
    fn zh(self) -> &'static str {
        use CultureText::*;
        match self {
            Title => "文化云",
            Blurb => "讲座、粤剧、音乐会和少儿节目，随时随地观看",
            SearchLabel => "搜索节目",
            SearchPlaceholder => "片名、主讲人或拼音首字母",
            SearchButton => "搜索",
            SearchTitle => "搜索节目",
            SearchHint => "输入一两个字、拼音或拼音首字母（如 lfs）",
            NoResults => "没有找到相关节目",
            LiveNow => "正在直播",
            LiveBadge => "直播",
            ContinueWatching => "继续观看",
            Upcoming => "即将开始",
            Replay => "可看回放",
            Ended => "已结束",
            EventsTitle => "活动日历",
            RequestsTitle => "点单",
            RequestsBlurb => {
                "想在你的图书馆或村服务点看到什么节目或活动？告诉我们，也可以支持别人的点单。"
            }
            AllCulture => "返回文化云",
            NotFoundTitle => "找不到这个页面",
            ProgrammeNotFound => "找不到这个节目，它可能已下架或链接有误。",
            EventNotFound => "找不到这个活动，它可能已取消或链接有误。",
            Lecture => "讲座",
            CantoneseOpera => "粤剧",
            Concert => "音乐会",
            Children => "少儿",
            Exhibition => "展览",
            LocalHistory => "地方史",
            SkillsTraining => "技能培训",
            OtherCategory => "其他",
            Episodes => "剧集",
            Credits => "主讲与演出",
            Speaker => "主讲",
            Performer => "表演",
            Host => "主持",
            RecordedAt => "录制地点",
            Duration => "时长",
            Subtitles => "字幕",
            Tags => "标签",
            AudioOnly => "音频节目",
            Rating => "评分",
            RateThis => "给这个节目评分",
            NoRatings => "还没有人评分",
            RatingSaved => "评分已保存",
            ThisEpisode => "正在看",
            Summary => "简介",
            MediaMissing => "这个节目的视频暂时无法播放。",
            Place => "地点",
            Register => "报名",
            JoinWaitlist => "名额已满，加入候补",
            Registered => "你已报名",
            CancelRegistration => "取消报名",
            RegistrationCancelled => "已取消报名",
            Full => "名额已满",
            RegistrationClosed => "报名已截止",
            RemindMe => "提醒我（加入日历）",
            WatchLive => "观看直播",
            WatchReplay => "观看回放",
            SeeProgramme => "观看录像",
            NoEvents => "近期没有活动",
            SignInToRegister => "报名需要先登录",
            ByLibrary => "各馆点单",
            NewRequest => "我要点单",
            RequestWhat => "想看什么节目或活动？",
            RequestType => "类型",
            RequestLibrary => "图书馆或村服务点",
            RequestSubmit => "提交点单",
            RequestSent => "点单已提交，谢谢！",
            RequestEmpty => "请写下你想看的内容（最多 100 字）。",
            Back => "支持",
            Backed => "已支持",
            Mine => "我的点单",
            NoRequests => "还没有点单",
            ErrMediaUnavailable => "这个节目的媒体文件暂时不在服务器上，请稍后再试。",
            ErrEventNotLive => "这个活动现在没有直播。",
            ErrReplayNotReady => "回放还没有准备好，活动结束后即可观看。",
            ErrRegistrationClosed => "这个活动已停止报名（已开始或不需要报名）。",
            ErrAlreadyRegistered => "你已经报名或在候补名单中了。",
            ErrRequestInFlight => "上一次报名还在处理中，请稍候再试。",
            ErrIdempotency => "报名请求出错了，请重新报名。",
            ErrSignIn => "需要登录才能继续。",
            ErrInvalid => "填写的内容有误，请检查后再试。",
            ErrNotFound => "找不到要操作的内容，它可能已被删除。",
            ErrBlocked => "你的读者证暂时不能使用这项服务，请到服务台咨询。",
        }
    }

    fn en(self) -> &'static str {
        use CultureText::*;
        match self {
            Title => "Cultural cloud",
            Blurb => "Lectures, Cantonese opera, concerts and children's programmes, any time",
            SearchLabel => "Search programmes",
            SearchPlaceholder => "Title, speaker or pinyin initials",
            SearchButton => "Search",
            SearchTitle => "Search programmes",
            SearchHint => "Type a word or two, pinyin, or pinyin initials (such as lfs)",
            NoResults => "No programmes found",
            LiveNow => "Live now",
            LiveBadge => "LIVE",
            ContinueWatching => "Continue watching",
            Upcoming => "Upcoming",
            Replay => "Replay available",
            Ended => "Ended",
            EventsTitle => "Events",
            RequestsTitle => "Requests",
            RequestsBlurb => {
                "What would you like at your library or village centre? Ask for it, or back what others asked for."
            }
            AllCulture => "Back to the cultural cloud",
            NotFoundTitle => "Page not found",
            ProgrammeNotFound => {
                "This programme could not be found. It may have been withdrawn, or the link is wrong."
            }
            EventNotFound => {
                "This event could not be found. It may have been cancelled, or the link is wrong."
            }
            Lecture => "Lectures",
            CantoneseOpera => "Cantonese opera",
            Concert => "Concerts",
            Children => "Children",
            Exhibition => "Exhibitions",
            LocalHistory => "Local history",
            SkillsTraining => "Skills training",
            OtherCategory => "Other",
            Episodes => "Episodes",
            Credits => "Speakers and performers",
            Speaker => "Speaker",
            Performer => "Performer",
            Host => "Host",
            RecordedAt => "Recorded at",
            Duration => "Length",
            Subtitles => "Subtitles",
            Tags => "Tags",
            AudioOnly => "Audio programme",
            Rating => "Rating",
            RateThis => "Rate this programme",
            NoRatings => "No ratings yet",
            RatingSaved => "Rating saved",
            ThisEpisode => "Now showing",
            Summary => "About",
            MediaMissing => "This programme cannot be played at the moment.",
            Place => "Place",
            Register => "Register",
            JoinWaitlist => "Full: join the waitlist",
            Registered => "You are registered",
            CancelRegistration => "Cancel registration",
            RegistrationCancelled => "Registration cancelled",
            Full => "Full",
            RegistrationClosed => "Registration closed",
            RemindMe => "Remind me (add to calendar)",
            WatchLive => "Watch live",
            WatchReplay => "Watch the replay",
            SeeProgramme => "Watch the recording",
            NoEvents => "No events coming up",
            SignInToRegister => "Sign in to register",
            ByLibrary => "Requests by library",
            NewRequest => "Make a request",
            RequestWhat => "What programme or activity would you like?",
            RequestType => "Type",
            RequestLibrary => "Library or village centre",
            RequestSubmit => "Send request",
            RequestSent => "Request sent. Thank you!",
            RequestEmpty => "Write what you would like (at most 100 characters).",
            Back => "Back this",
            Backed => "Backed",
            Mine => "Your request",
            NoRequests => "No requests yet",
            ErrMediaUnavailable => {
                "This programme's media is not on the server at the moment. Please try later."
            }
            ErrEventNotLive => "This event is not streamed live now.",
            ErrReplayNotReady => "The replay is not ready yet; it will be once the event is over.",
            ErrRegistrationClosed => {
                "This event takes no registrations (it has started, or needs none)."
            }
            ErrAlreadyRegistered => "You are already registered or on the waitlist.",
            ErrRequestInFlight => {
                "Your registration is still being processed. Please try again in a moment."
            }
            ErrIdempotency => "The registration went wrong. Please register again.",
            ErrSignIn => "Please sign in to continue.",
            ErrInvalid => {
                "Something in what you entered is not right. Please check it and try again."
            }
            ErrNotFound => "What you acted on could not be found. It may have been removed.",
            ErrBlocked => "Your card cannot use this service at the moment. Please ask at a desk.",
        }
    }
}

/// The message for a culture error code; `None` for codes whose message
/// is the app's general one (network, server faults).
pub fn code_text(code: ErrorCode) -> Option<CultureText> {
    use CultureText::*;
    Some(match code {
        ErrorCode::MediaUnavailable | ErrorCode::RangeNotSatisfiable => ErrMediaUnavailable,
        ErrorCode::EventNotLive => ErrEventNotLive,
        ErrorCode::ReplayNotReady => ErrReplayNotReady,
        ErrorCode::RegistrationClosed => ErrRegistrationClosed,
        ErrorCode::AlreadyRegistered => ErrAlreadyRegistered,
        ErrorCode::RequestInFlight => ErrRequestInFlight,
        ErrorCode::IdempotencyKeyRequired | ErrorCode::IdempotencyKeyReused => ErrIdempotency,
        ErrorCode::Unauthenticated | ErrorCode::SessionExpired | ErrorCode::CsrfCheckFailed => {
            ErrSignIn
        }
        ErrorCode::ValidationFailed | ErrorCode::BadRequest => ErrInvalid,
        ErrorCode::NotFound => ErrNotFound,
        ErrorCode::PatronBlocked => ErrBlocked,
        _ => return None,
    })
}

/// The name of a category.
pub fn category_text(category: Category) -> CultureText {
    use CultureText::*;
    match category {
        Category::Lecture => Lecture,
        Category::CantoneseOpera => CantoneseOpera,
        Category::Concert => Concert,
        Category::Children => Children,
        Category::Exhibition => Exhibition,
        Category::LocalHistory => LocalHistory,
        Category::SkillsTraining => SkillsTraining,
        Category::Unknown => OtherCategory,
    }
}

/// What a person did.
pub fn role_text(role: CreditRole) -> CultureText {
    match role {
        CreditRole::Performer => CultureText::Performer,
        CreditRole::Host => CultureText::Host,
        CreditRole::Speaker | CreditRole::Unknown => CultureText::Speaker,
    }
}

/// Where an event stands.
pub fn status_text(status: EventStatus) -> CultureText {
    match status {
        EventStatus::Live => CultureText::LiveNow,
        EventStatus::Replay => CultureText::Replay,
        EventStatus::Ended => CultureText::Ended,
        EventStatus::Upcoming | EventStatus::Unknown => CultureText::Upcoming,
    }
}

/// A length or position as a clock: `4:05`, `1:02:03`.
pub fn clock(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let two = |n: u32| {
        if n < 10 {
            ["0", &n.to_string()].concat()
        } else {
            n.to_string()
        }
    };
    if h > 0 {
        [h.to_string(), two(m), two(s)].join(":")
    } else {
        [m.to_string(), two(s)].join(":")
    }
}

/// An RFC 3339 instant in the library's time for reading: `12月9日 10:00`
/// / `9 Dec 10:00`. Text that is not such an instant is shown as it is.
pub fn when(locale: Locale, rfc3339: &str) -> String {
    let parsed = (|| {
        let m: usize = rfc3339.get(5..7)?.parse().ok()?;
        let d: u32 = rfc3339.get(8..10)?.parse().ok()?;
        let hm = rfc3339.get(11..16)?;
        ((1..=12).contains(&m) && hm.as_bytes().get(2) == Some(&b':')).then_some((m, d, hm))
    })();
    let Some((m, d, hm)) = parsed else {
        return rfc3339.to_owned();
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match locale {
        Locale::Zh => [&m.to_string(), "月", &d.to_string(), "日 ", hm].concat(),
        Locale::English => [&d.to_string(), " ", MONTHS[m - 1], " ", hm].concat(),
    }
}

/// "找到 12 个节目" / "12 programmes found".
pub fn found(locale: Locale, total: u32) -> String {
    let n = total.to_string();
    match locale {
        Locale::Zh => ["找到 ", &n, " 个节目"].concat(),
        Locale::English if total == 1 => "1 programme found".to_owned(),
        Locale::English => [&n, " programmes found"].concat(),
    }
}

/// "平均 4.2 分，12 人评分" / "Average 4.2 from 12 ratings".
pub fn average(locale: Locale, average: f64, count: u32) -> String {
    // One decimal, without the float formatter's code.
    let tenths = (average * 10.0).round().clamp(0.0, 50.0) as u32;
    let avg = [
        (tenths / 10).to_string(),
        ".".into(),
        (tenths % 10).to_string(),
    ]
    .concat();
    let n = count.to_string();
    match locale {
        Locale::Zh => ["平均 ", &avg, " 分，", &n, " 人评分"].concat(),
        Locale::English if count == 1 => ["Average ", &avg, " from 1 rating"].concat(),
        Locale::English => ["Average ", &avg, " from ", &n, " ratings"].concat(),
    }
}

/// "4 星" / "4 stars": a star button's label.
pub fn stars(locale: Locale, n: u8) -> String {
    let s = n.to_string();
    match locale {
        Locale::Zh => [&s, " 星"].concat(),
        Locale::English if n == 1 => "1 star".to_owned(),
        Locale::English => [&s, " stars"].concat(),
    }
}

/// "观看 123 次" / "123 views".
pub fn views(locale: Locale, n: u32) -> String {
    let s = n.to_string();
    match locale {
        Locale::Zh => ["观看 ", &s, " 次"].concat(),
        Locale::English if n == 1 => "1 view".to_owned(),
        Locale::English => [&s, " views"].concat(),
    }
}

/// "第 2 集" / "Episode 2".
pub fn episode(locale: Locale, n: u32) -> String {
    let s = n.to_string();
    match locale {
        Locale::Zh => ["第 ", &s, " 集"].concat(),
        Locale::English => ["Episode ", &s].concat(),
    }
}

/// "从 12:34 继续播放" / "Resumes at 12:34".
pub fn resumes_at(locale: Locale, seconds: u32) -> String {
    let at = clock(seconds);
    match locale {
        Locale::Zh => ["从 ", &at, " 继续播放"].concat(),
        Locale::English => ["Resumes at ", &at].concat(),
    }
}

/// "看到 12:34 / 45:00" / "Stopped at 12:34 of 45:00".
pub fn stopped_at(locale: Locale, position: u32, duration: u32) -> String {
    let (p, d) = (clock(position), clock(duration));
    match locale {
        Locale::Zh => ["看到 ", &p, " / ", &d].concat(),
        Locale::English => ["Stopped at ", &p, " of ", &d].concat(),
    }
}

/// "已报名 3 人，共 20 个名额" / "3 of 20 places taken".
pub fn places(locale: Locale, registered: u32, capacity: u32, waiting: u32) -> String {
    let (r, c, w) = (
        registered.to_string(),
        capacity.to_string(),
        waiting.to_string(),
    );
    let base = match locale {
        Locale::Zh => ["已报名 ", &r, " 人，共 ", &c, " 个名额"].concat(),
        Locale::English => [&r, " of ", &c, " places taken"].concat(),
    };
    match (locale, waiting) {
        (_, 0) => base,
        (Locale::Zh, _) => [&base, "，候补 ", &w, " 人"].concat(),
        (Locale::English, _) => [&base, ", ", &w, " waiting"].concat(),
    }
}

/// "候补第 2 位" / "Number 2 on the waitlist".
pub fn waitlist(locale: Locale, position: Option<u32>) -> String {
    match (locale, position) {
        (Locale::Zh, Some(p)) => ["你在候补名单第 ", &p.to_string(), " 位"].concat(),
        (Locale::Zh, None) => "你在候补名单中".to_owned(),
        (Locale::English, Some(p)) => {
            ["You are number ", &p.to_string(), " on the waitlist"].concat()
        }
        (Locale::English, None) => "You are on the waitlist".to_owned(),
    }
}

/// "12 人支持" / "12 backers".
pub fn backers(locale: Locale, n: u32) -> String {
    let s = n.to_string();
    match locale {
        Locale::Zh => [&s, " 人支持"].concat(),
        Locale::English if n == 1 => "1 backer".to_owned(),
        Locale::English => [&s, " backers"].concat(),
    }
}

/// "5 条点单，18 人支持" / "5 requests, 18 backers".
pub fn library_counts(locale: Locale, requests: u32, backers_n: u32) -> String {
    let r = requests.to_string();
    match locale {
        Locale::Zh => [&r, " 条点单，", &backers(locale, backers_n)].concat(),
        Locale::English if requests == 1 => ["1 request, ", &backers(locale, backers_n)].concat(),
        Locale::English => [&r, " requests, ", &backers(locale, backers_n)].concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_times_and_counts() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(65), "1:05");
        assert_eq!(clock(3723), "1:02:03");
        assert_eq!(
            when(Locale::Zh, "2026-12-09T10:00:00+08:00"),
            "12月9日 10:00"
        );
        assert_eq!(
            when(Locale::English, "2026-12-09T10:00:00+08:00"),
            "9 Dec 10:00"
        );
        assert_eq!(when(Locale::English, "soon"), "soon");
        assert_eq!(average(Locale::Zh, 4.25, 12), "平均 4.3 分，12 人评分");
        assert_eq!(
            average(Locale::English, 0.0, 0),
            "Average 0.0 from 0 ratings"
        );
        assert_eq!(
            places(Locale::English, 2, 2, 1),
            "2 of 2 places taken, 1 waiting"
        );
        assert_eq!(waitlist(Locale::Zh, Some(2)), "你在候补名单第 2 位");
    }

    #[test]
    fn every_culture_code_has_a_message_in_both_languages() {
        for code in [
            ErrorCode::MediaUnavailable,
            ErrorCode::RangeNotSatisfiable,
            ErrorCode::EventNotLive,
            ErrorCode::ReplayNotReady,
            ErrorCode::RegistrationClosed,
            ErrorCode::AlreadyRegistered,
            ErrorCode::IdempotencyKeyRequired,
            ErrorCode::IdempotencyKeyReused,
            ErrorCode::RequestInFlight,
            ErrorCode::Unauthenticated,
            ErrorCode::SessionExpired,
            ErrorCode::ValidationFailed,
            ErrorCode::NotFound,
        ] {
            let text = code_text(code).expect("a message");
            assert!(!text.zh().is_empty() && !text.en().is_empty());
        }
        assert_eq!(code_text(ErrorCode::Internal), None);
    }
}
