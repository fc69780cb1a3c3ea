//! The final report on a subsidy (compte rendu financier), modelled on CERFA 15059: the
//! actual amount of each budget line against its forecast, a justification wherever the
//! gap passes 15 %, what was done and achieved, and the indicators' achieved values
//! against their targets. One report per financial year of the award; due 6 months after
//! the year's end ([`super::award::report_due`]); its acceptance releases the balance.
//!
//! Also: what may be paid of an award at a given moment ([`releasable`]).

use super::award::{Schedule, Trigger, needs_justification};
use super::dossier::{Budget, EXPENSE_ACCOUNTS, REVENUE_ACCOUNTS};
use crate::money::Euros;
use crate::organisation::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most indicators an award may carry per year.
pub const MAX_INDICATORS: usize = 6;

/// Longest text accepted for the qualitative report.
pub const RESULTS_MAX: usize = 8000;

/// The state of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportState {
    /// Expected from the beneficiary.
    Due,
    /// Submitted, awaiting the instructor.
    Submitted,
    /// Sent back for completion.
    Incomplete,
    /// Accepted: the balance tied to it may be paid.
    Accepted,
}

impl ReportState {
    /// Every state.
    pub const ALL: [ReportState; 4] = [
        ReportState::Due,
        ReportState::Submitted,
        ReportState::Incomplete,
        ReportState::Accepted,
    ];

    /// Stored code.
    pub const fn code(self) -> &'static str {
        match self {
            ReportState::Due => "a_rendre",
            ReportState::Submitted => "depose",
            ReportState::Incomplete => "a_completer",
            ReportState::Accepted => "accepte",
        }
    }

    /// French label.
    pub const fn label(self) -> &'static str {
        match self {
            ReportState::Due => "À rendre",
            ReportState::Submitted => "Déposé, en examen",
            ReportState::Incomplete => "À compléter",
            ReportState::Accepted => "Accepté",
        }
    }

    /// From a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the beneficiary may (re)submit it.
    pub fn open(self) -> bool {
        matches!(self, ReportState::Due | ReportState::Incomplete)
    }
}

/// The form fields of one budget line: (account, label, forecast, actual, justification).
pub const LINE_FIELDS: [(u8, &str, &str, &str); 18] = [
    (60, "f60", "r60", "j60"),
    (61, "f61", "r61", "j61"),
    (62, "f62", "r62", "j62"),
    (63, "f63", "r63", "j63"),
    (64, "f64", "r64", "j64"),
    (65, "f65", "r65", "j65"),
    (66, "f66", "r66", "j66"),
    (67, "f67", "r67", "j67"),
    (68, "f68", "r68", "j68"),
    (86, "f86", "r86", "j86"),
    (70, "f70", "r70", "j70"),
    (73, "f73", "r73", "j73"),
    (74, "f74", "r74", "j74"),
    (75, "f75", "r75", "j75"),
    (76, "f76", "r76", "j76"),
    (77, "f77", "r77", "j77"),
    (78, "f78", "r78", "j78"),
    (87, "f87", "r87", "j87"),
];

/// The form fields of the indicators' achieved values.
pub const INDICATOR_FIELDS: [&str; MAX_INDICATORS] =
    ["ind_0", "ind_1", "ind_2", "ind_3", "ind_4", "ind_5"];

/// The label of a budget account group.
pub fn account_label(account: u8) -> &'static str {
    EXPENSE_ACCOUNTS
        .iter()
        .chain(REVENUE_ACCOUNTS.iter())
        .find(|(a, _)| *a == account)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// An indicator of an award for a year: what is counted and the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// What is counted (« jeunes accompagnés »).
    pub label: String,
    /// Target for the year.
    pub target: i64,
}

/// What the beneficiary typed, as strings (so an error re-shows what was typed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportForm {
    /// Forecast by account (only read when the award has no forecast of its own).
    pub forecast: BTreeMap<u8, String>,
    /// Actual by account.
    pub actual: BTreeMap<u8, String>,
    /// Justification by account.
    pub justification: BTreeMap<u8, String>,
    /// What was done and achieved.
    pub results: String,
    /// Achieved value of each indicator, in order.
    pub achieved: Vec<String>,
}

