//! Texts of reading-room booking, in Simplified Chinese and English, with
//! the formatting of its dates, spans and rules, and the messages of its
//! error codes.

use yuelan_api::ErrorCode;
use yuelan_api::booking::{BookingAction, BookingStatus};

use super::{Locale, Texts};

/// A text of reading-room booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BookText {
    RoomsTitle,
    RoomsIntro,
    MyBookings,
    CheckInLink,
    OpenNow,
    ClosedNow,
    ClosedToday,
    NoRooms,
    BackToRooms,
    // Room page
    Date,
    Start,
    End,
    DayClosed,
    DayOpensLater,
    NoSlotsLeft,
    RulesTitle,
    SeatMap,
    FiltersTitle,
    Power,
    Window,
    Accessible,
    Quiet,
    AnyFreeSeat,
    NoFreeSeatMatches,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    MapHelp,
    LegendTitle,
    Free,
    Taken,
    Closed,
    Selected,
    Seat,
    ChooseSeat,
    BookSeat,
    Booking,
    RoomFull,
    JoinWaitlist,
    JoinedWaitlist,
    SeatTakenRefreshed,
    LiveOn,
    LivePolling,
    // Confirmation
    Booked,
    CheckInQr,
    AddToCalendar,
    SeeMyBookings,
    CheckInHint,
    // Mine
    Upcoming,
    Past,
    NoUpcoming,
    NoPast,
    Waitlist,
    LeaveWaitlist,
    LeftWaitlist,
    Offered,
    SignInToSee,
    SignIn,
    ChangedElsewhere,
    Done,
    ExtendTo,
    ConfirmCancel,
    KeepBooking,
    // Check-in
    CheckInTitle,
    SeatCode,
    SeatCodeHelp,
    CheckIn,
    CheckingIn,
    CheckedIn,
    ScanCode,
    StopCamera,
    CameraUnavailable,
    CameraFailed,
    CameraHelp,
    BadSeatCode,
    // Errors
    ErrRoomClosed,
    ErrInPast,
    ErrNotOpen,
    ErrNotOnSlots,
    ErrTooShort,
    ErrTooLong,
    ErrDailyLimit,
    ErrOverlap,
    ErrSeatTaken,
    ErrSeatClosed,
    ErrSuspended,
    ErrCheckinEarly,
    ErrCheckinLate,
    ErrNoBookingAtSeat,
    ErrNotChangeable,
    ErrStale,
    ErrKeyReused,
    ErrInFlight,
    ErrSeatsAvailable,
    ErrAlreadyWaiting,
    ErrNotSignedIn,
    ErrNoSuchSeat,
    OpensAt,
}

