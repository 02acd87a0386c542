//! Where copies of a record are: the summary a result list shows, and the
//! order of a record's holdings. Pure functions over the wire types; the
//! server's numbers are not trusted to be consistent.

use std::cmp::Ordering;

use yuelan_api::{BranchAvailability, Holding, ItemStatus};

/// Copies of one record across the network.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AvailabilitySummary {
    /// Copies on a shelf now, anywhere.
    pub available: u32,
    /// All copies.
    pub total: u32,
    /// Libraries holding at least one copy.
    pub libraries: u32,
    /// Libraries with at least one copy on the shelf now.
    pub libraries_on_shelf: u32,
}

/// What a patron can do about a record right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AvailabilityStatus {
    /// A copy is on a shelf somewhere.
    OnShelf,
    /// Copies exist, none is on a shelf.
    AllOnLoan,
    /// No library holds a copy.
    NoCopies,
}

impl AvailabilityStatus {
    /// A stable name, used as a `data-status` attribute for styling and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            AvailabilityStatus::OnShelf => "on-shelf",
            AvailabilityStatus::AllOnLoan => "all-on-loan",
            AvailabilityStatus::NoCopies => "no-copies",
        }
    }
}

impl AvailabilitySummary {
    /// Sums the copies per library. A library listed twice counts once; a
    /// library claiming more copies on the shelf than it holds is taken to
    /// hold at least those.
    pub fn from_branches(branches: &[BranchAvailability]) -> Self {
        let mut s = Self::default();
        for (i, b) in branches.iter().enumerate() {
            let total = b.total.max(b.available);
            s.available = s.available.saturating_add(b.available);
            s.total = s.total.saturating_add(total);
            let seen_before = branches[..i].iter().any(|p| p.library_id == b.library_id);
            if !seen_before {
                let (avail, total) = branches[i..]
                    .iter()
                    .filter(|p| p.library_id == b.library_id)
                    .fold((0u32, 0u32), |(a, t), p| {
                        (
                            a.saturating_add(p.available),
                            t.saturating_add(p.total.max(p.available)),
                        )
                    });
                if total > 0 {
                    s.libraries += 1;
                }
                if avail > 0 {
                    s.libraries_on_shelf += 1;
                }
            }
        }
        s
    }

    pub fn status(&self) -> AvailabilityStatus {
        if self.available > 0 {
            AvailabilityStatus::OnShelf
        } else if self.total > 0 {
            AvailabilityStatus::AllOnLoan
        } else {
            AvailabilityStatus::NoCopies
        }
    }
}

/// Ids of the first `limit` libraries with a copy on the shelf, in the
/// server's order (most copies on the shelf first), without repeats.
pub fn on_shelf_library_ids(branches: &[BranchAvailability], limit: usize) -> Vec<&str> {
    let mut ids: Vec<&str> = Vec::new();
    for b in branches {
        if ids.len() == limit {
            break;
        }
        if b.available > 0 && !ids.contains(&b.library_id.as_str()) {
            ids.push(&b.library_id);
        }
    }
    ids
}

/// Copies per library counted from a record's holdings, libraries with
/// copies on the shelf first.
pub fn branches_from_holdings(holdings: &[Holding]) -> Vec<BranchAvailability> {
    let mut out: Vec<BranchAvailability> = Vec::new();
    for h in holdings {
        let on_shelf = u32::from(h.status == ItemStatus::OnShelf);
        match out.iter_mut().find(|b| b.library_id == h.library_id) {
            Some(b) => {
                b.total = b.total.saturating_add(1);
                b.available = b.available.saturating_add(on_shelf);
            }
            None => out.push(BranchAvailability {
                library_id: h.library_id.clone(),
                available: on_shelf,
                total: 1,
            }),
        }
    }
    insertion_sort_by(&mut out, |a, b| b.available.cmp(&a.available));
    out
}