impl ReportForm {
    /// Reads the posted fields (`f60`, `r60`, `j60`…, `results`, `ind_0`…).
    pub fn from_pairs(pairs: &[(String, String)]) -> ReportForm {
        let mut f = ReportForm {
            achieved: vec![String::new(); MAX_INDICATORS],
            ..ReportForm::default()
        };
        for (k, v) in pairs {
            if k == "results" {
                f.results = v.clone();
                continue;
            }
            if let Some(slot) = INDICATOR_FIELDS
                .iter()
                .position(|x| x == k)
                .and_then(|i| f.achieved.get_mut(i))
            {
                *slot = v.clone();
                continue;
            }
            for (account, fo, re, ju) in LINE_FIELDS {
                let slot = if k == fo {
                    &mut f.forecast
                } else if k == re {
                    &mut f.actual
                } else if k == ju {
                    &mut f.justification
                } else {
                    continue;
                };
                slot.insert(account, v.clone());
            }
        }
        f
    }

    /// The form of a report already submitted, to show it again.
    pub fn of(content: &ReportContent) -> ReportForm {
        let mut f = ReportForm {
            results: content.results.clone(),
            achieved: content
                .indicators
                .iter()
                .map(|i| i.achieved.to_string())
                .collect(),
            ..ReportForm::default()
        };
        for l in &content.lines {
            f.forecast.insert(l.account, amount_text(l.forecast));
            f.actual.insert(l.account, amount_text(l.actual));
            f.justification.insert(l.account, l.justification.clone());
        }
        f
    }
}

/// An amount as a person would type it again (`1250,5` → `1250,50`).
fn amount_text(e: Euros) -> String {
    let c = e.cents();
    format!("{},{:02}", c / 100, (c % 100).abs())
}

/// One line of a checked report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    /// Account group (60–68, 86, 70–78, 87).
    pub account: u8,
    /// Forecast.
    pub forecast: Euros,
    /// Actual.
    pub actual: Euros,
    /// Why it differs, when it had to be said.
    pub justification: String,
}

impl ReportLine {
    /// Whether the gap called for a justification.
    pub fn gap_needs_justification(&self) -> bool {
        needs_justification(self.forecast, self.actual)
    }
}

/// An indicator with what was achieved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorResult {
    /// What is counted.
    pub label: String,
    /// Target.
    pub target: i64,
    /// Achieved.
    pub achieved: i64,
}

/// A checked report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportContent {
    /// Every budget line with a forecast or an actual amount.
    pub lines: Vec<ReportLine>,
    /// What was done and achieved.
    pub results: String,
    /// The indicators.
    pub indicators: Vec<IndicatorResult>,
}

impl ReportContent {
    /// Total actual expenses.
    pub fn actual_expenses(&self) -> Euros {
        self.total(|l| l.actual, true)
    }

    /// Total forecast expenses.
    pub fn forecast_expenses(&self) -> Euros {
        self.total(|l| l.forecast, true)
    }

    /// Total actual revenues.
    pub fn actual_revenues(&self) -> Euros {
        self.total(|l| l.actual, false)
    }

    fn total(&self, f: impl Fn(&ReportLine) -> Euros, expense: bool) -> Euros {
        Euros::from_cents(
            self.lines
                .iter()
                .filter(|l| is_expense(l.account) == expense)
                .map(|l| f(l).cents())
                .sum(),
        )
    }
}

fn is_expense(account: u8) -> bool {
    (60..=69).contains(&account) || account == 86
}

fn amount_or_zero(typed: Option<&String>, field: &'static str, errors: &mut FieldErrors) -> Euros {
    match typed.map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Euros::default(),
        Some(s) => match Euros::parse(s) {
            Ok(e) if e.cents() >= 0 => e,
            Ok(_) => {
                errors.insert(field, "Le montant ne peut être négatif.".into());
                Euros::default()
            }
            Err(e) => {
                errors.insert(field, e.to_string());
                Euros::default()
            }
        },
    }
}