impl Texts for BookText {
    fn zh(self) -> &'static str {
        use BookText::*;
        match self {
            RoomsTitle => "阅览室预约",
            RoomsIntro => "选择阅览室，再选日期、时段和座位。浏览无需登录。",
            MyBookings => "我的预约",
            CheckInLink => "扫码签到",
            OpenNow => "开放中",
            ClosedNow => "未开放",
            ClosedToday => "今天闭馆",
            NoRooms => "暂无可预约的阅览室。",
            BackToRooms => "全部阅览室",
            Date => "日期",
            Start => "开始",
            End => "结束",
            DayClosed => "（闭馆）",
            DayOpensLater => "（稍后开放预约）",
            NoSlotsLeft => "这一天已没有可预约的时段，请换一天。",
            RulesTitle => "预约规则",
            SeatMap => "座位图",
            FiltersTitle => "筛选座位",
            Power => "电源",
            Window => "靠窗",
            Accessible => "无障碍",
            Quiet => "静音区",
            AnyFreeSeat => "帮我选一个空座",
            NoFreeSeatMatches => "没有符合条件的空座。",
            ZoomIn => "放大",
            ZoomOut => "缩小",
            ZoomReset => "复原",
            MapHelp => "用方向键在座位间移动，按回车选择；手机上可双指缩放、拖动。",
            LegendTitle => "图例",
            Free => "空闲",
            Taken => "已约",
            Closed => "停用",
            Selected => "已选",
            Seat => "座位",
            ChooseSeat => "请在座位图上选一个空座。",
            BookSeat => "确认预约",
            Booking => "正在预约…",
            RoomFull => "这个时段已满。可以排队候补，有座位空出时会通知您。",
            JoinWaitlist => "排队候补",
            JoinedWaitlist => "已加入候补队列。",
            SeatTakenRefreshed => {
                "您选的座位刚被别人约走了。座位图已更新，日期和时段保持不变，请另选一个座位。"
            }
            LiveOn => "座位状态实时更新。",
            LivePolling => "座位状态每秒刷新。",
            Booked => "预约成功",
            CheckInQr => "签到用的座位二维码",
            AddToCalendar => "加入手机日历",
            SeeMyBookings => "查看我的预约",
            CheckInHint => "到座后扫描座位上的二维码，或在“我的预约”里签到。",
            Upcoming => "即将开始",
            Past => "已结束",
            NoUpcoming => "没有即将开始的预约。",
            NoPast => "最近 30 天没有预约记录。",
            Waitlist => "候补队列",
            LeaveWaitlist => "退出候补",
            LeftWaitlist => "已退出候补。",
            Offered => "有座位留给您",
            SignInToSee => "登录后查看您的预约。",
            SignIn => "登录",
            ChangedElsewhere => "这个预约已在别处更改，下面是它现在的状态。",
            Done => "已完成。",
            ExtendTo => "延长到",
            ConfirmCancel => "确定取消这个预约吗？",
            KeepBooking => "不取消",
            CheckInTitle => "座位签到",
            SeatCode => "座位码",
            SeatCodeHelp => "印在座位二维码下方的 8 位字母数字。",
            CheckIn => "签到",
            CheckingIn => "正在签到…",
            CheckedIn => "签到成功",
            ScanCode => "用摄像头扫码",
            StopCamera => "关闭摄像头",
            CameraUnavailable => {
                "这个浏览器不能在应用内扫码：请用微信或相机扫描座位上的二维码，或输入座位码。"
            }
            CameraFailed => "无法打开摄像头。请允许使用摄像头，或输入座位码。",
            CameraHelp => "把座位上的二维码放进取景框。",
            BadSeatCode => "座位码由字母和数字组成，请检查后再试。",
            ErrRoomClosed => "阅览室在这个时段不开放。",
            ErrInPast => "这个时段已经开始或结束，请选择以后的时段。",
            ErrNotOpen => "这一天还不能预约。",
            ErrNotOnSlots => "开始和结束时间须在阅览室的时段上。",
            ErrTooShort => "预约时间太短。",
            ErrTooLong => "预约时间超过了上限。",
            ErrDailyLimit => "您今天在这个图书馆的预约次数已达上限。",
            ErrOverlap => "这个时段您已有别的预约。",
            ErrSeatTaken => "这个座位刚被别人约走了。",
            ErrSeatClosed => "这个座位已停用。",
            ErrSuspended => "因多次违约，您的预约资格已暂停。",
            ErrCheckinEarly => "还没到签到时间。",
            ErrCheckinLate => "签到时间已过，座位已释放。",
            ErrNoBookingAtSeat => "您现在在这个座位没有可签到的预约。请确认座位号。",
            ErrNotChangeable => "这个预约现在不能这样更改。",
            ErrStale => "这个预约已在别处更改。",
            ErrKeyReused => "这次预约请求与之前的不一致，请重新确认。",
            ErrInFlight => "上一次请求还在处理，请稍候再试。",
            ErrSeatsAvailable => "这个时段还有空座，直接预约即可。",
            ErrAlreadyWaiting => "您已在这个时段的候补队列中。",
            ErrNotSignedIn => "需要登录才能继续。",
            ErrNoSuchSeat => "没有这个座位码的座位。",
            OpensAt => "开放时间：",
        }
    }

    fn en(self) -> &'static str {
        use BookText::*;
        match self {
            RoomsTitle => "Book a reading room",
            RoomsIntro => {
                "Choose a room, then a day, a time and a seat. Browsing needs no sign-in."
            }
            MyBookings => "My reservations",
            CheckInLink => "Check in at a seat",
            OpenNow => "Open now",
            ClosedNow => "Closed now",
            ClosedToday => "Closed today",
            NoRooms => "No reading rooms can be booked.",
            BackToRooms => "All reading rooms",
            Date => "Day",
            Start => "From",
            End => "To",
            DayClosed => " (closed)",
            DayOpensLater => " (opens for booking later)",
            NoSlotsLeft => "No times are left on this day; choose another day.",
            RulesTitle => "Booking rules",
            SeatMap => "Seat map",
            FiltersTitle => "Filter seats",
            Power => "Power",
            Window => "Window",
            Accessible => "Accessible",
            Quiet => "Quiet zone",
            AnyFreeSeat => "Pick any free seat",
            NoFreeSeatMatches => "No free seat matches.",
            ZoomIn => "Zoom in",
            ZoomOut => "Zoom out",
            ZoomReset => "Reset zoom",
            MapHelp => {
                "Arrow keys move between seats, Enter chooses one; on a phone, pinch to zoom and drag to pan."
            }
            LegendTitle => "Key",
            Free => "free",
            Taken => "taken",
            Closed => "closed",
            Selected => "chosen",
            Seat => "Seat",
            ChooseSeat => "Choose a free seat on the map.",
            BookSeat => "Book this seat",
            Booking => "Booking…",
            RoomFull => {
                "This time is full. Join the waitlist and you will be offered a seat that frees."
            }
            JoinWaitlist => "Join the waitlist",
            JoinedWaitlist => "You are on the waitlist.",
            SeatTakenRefreshed => {
                "Someone has just booked the seat you chose. The map is up to date and your day and time are kept: choose another seat."
            }
            LiveOn => "Seats update live.",
            LivePolling => "Seats refresh every second.",
            Booked => "Booked",
            CheckInQr => "The seat's check-in code",
            AddToCalendar => "Add to calendar",
            SeeMyBookings => "See my reservations",
            CheckInHint => "At the seat, scan its QR code, or check in from My reservations.",
            Upcoming => "Upcoming",
            Past => "Past",
            NoUpcoming => "No upcoming reservations.",
            NoPast => "No reservations in the last 30 days.",
            Waitlist => "Waitlist",
            LeaveWaitlist => "Leave the waitlist",
            LeftWaitlist => "You have left the waitlist.",
            Offered => "A seat is held for you",
            SignInToSee => "Sign in to see your reservations.",
            SignIn => "Sign in",
            ChangedElsewhere => "This reservation was changed elsewhere; here it is as it is now.",
            Done => "Done.",
            ExtendTo => "Extend to",
            ConfirmCancel => "Cancel this reservation?",
            KeepBooking => "Keep it",
            CheckInTitle => "Check in at a seat",
            SeatCode => "Seat code",
            SeatCodeHelp => "The 8 letters and digits under the seat's QR code.",
            CheckIn => "Check in",
            CheckingIn => "Checking in…",
            CheckedIn => "Checked in",
            ScanCode => "Scan with the camera",
            StopCamera => "Turn the camera off",
            CameraUnavailable => {
                "This browser cannot scan in the app: scan the seat's QR code with WeChat or the camera app, or type the seat code."
            }
            CameraFailed => {
                "The camera could not be opened. Allow the camera, or type the seat code."
            }
            CameraHelp => "Hold the seat's QR code in the frame.",
            BadSeatCode => "A seat code is letters and digits; check it and try again.",
            ErrRoomClosed => "The room is not open at that time.",
            ErrInPast => "That time has started or is over; choose a later one.",
            ErrNotOpen => "That day cannot be booked yet.",
            ErrNotOnSlots => "Bookings start and end on the room's time slots.",
            ErrTooShort => "That booking is too short.",
            ErrTooLong => "That booking is longer than the rules allow.",
            ErrDailyLimit => {
                "You have as many bookings that day in this library as the rules allow."
            }
            ErrOverlap => "You already have a booking at that time.",
            ErrSeatTaken => "Someone has just booked this seat.",
            ErrSeatClosed => "This seat is closed.",
            ErrSuspended => "Booking is suspended after repeated no-shows or late returns.",
            ErrCheckinEarly => "Check-in has not opened yet.",
            ErrCheckinLate => "The check-in time is over and the seat was released.",
            ErrNoBookingAtSeat => {
                "You have no booking to check in to at this seat now. Check the seat number."
            }
            ErrNotChangeable => "This reservation cannot be changed that way now.",
            ErrStale => "This reservation was changed elsewhere.",
            ErrKeyReused => "This request differs from the earlier one; please confirm again.",
            ErrInFlight => "The previous request is still being answered; try again in a moment.",
            ErrSeatsAvailable => "Seats are free at that time: book one instead.",
            ErrAlreadyWaiting => "You are already on the waitlist for that time.",
            ErrNotSignedIn => "You need to sign in to go on.",
            ErrNoSuchSeat => "No seat has this code.",
            OpensAt => "It opens at ",
        }
    }
}