/// A stable sort for the short lists of a record (its copies and
/// libraries: a few dozen at most). The standard library's sorts are
/// several KB of WASM per element type; this is a few hundred bytes.
fn insertion_sort_by<T>(v: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && compare(&v[j - 1], &v[j]) == Ordering::Greater {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// How soon a patron can get a copy in this state; lower is sooner.
fn status_rank(status: ItemStatus) -> u8 {
    match status {
        ItemStatus::OnShelf => 0,
        ItemStatus::InTransit => 1,
        ItemStatus::OnHoldShelf => 2,
        ItemStatus::OnLoan => 3,
        ItemStatus::Unknown => 4,
    }
}

/// Orders holdings for the record page: copies on the shelf first, then by
/// library name (in the patron's language), call number and due date.
pub fn sort_holdings(holdings: &mut [Holding], english: bool) {
    insertion_sort_by(holdings, |a, b| {
        status_rank(a.status)
            .cmp(&status_rank(b.status))
            .then_with(|| a.library_name.get(english).cmp(b.library_name.get(english)))
            .then_with(|| a.call_number.cmp(&b.call_number))
            .then_with(|| match (&a.due_date, &b.due_date) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => Ordering::Greater,
                (None, Some(_)) => Ordering::Less,
                (None, None) => Ordering::Equal,
            })
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use yuelan_api::LocalizedText;

    #[test]
    fn insertion_sort_is_a_stable_sort() {
        // (key, original position): equal keys keep their order.
        let mut v: Vec<(u8, usize)> = [3, 1, 2, 1, 3, 0, 2, 1]
            .into_iter()
            .enumerate()
            .map(|(i, k)| (k, i))
            .collect();
        let mut expected = v.clone();
        expected.sort_by_key(|(k, _)| *k);
        insertion_sort_by(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(v, expected);
        let mut empty: [u8; 0] = [];
        insertion_sort_by(&mut empty, Ord::cmp);
        let mut one = [5];
        insertion_sort_by(&mut one, Ord::cmp);
        assert_eq!(one, [5]);
    }

    fn b(id: &str, available: u32, total: u32) -> BranchAvailability {
        BranchAvailability {
            library_id: id.into(),
            available,
            total,
        }
    }

    fn h(lib: &str, name: &str, status: ItemStatus, call: &str, due: Option<&str>) -> Holding {
        Holding {
            barcode: format!("{lib}-{call}"),
            library_id: lib.into(),
            library_name: LocalizedText::new(name, ""),
            call_number: call.into(),
            shelf_location: LocalizedText::default(),
            status,
            due_date: due.map(str::to_owned),
        }
    }

    #[test]
    fn summary_of_a_typical_record() {
        let s = AvailabilitySummary::from_branches(&[
            b("county", 2, 3),
            b("br-a", 0, 1),
            b("br-b", 0, 1),
        ]);
        assert_eq!(
            s,
            AvailabilitySummary {
                available: 2,
                total: 5,
                libraries: 3,
                libraries_on_shelf: 1
            }
        );
        assert_eq!(s.status(), AvailabilityStatus::OnShelf);
    }

    #[test]
    fn all_on_loan_and_none() {
        let s = AvailabilitySummary::from_branches(&[b("county", 0, 2)]);
        assert_eq!(s.status(), AvailabilityStatus::AllOnLoan);
        assert_eq!(s.libraries, 1);
        assert_eq!(s.libraries_on_shelf, 0);
        let s = AvailabilitySummary::from_branches(&[]);
        assert_eq!(s, AvailabilitySummary::default());
        assert_eq!(s.status(), AvailabilityStatus::NoCopies);
        assert_eq!(
            AvailabilitySummary::from_branches(&[b("x", 0, 0)]).status(),
            AvailabilityStatus::NoCopies
        );
    }

    #[test]
    fn inconsistent_numbers_do_not_overflow_or_lie() {
        let s = AvailabilitySummary::from_branches(&[
            b("a", 5, 2),
            b("a", 1, 1),
            b("c", u32::MAX, u32::MAX),
        ]);
        assert_eq!(s.libraries, 2, "a library listed twice counts once");
        assert_eq!(s.libraries_on_shelf, 2);
        assert!(s.available <= s.total);
        assert_eq!(s.total, u32::MAX);
    }

    #[test]
    fn on_shelf_ids_keep_order_and_limit() {
        let list = [
            b("a", 0, 1),
            b("b", 1, 1),
            b("c", 3, 3),
            b("b", 1, 1),
            b("d", 1, 1),
            b("e", 1, 2),
        ];
        assert_eq!(on_shelf_library_ids(&list, 3), vec!["b", "c", "d"]);
        assert_eq!(on_shelf_library_ids(&list, 0), Vec::<&str>::new());
    }

    #[test]
    fn holdings_become_branch_counts() {
        let holdings = [
            h(
                "a",
                "甲馆",
                ItemStatus::OnLoan,
                "I247/1",
                Some("2025-01-01"),
            ),
            h("b", "乙馆", ItemStatus::OnShelf, "I247/1", None),
            h("a", "甲馆", ItemStatus::OnShelf, "I247/1", None),
            h("b", "乙馆", ItemStatus::OnShelf, "I247/1", None),
        ];
        let branches = branches_from_holdings(&holdings);
        assert_eq!(branches, vec![b("b", 2, 2), b("a", 1, 2)]);
        let s = AvailabilitySummary::from_branches(&branches);
        assert_eq!(
            s,
            AvailabilitySummary {
                available: 3,
                total: 4,
                libraries: 2,
                libraries_on_shelf: 2
            }
        );
    }

    #[test]
    fn holdings_on_shelf_first() {
        let mut holdings = vec![
            h(
                "a",
                "County",
                ItemStatus::OnLoan,
                "I247/2",
                Some("2025-03-01"),
            ),
            h("b", "Xinqiao", ItemStatus::OnShelf, "I247/1", None),
            h("c", "Apple", ItemStatus::Unknown, "I247/1", None),
            h("a", "County", ItemStatus::OnShelf, "I247/1", None),
            h(
                "a",
                "County",
                ItemStatus::OnLoan,
                "I247/2",
                Some("2025-02-01"),
            ),
            h("d", "Dock", ItemStatus::InTransit, "I247/1", None),
        ];
        sort_holdings(&mut holdings, true);
        let order: Vec<(&str, ItemStatus, Option<&str>)> = holdings
            .iter()
            .map(|h| (h.library_id.as_str(), h.status, h.due_date.as_deref()))
            .collect();
        assert_eq!(
            order,
            vec![
                ("a", ItemStatus::OnShelf, None),
                ("b", ItemStatus::OnShelf, None),
                ("d", ItemStatus::InTransit, None),
                ("a", ItemStatus::OnLoan, Some("2025-02-01")),
                ("a", ItemStatus::OnLoan, Some("2025-03-01")),
                ("c", ItemStatus::Unknown, None),
            ]
        );
    }
}
