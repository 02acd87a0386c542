//! `/me/loans`: what the patron has borrowed, when each is due (overdue
//! marked in words and by an icon, not colour alone), and renewal of one
//! loan or all of them with a result per item.
//!
//! A renewal sends the due date the patron saw, so a second tap (or a
//! retried request) cannot renew twice: the server answers
//! `already_renewed` and nothing changes.

use leptos::prelude::*;
use yuelan_api::account::{Account, Loan, RenewItem};

use crate::account::errors::error_text;
use crate::account::{account_view, back_to_me, load_account, this_year};
use crate::api::use_api;
use crate::components::icons::{Icon, IconName};
use crate::components::title::page_title;
use crate::i18n::account::{AccountText as T, code_text, date, due_in, renewals};
use crate::i18n::{I18n, use_i18n};
use crate::routes::AppRoute;
use crate::session::{SignInReason, use_session};

/// What happened to a loan's last renewal.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Renewed(String),
    Refused(String),
}

/// One loan on the page, with its own state.
#[derive(Clone, Copy)]
struct LoanRow {
    loan: RwSignal<Loan>,
    outcome: RwSignal<Option<Outcome>>,
    busy: RwSignal<bool>,
}

/// The page at `/me/loans`.
#[component]
pub fn LoansPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(T::LoansTitle).to_owned());
    let retry = RwSignal::new(0u32);
    let account = load_account(retry);
    view! {
        <div class="page loans-page">
            {back_to_me(i18n.locale())}
            <h1>{i18n.tr(T::LoansTitle)}</h1>
            {move || account_view(i18n, account.get(), retry, move |a| loans_view(i18n, a))}
        </div>
    }
}

fn loans_view(i18n: I18n, account: Account) -> AnyView {
    if account.loans.is_empty() {
        return view! { <p class="empty-note">{i18n.tr(T::NoLoans)}</p> }.into_any();
    }
    let rows: Vec<LoanRow> = account
        .loans
        .into_iter()
        .map(|loan| LoanRow {
            loan: RwSignal::new(loan),
            outcome: RwSignal::new(None),
            busy: RwSignal::new(false),
        })
        .collect();
    let summary = RwSignal::new(String::new());
    let all_busy = RwSignal::new(false);
    let api = use_api();
    let session = use_session();
    let renew_all = {
        let rows = rows.clone();
        move |_| {
            if all_busy.get_untracked() {
                return;
            }
            let targets: Vec<LoanRow> = rows
                .iter()
                .copied()
                .filter(|r| r.loan.with_untracked(|l| l.renew_block.is_none()))
                .collect();
            if targets.is_empty() {
                summary.set(i18n.tr(T::RenewAllNone).to_owned());
                return;
            }
            let items: Vec<RenewItem> = targets
                .iter()
                .map(|r| {
                    r.loan.with_untracked(|l| RenewItem {
                        id: l.id,
                        due_date: l.due_date.clone(),
                    })
                })
                .collect();
            all_busy.set(true);
            summary.set(i18n.tr(T::Renewing).to_owned());
            for r in &targets {
                r.outcome.set(None);
            }
            leptos::task::spawn_local(async move {
                let out = session
                    .with_sign_in(SignInReason::Renew, || api.renew_many(items.clone()))
                    .await;
                all_busy.try_set(false);
                match out {
                    Ok(results) => {
                        let mut renewed = 0usize;
                        for result in results.results {
                            let Some(row) = targets
                                .iter()
                                .find(|r| r.loan.with_untracked(|l| l.id == result.loan_id))
                            else {
                                continue;
                            };
                            let outcome = match (result.refused, result.loan) {
                                (None, Some(loan)) => {
                                    renewed += 1;
                                    let due = date(i18n.locale(), &loan.due_date, this_year());
                                    row.loan.set(loan);
                                    Outcome::Renewed(due)
                                }
                                (code, loan) => {
                                    if let Some(loan) = loan {
                                        row.loan.set(loan);
                                    }
                                    let text = code.and_then(code_text).unwrap_or(T::NotRenewed);
                                    Outcome::Refused(i18n.tr(text).to_owned())
                                }
                            };
                            row.outcome.set(Some(outcome));
                        }
                        summary.try_set(renew_summary(i18n, renewed, targets.len()));
                    }
                    Err(e) => {
                        summary.try_set(error_text(i18n, &e));
                    }
                }
            });
        }
    };
    let items = rows
        .into_iter()
        .map(|row| loan_item(i18n, row))
        .collect_view();
    view! {
        <div class="loans-toolbar">
            <button
                type="button"
                class="button renew-all"
                disabled=move || all_busy.get()
                on:click=renew_all
            >
                {i18n.tr(T::RenewAll)}
            </button>
            <p class="renew-summary" role="status">{move || summary.get()}</p>
        </div>
        <ul class="loans">{items}</ul>
    }
    .into_any()
}

