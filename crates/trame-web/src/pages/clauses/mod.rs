//! Insertion clauses: the facilitator's pages (contracts, targets, hours to validate,
//! people), the partner's view of the people it referred, and the company's pages (its
//! own contracts, its declarations).

pub mod company;
pub mod contracts;
pub mod decp;
pub mod import;
pub mod people;
pub mod report;
pub mod settings;

use trame_domain::clauses::hours::{YearMonth, hours_label};
use trame_domain::clauses::progress::Progress;
use trame_domain::clauses::target::{Inputs, Percent};
use trame_domain::clauses::vocab::{ClauseType, HoursState, Way};
use trame_domain::format::{french_date, parse_iso_date};
use trame_domain::money::Euros;
use trame_store::clauses::{ContractSummary, LineRow};

/// A select's options from a vocabulary: (code, label).
pub fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|t| (code(*t).to_owned(), label(*t).to_owned()))
        .collect()
}

/// A contract as the lists and pages show it.
pub struct ContractView {
    /// The contract and its sums.
    pub s: ContractSummary,
    /// Its progress today.
    pub p: Progress,
    /// Amount, written out.
    pub amount: String,
    /// Target, written out.
    pub target: String,
    /// Validated hours, written out.
    pub done: String,
    /// Hours waiting, written out.
    pub pending: String,
    /// Hours still to do, written out.
    pub remaining: String,
    /// First and last days, written out.
    pub starts: String,
    /// Last day.
    pub ends: String,
    /// The clause type's label.
    pub clause: &'static str,
    /// The target's formula, when computed.
    pub formula: Option<String>,
    /// Done, capped at 100, for the bar.
    pub bar: i64,
}

fn written(iso: &str) -> String {
    parse_iso_date(iso).map_or_else(|| iso.to_owned(), french_date)
}

impl ContractView {
    /// The view of a contract on `today`.
    pub fn of(s: ContractSummary, today: time::Date) -> ContractView {
        let p = s.progress(today);
        let r = &s.row;
        let formula = match (r.labour_share_bp, r.rate_bp, r.hourly_cost_cents) {
            (Some(l), Some(rate), Some(c)) => Some(
                Inputs {
                    amount: Euros::from_cents(r.amount_cents),
                    labour_share: Percent::from_bp(u32::try_from(l).unwrap_or(0)),
                    rate: Percent::from_bp(u32::try_from(rate).unwrap_or(0)),
                    hourly_cost: Euros::from_cents(c),
                }
                .formula(),
            ),
            _ => None,
        };
        ContractView {
            amount: Euros::from_cents(r.amount_cents).to_string(),
            target: hours_label(r.target_hours * 10),
            done: hours_label(s.done_tenths),
            pending: hours_label(s.pending_tenths),
            remaining: hours_label(p.remaining_tenths()),
            starts: written(&r.notified_on),
            ends: written(&r.ends_on),
            clause: ClauseType::from_code(&r.clause_type).map_or("", |c| c.label()),
            formula,
            bar: p.done_percent.min(100),
            p,
            s,
        }
    }
}

/// A line of hours as the pages show it.
pub struct LineView {
    /// The line.
    pub h: LineRow,
    /// The person's name, for those who may read it.
    pub person: Option<String>,
    /// Month, written out.
    pub month: String,
    /// Way, written out.
    pub way: &'static str,
    /// Hours, written out.
    pub hours: String,
    /// State.
    pub state: HoursState,
}

impl LineView {
    /// Whether the facilitator still has to decide it.
    pub fn waiting(&self) -> bool {
        self.state == HoursState::Declared
    }
}

/// `?lignes=toutes` on a contract's page: every line, not only the waiting and recent ones.
#[derive(Debug, Default, serde::Deserialize)]
pub struct LinesQuery {
    /// `toutes` for all the lines.
    #[serde(default)]
    pub lignes: Option<String>,
}

impl LinesQuery {
    /// Whether every line is asked for.
    pub fn all(&self) -> bool {
        self.lignes.as_deref() == Some("toutes")
    }
}

/// The views of a contract's lines; `names` gives the person's name when the reader may
/// see it.
pub fn lines(rows: Vec<LineRow>, names: &dyn Fn(i64) -> Option<String>) -> Vec<LineView> {
    rows.into_iter()
        .map(|h| LineView {
            person: names(h.row.person_id),
            month: YearMonth::parse(&h.row.month)
                .map_or_else(|| h.row.month.clone(), |m| m.label()),
            way: Way::from_code(&h.row.way).map_or("", |w| w.label()),
            hours: hours_label(i64::from(h.row.tenths)),
            state: HoursState::from_code(&h.row.state).unwrap_or(HoursState::Declared),
            h,
        })
        .collect()
}
