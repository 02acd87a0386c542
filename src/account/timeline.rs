//! What the account adds to the Me timeline: loans overdue or due within
//! [`DUE_SOON_DAYS`], and holds ready to collect.

use yuelan_api::account::{Account, HoldStatus};

use crate::components::icons::IconName;
use crate::components::timeline::{TimelineEntry, Urgency};
use crate::i18n::Locale;
use crate::i18n::Texts;
use crate::i18n::account::{AccountText as T, date, due_in};
use crate::routes::AppRoute;

/// A loan due within this many days is on the timeline.
pub const DUE_SOON_DAYS: i32 = 3;

/// The account's timeline entries. `library_name` names a library id in
/// the patron's language; `this_year` shortens dates of this year.
pub fn entries(
    account: &Account,
    locale: Locale,
    this_year: i32,
    library_name: &dyn Fn(&str) -> String,
) -> Vec<TimelineEntry> {
    let loans = account
        .loans
        .iter()
        .filter(|l| l.days_left <= DUE_SOON_DAYS)
        .map(|l| {
            let detail = [
                due_in(locale, l.days_left),
                date(locale, &l.due_date, this_year),
            ]
            .join(" · ");
            let action = if l.renew_block.is_none() {
                T::Renew
            } else {
                T::MeLoans
            };
            TimelineEntry {
                urgency: if l.days_left < 0 {
                    Urgency::Late
                } else {
                    Urgency::Soon
                },
                days: l.days_left,
                icon: if l.days_left < 0 {
                    IconName::Alert
                } else {
                    IconName::Clock
                },
                title: l.title.clone(),
                detail,
                action: Some((action.text(locale).to_owned(), AppRoute::MeLoans.to_href())),
            }
        });
    let holds = account
        .holds
        .iter()
        .filter(|h| h.status == HoldStatus::Ready)
        .map(|h| {
            let mut detail = [
                T::HoldReady.text(locale),
                " · ",
                T::PickupAt.text(locale),
                &library_name(&h.pickup_library_id),
            ]
            .concat();
            if let Some(by) = &h.pickup_by {
                detail.push_str(&pickup_by(locale, &date(locale, by, this_year)));
            }
            TimelineEntry {
                urgency: Urgency::Soon,
                days: 0,
                icon: IconName::Hold,
                title: h.title.clone(),
                detail,
                action: Some((
                    T::MeHolds.text(locale).to_owned(),
                    AppRoute::MeHolds.to_href(),
                )),
            }
        });
    loans.chain(holds).collect()
}

/// "，请在 12月4日 前取书" / ", collect by 4 Dec".
pub fn pickup_by(locale: Locale, when: &str) -> String {
    match locale {
        Locale::Zh => ["，请在 ", when, " 前取书"].concat(),
        Locale::English => [", collect by ", when].concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yuelan_api::Format;
    use yuelan_api::account::{Hold, Loan, Patron};

    fn loan(id: i64, days_left: i32) -> Loan {
        Loan {
            id,
            record_id: id,
            title: format!("loan {days_left}"),
            authors: vec![],
            format: Format::Book,
            barcode: "b".into(),
            library_id: "county".into(),
            borrowed_on: "2026-11-01".into(),
            due_date: "2026-12-01".into(),
            days_left,
            renewals: 0,
            renewals_left: 2,
            renew_block: None,
        }
    }

    fn hold(status: HoldStatus) -> Hold {
        Hold {
            id: 1,
            record_id: 1,
            title: "hold".into(),
            authors: vec![],
            format: Format::Book,
            pickup_library_id: "vc-tiechang".into(),
            status,
            placed_on: "2026-11-20".into(),
            queue_position: 0,
            queue_length: 1,
            suspended_until: None,
            pickup_by: Some("2026-12-04".into()),
        }
    }

    #[test]
    fn overdue_and_soon_due_loans_and_ready_holds() {
        let account = Account {
            patron: Patron {
                card_number: "44132200000001".into(),
                name: "陈晓明".into(),
                home_library_id: "county".into(),
                preferred_locale: "zh-CN".into(),
                elder_mode: false,
                blocked: None,
            },
            loans: vec![loan(1, -5), loan(2, 2), loan(3, 3), loan(4, 4), loan(5, 16)],
            holds: vec![
                hold(HoldStatus::Ready),
                hold(HoldStatus::Waiting),
                hold(HoldStatus::InTransit),
            ],
        };
        let name = |id: &str| {
            if id == "vc-tiechang" {
                "铁场村".to_owned()
            } else {
                id.to_owned()
            }
        };
        let e = entries(&account, Locale::Zh, 2026, &name);
        let titles: Vec<&str> = e.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["loan -5", "loan 2", "loan 3", "hold"]);
        assert_eq!(e[0].urgency, Urgency::Late);
        assert_eq!(e[0].detail, "已逾期 5 天 · 12月1日");
        assert_eq!(e[1].urgency, Urgency::Soon);
        assert_eq!(
            e[3].detail,
            "可以取书 · 取书馆：铁场村，请在 12月4日 前取书"
        );
        assert_eq!(
            e[3].action.as_ref().map(|a| a.1.as_str()),
            Some("/me/holds")
        );
        let en = entries(&account, Locale::English, 2026, &name);
        assert_eq!(en[1].detail, "Due in 2 days · 1 Dec");
        assert_eq!(en[1].action.as_ref().map(|a| a.0.as_str()), Some("Renew"));
    }
}
