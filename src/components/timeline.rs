//! The Me page's timeline: what needs the patron, from every feature.
//!
//! Each feature turns its own data into [`TimelineEntry`]s (the account:
//! loans due soon or overdue, holds ready; later booking: upcoming seat
//! bookings; culture: programmes in progress); the Me page, at app level,
//! puts them together with [`merge`] and shows them with [`Timeline`]. No
//! feature knows another's entries.

use leptos::prelude::*;

use crate::components::icons::{Icon, IconName};

/// How pressing an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    /// Late already (an overdue loan).
    Late,
    /// To do today or very soon (due in a day or two, ready to collect).
    Soon,
    /// Worth knowing (an upcoming booking).
    Later,
}

impl Urgency {
    fn as_str(self) -> &'static str {
        match self {
            Urgency::Late => "late",
            Urgency::Soon => "soon",
            Urgency::Later => "later",
        }
    }
}

/// One thing that needs the patron.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    pub urgency: Urgency,
    /// Days from today to when it matters (negative: past), for the order
    /// within one urgency.
    pub days: i32,
    pub icon: IconName,
    /// What it is about (a title, a room).
    pub title: String,
    /// What it needs, in words (never colour alone): "Overdue by 5 days".
    pub detail: String,
    /// Where to act on it: the link's text and href.
    pub action: Option<(String, String)>,
}

/// Every source's entries in one list: most urgent first, then soonest,
/// then by title (stable for equal entries).
pub fn merge(sources: Vec<Vec<TimelineEntry>>) -> Vec<TimelineEntry> {
    let mut all: Vec<TimelineEntry> = sources.into_iter().flatten().collect();
    all.sort_by(|a, b| {
        (a.urgency, a.days)
            .cmp(&(b.urgency, b.days))
            .then_with(|| a.title.cmp(&b.title))
    });
    all
}

/// The timeline; `empty` when there is nothing.
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>, empty: &'static str) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="timeline-empty">{empty}</p> }.into_any();
    }
    let items = entries
        .into_iter()
        .map(|e| {
            let action = e.action.map(|(label, href)| {
                view! { <a class="timeline-action" href=href>{label}</a> }
            });
            view! {
                <li class="timeline-entry" data-urgency=e.urgency.as_str()>
                    <Icon name=e.icon />
                    <div class="timeline-body">
                        <p class="timeline-title">{e.title}</p>
                        <p class="timeline-detail">{e.detail}</p>
                    </div>
                    {action}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="timeline">{items}</ul> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(urgency: Urgency, days: i32, title: &str) -> TimelineEntry {
        TimelineEntry {
            urgency,
            days,
            icon: IconName::Book,
            title: title.into(),
            detail: String::new(),
            action: None,
        }
    }

    #[test]
    fn most_urgent_and_soonest_first() {
        let merged = merge(vec![
            vec![
                entry(Urgency::Soon, 2, "due in 2"),
                entry(Urgency::Late, -5, "overdue 5"),
            ],
            vec![
                entry(Urgency::Later, 1, "booking"),
                entry(Urgency::Soon, 0, "ready"),
            ],
            vec![],
            vec![entry(Urgency::Late, -40, "overdue 40")],
        ]);
        let titles: Vec<&str> = merged.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(
            titles,
            ["overdue 40", "overdue 5", "ready", "due in 2", "booking"]
        );
        assert!(merge(vec![]).is_empty());
    }
}