/// The message of a booking error code; `None` for codes booking does not
/// add (the general ones, which the main module maps).
pub fn booking_error(code: ErrorCode) -> Option<BookText> {
    use BookText::*;
    Some(match code {
        ErrorCode::RoomClosed => ErrRoomClosed,
        ErrorCode::BookingInPast => ErrInPast,
        ErrorCode::BookingNotOpen => ErrNotOpen,
        ErrorCode::NotOnSlots => ErrNotOnSlots,
        ErrorCode::BookingTooShort => ErrTooShort,
        ErrorCode::BookingTooLong => ErrTooLong,
        ErrorCode::DailyBookingLimit => ErrDailyLimit,
        ErrorCode::BookingOverlap => ErrOverlap,
        ErrorCode::SeatTaken => ErrSeatTaken,
        ErrorCode::SeatClosed => ErrSeatClosed,
        ErrorCode::BookingSuspended => ErrSuspended,
        ErrorCode::CheckinTooEarly => ErrCheckinEarly,
        ErrorCode::CheckinTooLate => ErrCheckinLate,
        ErrorCode::NoBookingAtSeat => ErrNoBookingAtSeat,
        ErrorCode::BookingNotChangeable => ErrNotChangeable,
        ErrorCode::PreconditionFailed => ErrStale,
        ErrorCode::IdempotencyKeyReused | ErrorCode::IdempotencyKeyRequired => ErrKeyReused,
        ErrorCode::RequestInFlight => ErrInFlight,
        ErrorCode::SeatsAvailable => ErrSeatsAvailable,
        ErrorCode::AlreadyWaiting => ErrAlreadyWaiting,
        ErrorCode::Unauthenticated | ErrorCode::SessionExpired => ErrNotSignedIn,
        _ => return None,
    })
}