/// Checks a report. `forecast` is the award's own forecast (the dossier's budget) when it
/// has one; otherwise the forecast typed in the form is read. Every error names its field.
pub fn check(
    form: &ReportForm,
    forecast: Option<&Budget>,
    indicators: &[Indicator],
) -> Result<ReportContent, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut lines = Vec::new();
    for (account, f_field, r_field, j_field) in LINE_FIELDS {
        let planned = match forecast {
            Some(b) => b.line(account),
            None => amount_or_zero(form.forecast.get(&account), f_field, &mut errors),
        };
        let actual = amount_or_zero(form.actual.get(&account), r_field, &mut errors);
        let justification: String = form
            .justification
            .get(&account)
            .map(|s| s.trim().chars().take(2000).collect())
            .unwrap_or_default();
        let line = ReportLine {
            account,
            forecast: planned,
            actual,
            justification,
        };
        if line.gap_needs_justification()
            && line.justification.is_empty()
            && !errors.contains_key(r_field)
        {
            errors.insert(
                j_field,
                format!(
                    "L'écart entre le prévu ({planned}) et le réalisé ({actual}) dépasse 15 % : expliquez-le."
                ),
            );
        }
        if planned.cents() != 0 || actual.cents() != 0 {
            lines.push(line);
        }
    }
    let content_expenses: i64 = lines
        .iter()
        .filter(|l| is_expense(l.account))
        .map(|l| l.actual.cents())
        .sum();
    if content_expenses == 0 && !errors.contains_key("r60") {
        errors.insert(
            "r60",
            "Indiquez les charges réalisées : le compte rendu doit en comporter au moins une."
                .into(),
        );
    }
    let results = form.results.trim().to_owned();
    if results.is_empty() {
        errors.insert(
            "results",
            "Décrivez les actions réalisées et les résultats obtenus.".into(),
        );
    } else if results.chars().count() > RESULTS_MAX {
        errors.insert(
            "results",
            format!("Le bilan qualitatif tient en {RESULTS_MAX} caractères au plus."),
        );
    }
    let mut results_of_indicators = Vec::new();
    for (k, (ind, field)) in indicators.iter().zip(INDICATOR_FIELDS).enumerate() {
        let typed = form.achieved.get(k).map(|s| s.trim()).unwrap_or("");
        let cleaned: String = typed
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        match cleaned.parse::<i64>() {
            Ok(n) if n >= 0 => results_of_indicators.push(IndicatorResult {
                label: ind.label.clone(),
                target: ind.target,
                achieved: n,
            }),
            _ => {
                errors.insert(
                    field,
                    format!(
                        "Indiquez la valeur atteinte pour « {} » : un nombre entier positif ou nul.",
                        ind.label
                    ),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(ReportContent {
            lines,
            results,
            indicators: results_of_indicators,
        })
    } else {
        Err(errors)
    }
}

/// One year of an award, as the payment rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tranche {
    /// The year's amount.
    pub amount: Euros,
    /// Whether the year's report is accepted.
    pub report_accepted: bool,
}

/// What may have been paid in total, at most, on an award: for each year, the
/// installments released by the signature (or the decision, when no convention is
/// required) once `signed`, and those released by the final report once that year's
/// report is accepted.
pub fn releasable(schedule: &Schedule, tranches: &[Tranche], signed: bool) -> Euros {
    let mut cents = 0;
    for t in tranches {
        for (i, amount) in schedule
            .installments()
            .iter()
            .zip(schedule.amounts(t.amount))
        {
            let released = match i.trigger {
                Trigger::Signature => signed,
                Trigger::FinalReport => t.report_accepted,
            };
            if released {
                cents += amount.cents();
            }
        }
    }
    Euros::from_cents(cents)
}

/// Checks a payment against what the schedule releases: `Err` with the French reason.
pub fn check_release(
    amount: Euros,
    releasable: Euros,
    paid: Euros,
    signed: bool,
) -> Result<(), String> {
    let open = releasable.cents() - paid.cents();
    if amount.cents() <= open {
        return Ok(());
    }
    if !signed && releasable.cents() == 0 {
        return Err("La convention doit être signée avant le premier versement.".into());
    }
    Err(format!(
        "À ce jour, {} peuvent être versés : le solde suit l'acceptation du compte rendu financier.",
        Euros::from_cents(open.max(0))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(e: i64) -> Euros {
        Euros::from_cents(e * 100)
    }

    fn form(actual: &[(u8, &str)]) -> ReportForm {
        ReportForm {
            actual: actual.iter().map(|(a, v)| (*a, (*v).to_owned())).collect(),
            results: "Quarante ateliers tenus.".into(),
            ..ReportForm::default()
        }
    }

    fn budget(lines: &[(u8, i64)]) -> Budget {
        Budget {
            lines: lines.iter().map(|(a, v)| (*a, eur(*v))).collect(),
        }
    }

    #[test]
    fn a_gap_beyond_fifteen_percent_asks_for_a_justification_at_its_line() {
        let b = budget(&[(60, 1000), (64, 9000), (74, 10000)]);
        let errs = check(
            &form(&[(60, "1150"), (64, "7000"), (74, "10000")]),
            Some(&b),
            &[],
        )
        .expect_err("64 is 22 % under");
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs["j64"].contains("dépasse 15 %"), "{errs:?}");
        let mut f = form(&[(60, "1150"), (64, "7000"), (74, "10000")]);
        f.justification
            .insert(64, "Un poste vacant six mois.".into());
        let c = check(&f, Some(&b), &[]).expect("justified");
        assert_eq!(c.actual_expenses(), eur(8150));
        assert_eq!(c.forecast_expenses(), eur(10000));
    }

    #[test]
    fn a_report_needs_expenses_results_and_every_indicator() {
        let ind = [Indicator {
            label: "jeunes accompagnés".into(),
            target: 120,
        }];
        let f = ReportForm {
            results: " ".into(),
            ..ReportForm::default()
        };
        let errs = check(&f, None, &ind).expect_err("empty");
        assert!(errs.contains_key("r60"));
        assert!(errs.contains_key("results"));
        assert!(errs["ind_0"].contains("jeunes accompagnés"));
        let mut f = form(&[(64, "5 000"), (74, "5000")]);
        f.forecast.insert(64, "5000".into());
        f.forecast.insert(74, "5000".into());
        f.achieved = vec!["131".into()];
        let c = check(&f, None, &ind).expect("complete");
        assert_eq!(c.indicators[0].achieved, 131);
        assert_eq!(c.lines.len(), 2);
    }

    #[test]
    fn an_unreadable_amount_is_named_at_its_field() {
        let errs = check(&form(&[(64, "douze")]), None, &[]).expect_err("bad");
        assert!(errs.contains_key("r64"));
        assert!(!errs.contains_key("j64"));
    }

    #[test]
    fn the_balance_waits_for_the_report_and_the_advance_for_the_signature() {
        let s = Schedule::default();
        let one = |accepted| {
            [Tranche {
                amount: eur(10_000),
                report_accepted: accepted,
            }]
        };
        assert_eq!(releasable(&s, &one(false), false), eur(0));
        assert_eq!(releasable(&s, &one(false), true), eur(8_000));
        assert_eq!(releasable(&s, &one(true), true), eur(10_000));
        assert!(
            check_release(eur(1), eur(0), eur(0), false)
                .expect_err("unsigned")
                .contains("signée")
        );
        assert!(
            check_release(eur(2_001), eur(8_000), eur(6_000), true)
                .expect_err("over the advance")
                .contains(&eur(2_000).to_string())
        );
        assert!(check_release(eur(2_000), eur(8_000), eur(6_000), true).is_ok());
    }

    #[test]
    fn a_submitted_report_reads_back_as_the_same_form() {
        let pairs: Vec<(String, String)> = [
            ("f64", "5000"),
            ("r64", "5 200,50"),
            ("j64", ""),
            ("f74", "5000"),
            ("r74", "5200,5"),
            ("results", "Fait."),
            ("ind_0", "12"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let f = ReportForm::from_pairs(&pairs);
        let ind = [Indicator {
            label: "Ateliers".into(),
            target: 10,
        }];
        let c = check(&f, None, &ind).expect("valid");
        let again = check(&ReportForm::of(&c), None, &ind).expect("valid again");
        assert_eq!(c, again);
    }

    proptest! {
        #[test]
        fn never_more_than_the_award_and_all_of_it_once_everything_is_done(
            years in proptest::collection::vec((1i64..5_000_000, any::<bool>()), 1..4),
            signed in any::<bool>(),
        ) {
            let s = Schedule::default();
            let tranches: Vec<Tranche> = years
                .iter()
                .map(|(c, ok)| Tranche { amount: Euros::from_cents(*c), report_accepted: *ok })
                .collect();
            let total: i64 = years.iter().map(|(c, _)| c).sum();
            let r = releasable(&s, &tranches, signed);
            prop_assert!(r.cents() <= total);
            let done: Vec<Tranche> = tranches
                .iter()
                .map(|t| Tranche { report_accepted: true, ..*t })
                .collect();
            prop_assert_eq!(releasable(&s, &done, true).cents(), total);
        }
    }
}