/// "已续借 2 本，共 3 本" / "2 of 3 renewed".
fn renew_summary(i18n: I18n, renewed: usize, asked: usize) -> String {
    let (r, a) = (renewed.to_string(), asked.to_string());
    match i18n.locale() {
        crate::i18n::Locale::Zh => ["已续借 ", &r, " 本，共 ", &a, " 本。"].concat(),
        crate::i18n::Locale::English => [&r, " of ", &a, " renewed."].concat(),
    }
}

fn loan_item(i18n: I18n, row: LoanRow) -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let locale = i18n.locale();
    let year = this_year();
    let renew = move |_| {
        if row.busy.get_untracked() {
            return;
        }
        let (id, due) = row.loan.with_untracked(|l| (l.id, l.due_date.clone()));
        row.busy.set(true);
        row.outcome.set(None);
        leptos::task::spawn_local(async move {
            let out = session
                .with_sign_in(SignInReason::Renew, || api.renew(id, &due))
                .await;
            row.busy.try_set(false);
            let outcome = match out {
                Ok(loan) => {
                    let when = date(locale, &loan.due_date, year);
                    row.loan.try_set(loan);
                    Outcome::Renewed(when)
                }
                Err(e) => Outcome::Refused(error_text(i18n, &e)),
            };
            row.outcome.try_set(Some(outcome));
        });
    };
    let (id, record_id, title, authors) = row
        .loan
        .with_untracked(|l| (l.id, l.record_id, l.title.clone(), l.authors.join(" / ")));
    let title_id = ["loan-title-", &id.to_string()].concat();
    let overdue = move || row.loan.with(|l| l.days_left < 0);
    let due =
        move || {
            row.loan.with(|l| {
            let icon = if l.days_left < 0 { IconName::Alert } else { IconName::Clock };
            view! {
                <Icon name=icon />
                <span class="due-state">{due_in(locale, l.days_left)}</span>
                " · "
                <span>{[i18n.tr(T::DueOn), " ", &date(locale, &l.due_date, year)].concat()}</span>
            }
        })
        };
    let counts = move || {
        row.loan
            .with(|l| renewals(locale, l.renewals, l.renewals_left))
    };
    let block = move || {
        row.loan
            .with(|l| l.renew_block.and_then(code_text))
            .map(|t| view! { <p class="loan-block">{i18n.tr(t)}</p> })
    };
    let outcome = move || {
        row.outcome.get().map(|o| match o {
            Outcome::Renewed(when) => view! {
                <p class="loan-outcome ok">
                    <Icon name=IconName::Check />
                    {[i18n.tr(T::RenewedUntil), &when].concat()}
                </p>
            }
            .into_any(),
            Outcome::Refused(why) => view! {
                <p class="loan-outcome refused">
                    <Icon name=IconName::Alert />
                    {[i18n.tr(T::NotRenewed), &why].concat()}
                </p>
            }
            .into_any(),
        })
    };
    view! {
        <li class="loan" class:overdue=overdue>
            <h2 class="loan-title" id=title_id.clone()>
                <a href=AppRoute::Record(record_id).to_href()>{title}</a>
            </h2>
            {(!authors.is_empty()).then(|| view! { <p class="loan-authors">{authors}</p> })}
            <p class="loan-due">{due}</p>
            <p class="loan-renewals muted">{counts}</p>
            {block}
            <div class="loan-actions">
                <button
                    type="button"
                    class="button secondary renew"
                    aria-describedby=title_id
                    disabled=move || row.busy.get() || row.loan.with(|l| l.renew_block.is_some())
                    on:click=renew
                >
                    {move || i18n.tr(if row.busy.get() { T::Renewing } else { T::Renew })}
                </button>
                <div class="loan-result" aria-live="polite">{outcome}</div>
            </div>
        </li>
    }
}