/// A booking's status in words.
pub fn status_text(locale: Locale, status: BookingStatus) -> &'static str {
    let (zh, en) = match status {
        BookingStatus::Offered => ("候补座位待确认", "Seat offered"),
        BookingStatus::Booked => ("已预约", "Booked"),
        BookingStatus::CheckedIn => ("已签到", "Checked in"),
        BookingStatus::OnLeave => ("暂离中", "On leave"),
        BookingStatus::Completed => ("已结束", "Over"),
        BookingStatus::Cancelled => ("已取消", "Cancelled"),
        BookingStatus::NoShow => ("未签到，已释放", "No-show, released"),
        BookingStatus::LeaveOverrun => ("暂离超时，已释放", "Late back, released"),
        BookingStatus::Declined => ("已放弃", "Declined"),
        BookingStatus::Expired => ("候补已过期", "Offer lapsed"),
        BookingStatus::Unknown => ("状态未知", "Unknown"),
    };
    pick(locale, zh, en)
}

/// An action on a booking, as its button says it.
pub fn action_text(locale: Locale, action: BookingAction) -> &'static str {
    let (zh, en) = match action {
        BookingAction::Cancel => ("取消预约", "Cancel"),
        BookingAction::CheckIn => ("签到", "Check in"),
        BookingAction::Leave => ("暂时离开", "Leave for a while"),
        BookingAction::Return => ("我回来了", "I'm back"),
        BookingAction::End => ("提前结束", "End now"),
        BookingAction::Extend => ("延长", "Extend"),
        BookingAction::Accept => ("接受座位", "Accept the seat"),
        BookingAction::Decline | BookingAction::Unknown => ("放弃", "Decline"),
    };
    pick(locale, zh, en)
}

fn pick(locale: Locale, zh: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::Zh => zh,
        Locale::English => en,
    }
}

const WEEKDAYS_ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A day as patrons read it: `12月8日 周二` / `Tue 8 Dec`; with
/// `today`'s count, today and tomorrow by name.
pub fn day_label(locale: Locale, day: i64, today: i64) -> String {
    let (_, m, d) = crate::booking::model::civil(day);
    let wd = usize::from(crate::booking::model::weekday(day).clamp(1, 7)) - 1;
    let name = match locale {
        Locale::Zh => [&m.to_string(), "月", &d.to_string(), "日 ", WEEKDAYS_ZH[wd]].concat(),
        Locale::English => {
            let month = MONTHS_EN[(m.clamp(1, 12) - 1) as usize];
            [WEEKDAYS_EN[wd], " ", &d.to_string(), " ", month].concat()
        }
    };
    let relative = match day - today {
        0 => pick(locale, "今天 ", "Today, "),
        1 => pick(locale, "明天 ", "Tomorrow, "),
        _ => "",
    };
    [relative, &name].concat()
}

/// `09:00–10:30`.
pub fn span_text(start: &str, end: &str) -> String {
    [start, "–", end].concat()
}

/// "Seat A03" / "座位 A03".
pub fn seat_name(locale: Locale, label: &str) -> String {
    match locale {
        Locale::Zh => ["座位 ", label].concat(),
        Locale::English => ["Seat ", label].concat(),
    }
}

/// What a screen reader says of a seat: "seat 12, window, power, free".
pub fn seat_aria(
    locale: Locale,
    label: &str,
    attributes: &[BookText],
    status: BookText,
    selected: bool,
) -> String {
    let mut parts = vec![match locale {
        Locale::Zh => ["座位 ", label].concat(),
        Locale::English => ["seat ", label].concat(),
    }];
    for a in attributes {
        parts.push(a.text(locale).to_lowercase());
    }
    parts.push(status.text(locale).to_owned());
    if selected {
        parts.push(BookText::Selected.text(locale).to_owned());
    }
    parts.join(pick(locale, "，", ", "))
}

/// "3 of 40 seats free now".
pub fn seats_free(locale: Locale, free: u32, total: u32) -> String {
    match locale {
        Locale::Zh => ["空座 ", &free.to_string(), " / ", &total.to_string()].concat(),
        Locale::English => [
            &free.to_string(),
            " of ",
            &total.to_string(),
            " seats free now",
        ]
        .concat(),
    }
}

/// "Today 09:00–21:00".
pub fn hours_today(locale: Locale, start: &str, end: &str) -> String {
    [pick(locale, "今天 ", "Today "), &span_text(start, end)].concat()
}

/// "Check in from 08:45 to 09:15".
pub fn checkin_window(locale: Locale, opens: &str, closes: &str) -> String {
    match locale {
        Locale::Zh => ["签到时间：", opens, " 至 ", closes, "，逾时座位将被释放。"].concat(),
        Locale::English => [
            "Check in from ",
            opens,
            " to ",
            closes,
            "; after that the seat is released.",
        ]
        .concat(),
    }
}

/// "Check-in opens in 12 min" / "closes in 5 min".
pub fn checkin_in(locale: Locale, opens: bool, minutes: i64) -> String {
    let n = minutes.to_string();
    match (locale, opens) {
        (Locale::Zh, true) => [&n, " 分钟后可签到"].concat(),
        (Locale::Zh, false) => ["可以签到，", &n, " 分钟内有效"].concat(),
        (Locale::English, true) => ["Check-in opens in ", &n, " min"].concat(),
        (Locale::English, false) => ["Check in now: ", &n, " min left"].concat(),
    }
}

/// "Back by 12:30".
pub fn back_by(locale: Locale, time: &str) -> String {
    [
        pick(locale, "请在 ", "Back by "),
        time,
        pick(locale, " 前回座", ""),
    ]
    .concat()
}

/// "Held for you until 10:10".
pub fn offer_until(locale: Locale, time: &str) -> String {
    [pick(locale, "为您保留到 ", "Held for you until "), time].concat()
}

/// "No. 2 on the waitlist".
pub fn waitlist_position(locale: Locale, position: u32) -> String {
    match locale {
        Locale::Zh => ["候补第 ", &position.to_string(), " 位"].concat(),
        Locale::English => ["No. ", &position.to_string(), " on the waitlist"].concat(),
    }
}

/// "Booking suspended until 12月14日".
pub fn suspended_until(locale: Locale, day: &str) -> String {
    match locale {
        Locale::Zh => ["预约资格暂停至 ", day, "（含当天）。"].concat(),
        Locale::English => ["Booking is suspended until ", day, " (inclusive)."].concat(),
    }
}

/// "2 violations" (no-shows, late returns) counted now.
pub fn violations(locale: Locale, n: u32) -> String {
    match locale {
        Locale::Zh => ["近期违约 ", &n.to_string(), " 次（见预约规则）"].concat(),
        Locale::English => [&n.to_string(), " recent violations (see the booking rules)"].concat(),
    }
}

/// The rules of a room, one line each.
pub fn rules_lines(locale: Locale, r: &yuelan_api::booking::BookingRules) -> Vec<String> {
    let n = |v: u32| v.to_string();
    match locale {
        Locale::Zh => vec![
            [
                "每段 ",
                &n(r.slot_minutes),
                " 分钟，每次 ",
                &n(r.min_minutes),
                "–",
                &n(r.max_minutes),
                " 分钟。",
            ]
            .concat(),
            [
                "可提前 ",
                &n(r.days_ahead),
                " 天预约，新的一天在 ",
                &r.window_opens_at,
                " 开放。",
            ]
            .concat(),
            [
                "每人每天在本馆最多预约 ",
                &n(r.max_bookings_per_day),
                " 次。",
            ]
            .concat(),
            [
                "开始前 ",
                &n(r.checkin_before_minutes),
                " 分钟至开始后 ",
                &n(r.checkin_after_minutes),
                " 分钟内签到，否则座位释放并记违约。",
            ]
            .concat(),
            [
                "暂离最长 ",
                &n(r.leave_minutes),
                " 分钟（用餐时间 ",
                &n(r.meal_leave_minutes),
                " 分钟），超时释放并记违约。",
            ]
            .concat(),
            [
                &n(r.violation_window_days),
                " 天内违约 ",
                &n(r.violation_limit),
                " 次，暂停预约 ",
                &n(r.suspension_days),
                " 天。",
            ]
            .concat(),
        ],
        Locale::English => vec![
            [
                "Slots of ",
                &n(r.slot_minutes),
                " min; a booking lasts ",
                &n(r.min_minutes),
                "–",
                &n(r.max_minutes),
                " min.",
            ]
            .concat(),
            [
                "Book up to ",
                &n(r.days_ahead),
                " days ahead; a new day opens at ",
                &r.window_opens_at,
                ".",
            ]
            .concat(),
            [
                "At most ",
                &n(r.max_bookings_per_day),
                " bookings a day in this library.",
            ]
            .concat(),
            [
                "Check in from ",
                &n(r.checkin_before_minutes),
                " min before the start to ",
                &n(r.checkin_after_minutes),
                " min after, or the seat is released and a violation counted.",
            ]
            .concat(),
            [
                "Leave for up to ",
                &n(r.leave_minutes),
                " min (",
                &n(r.meal_leave_minutes),
                " at meal times); later, the seat is released and a violation counted.",
            ]
            .concat(),
            [
                &n(r.violation_limit),
                " violations in ",
                &n(r.violation_window_days),
                " days suspend booking for ",
                &n(r.suspension_days),
                " days.",
            ]
            .concat(),
        ],
    }
}
