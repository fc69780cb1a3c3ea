//! After the decision: an award's payment schedule, its payments and what remains to pay,
//! the final report's due date and the gap that calls for a justification, and the
//! de minimis ledger.
//!
//! Sources (`../shared/DOMAIN.md`): a grant over 23,000 € requires a convention (décret
//! 2001-495); the financial report (CERFA 15059) is due within 6 months after the end of
//! the financial year; de minimis aid is capped at 300,000 € per undertaking over a rolling
//! 3 years (Reg. EU 2023/2831), 750,000 € for a service of general economic interest
//! (SIEG, Reg. EU 2023/2832).

use crate::money::Euros;
use time::{Date, Duration, Month};

/// Above this amount a convention is required (décret 2001-495); below, a scheme setting.
pub const CONVENTION_THRESHOLD: Euros = Euros::from_cents(2_300_000);

/// De minimis ceiling per undertaking over a rolling 3 years.
pub const DE_MINIMIS: Euros = Euros::from_cents(30_000_000);

/// De minimis ceiling for a service of general economic interest (SIEG).
pub const DE_MINIMIS_SIEG: Euros = Euros::from_cents(75_000_000);

/// A gap between forecast and actual beyond this share calls for a justification.
pub const GAP_PERCENT: i64 = 15;

/// The most installments a schedule may have.
pub const MAX_INSTALLMENTS: usize = 6;

/// What releases an installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The convention's signature (or the decision, without a convention).
    Signature,
    /// The acceptance of the final report.
    FinalReport,
}

impl Trigger {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Trigger::Signature => "signature",
            Trigger::FinalReport => "bilan",
        }
    }

    /// From a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "signature" => Some(Trigger::Signature),
            "bilan" => Some(Trigger::FinalReport),
            _ => None,
        }
    }

    /// What releases it, in words: « à la signature ».
    pub fn phrase(self) -> &'static str {
        match self {
            Trigger::Signature => "à la signature",
            Trigger::FinalReport => "à l'acceptation du compte rendu final",
        }
    }
}

/// One installment: a share of the award and what releases it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Installment {
    /// Percent of the award, 1–100.
    pub percent: u8,
    /// What releases it.
    pub trigger: Trigger,
}

/// How an award is paid: installments whose shares add up to 100 %.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule(Vec<Installment>);

impl Default for Schedule {
    /// 80 % at signature, 20 % on the final report.
    fn default() -> Self {
        Schedule(vec![
            Installment {
                percent: 80,
                trigger: Trigger::Signature,
            },
            Installment {
                percent: 20,
                trigger: Trigger::FinalReport,
            },
        ])
    }
}

impl Schedule {
    /// A schedule, checked: 1 to 6 installments, each 1–100 %, adding up to 100 %.
    pub fn new(installments: Vec<Installment>) -> Result<Self, String> {
        if installments.is_empty() || installments.len() > MAX_INSTALLMENTS {
            return Err(format!(
                "Un échéancier compte de 1 à {MAX_INSTALLMENTS} versements."
            ));
        }
        if installments
            .iter()
            .any(|i| i.percent == 0 || i.percent > 100)
        {
            return Err("Chaque versement représente de 1 % à 100 % du montant.".into());
        }
        let sum: u32 = installments.iter().map(|i| u32::from(i.percent)).sum();
        if sum != 100 {
            return Err(format!(
                "Les versements de l'échéancier totalisent {sum} % au lieu de 100 %."
            ));
        }
        Ok(Schedule(installments))
    }

    /// Reads the stored form, `80:signature,20:bilan`.
    pub fn parse(stored: &str) -> Result<Self, String> {
        let mut out = Vec::new();
        for part in stored.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (p, t) = part
                .split_once(':')
                .ok_or_else(|| format!("Versement illisible : « {part} »."))?;
            let percent: u8 = p
                .trim()
                .trim_end_matches('%')
                .trim()
                .parse()
                .map_err(|_| format!("Pourcentage illisible : « {p} »."))?;
            let trigger = Trigger::from_code(t.trim())
                .ok_or_else(|| format!("Déclencheur inconnu : « {t} »."))?;
            out.push(Installment { percent, trigger });
        }
        Schedule::new(out)
    }

    /// The stored form.
    pub fn stored(&self) -> String {
        self.0
            .iter()
            .map(|i| format!("{}:{}", i.percent, i.trigger.code()))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The installments.
    pub fn installments(&self) -> &[Installment] {
        &self.0
    }

    /// The amount of each installment of `total`, rounded down to the cent; the last one
    /// takes the remainder, so that they add up to `total` exactly.
    pub fn amounts(&self, total: Euros) -> Vec<Euros> {
        let mut left = total.cents();
        let last = self.0.len().saturating_sub(1);
        self.0
            .iter()
            .enumerate()
            .map(|(k, i)| {
                let cents = if k == last {
                    left
                } else {
                    total.cents() * i64::from(i.percent) / 100
                };
                left -= cents;
                Euros::from_cents(cents)
            })
            .collect()
    }

    /// In words, for the convention and the open data (`conditionsVersement`).
    pub fn describe(&self) -> String {
        if let [only] = self.0.as_slice() {
            return format!("Versement unique {}", only.trigger.phrase());
        }
        self.0
            .iter()
            .map(|i| format!("{} % {}", i.percent, i.trigger.phrase()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Checks a payment against what remains of the award; returns what will remain after it.
pub fn check_payment(amount: Euros, awarded: Euros, paid: Euros) -> Result<Euros, String> {
    if amount.cents() <= 0 {
        return Err("Le montant du versement doit être positif.".into());
    }
    let remaining = Euros::from_cents(awarded.cents() - paid.cents());
    if amount.cents() > remaining.cents() {
        return Err(format!(
            "Le versement ({amount}) dépasse le reste à verser ({remaining})."
        ));
    }
    Ok(Euros::from_cents(remaining.cents() - amount.cents()))
}

/// The same day `months` later, or the month's last day when it has fewer days.
pub fn add_months(date: Date, months: u8) -> Date {
    let total = i32::from(u8::from(date.month())) - 1 + i32::from(months);
    let year = date.year() + total / 12;
    let month = u8::try_from(total % 12 + 1)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .unwrap_or(Month::January);
    let mut day = date.day();
    loop {
        if let Ok(d) = Date::from_calendar_date(year, month, day) {
            return d;
        }
        day -= 1;
    }
}

/// When the final report is due: 6 months after the end of the financial year.
pub fn report_due(financial_year_end: Date) -> Date {
    add_months(financial_year_end, 6)
}

/// Whether a line's actual amount is far enough from its forecast (more than 15 %) to call
/// for a justification. A line forecast at zero calls for one as soon as it is spent.
pub fn needs_justification(forecast: Euros, actual: Euros) -> bool {
    let gap = (actual.cents() - forecast.cents()).abs();
    gap * 100 > GAP_PERCENT * forecast.cents().abs()
}

/// An award counted in the de minimis ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    /// Date of the award (the decision).
    pub decided_on: Date,
    /// Amount awarded.
    pub amount: Euros,
    /// What it was for, as shown in the ledger.
    pub label: String,
}

/// The ledger of one undertaking at a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    /// The awards within the 3 years up to the date, oldest first.
    pub counted: Vec<Counted>,
    /// Their total.
    pub total: Euros,
    /// The ceiling that applies.
    pub ceiling: Euros,
    /// First day of the window.
    pub since: Date,
}

impl Ledger {
    /// The ledger at `at` over `awards` (any order, any date): an award counts when it was
    /// made on a day after the same day three years earlier, up to `at` included.
    pub fn at(awards: &[Counted], at: Date, siege: bool) -> Self {
        // The same day three years earlier (28 February for a 29th), excluded.
        let three_years_before = at
            .replace_year(at.year() - 3)
            .or_else(|_| Date::from_calendar_date(at.year() - 3, at.month(), 28))
            .unwrap_or(at);
        let since = three_years_before + Duration::days(1);
        let mut counted: Vec<Counted> = awards
            .iter()
            .filter(|a| a.decided_on >= since && a.decided_on <= at)
            .cloned()
            .collect();
        counted.sort_by_key(|a| a.decided_on);
        let total = Euros::from_cents(counted.iter().map(|a| a.amount.cents()).sum());
        Ledger {
            counted,
            total,
            ceiling: if siege { DE_MINIMIS_SIEG } else { DE_MINIMIS },
            since,
        }
    }

    /// A warning when `new` would take the total over the ceiling.
    pub fn warning_for(&self, new: Euros) -> Option<String> {
        let after = self.total.cents() + new.cents();
        (after > self.ceiling.cents()).then(|| {
            format!(
                "Plafond de minimis dépassé : {} déjà attribués depuis le {} ; avec {} le total atteindrait {}, au-delà de {}.",
                self.total,
                crate::format::french_date(self.since),
                new,
                Euros::from_cents(after),
                self.ceiling
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn eur(e: i64) -> Euros {
        Euros::from_cents(e * 100)
    }

    #[test]
    fn the_default_schedule_is_80_then_20() {
        let s = Schedule::default();
        assert_eq!(s.stored(), "80:signature,20:bilan");
        assert_eq!(s.amounts(eur(12_345)), vec![eur(9_876), eur(2_469)]);
        assert_eq!(
            s.describe(),
            "80 % à la signature, 20 % à l'acceptation du compte rendu final"
        );
        assert_eq!(Schedule::parse(&s.stored()), Ok(s));
    }

    #[test]
    fn a_schedule_must_add_up_to_100() {
        assert!(Schedule::parse("70:signature,20:bilan").is_err_and(|e| e.contains("90 %")));
        assert!(Schedule::parse("").is_err());
        assert!(Schedule::parse("100:demain").is_err());
        assert_eq!(
            Schedule::parse("100:signature").map(|s| s.describe()),
            Ok("Versement unique à la signature".to_owned())
        );
    }

    #[test]
    fn a_payment_above_what_remains_is_refused() {
        assert_eq!(
            check_payment(eur(8_000), eur(10_000), eur(0)),
            Ok(eur(2_000))
        );
        assert_eq!(
            check_payment(eur(2_000), eur(10_000), eur(8_000)),
            Ok(eur(0))
        );
        let e = check_payment(eur(2_001), eur(10_000), eur(8_000));
        assert!(e.is_err_and(|m| m.contains("dépasse le reste à verser")));
        assert!(check_payment(eur(0), eur(10_000), eur(0)).is_err());
    }

    #[test]
    fn the_report_is_due_six_months_after_the_year_end() {
        assert_eq!(report_due(date!(2025 - 12 - 31)), date!(2026 - 06 - 30));
        assert_eq!(report_due(date!(2025 - 08 - 31)), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2024 - 01 - 31), 1), date!(2024 - 02 - 29));
    }

    #[test]
    fn a_gap_over_15_percent_needs_a_justification() {
        assert!(!needs_justification(eur(10_000), eur(11_500)));
        assert!(needs_justification(eur(10_000), eur(11_501)));
        assert!(needs_justification(eur(10_000), eur(8_499)));
        assert!(!needs_justification(eur(0), eur(0)));
        assert!(needs_justification(eur(0), eur(1)));
    }

    #[test]
    fn the_ledger_counts_three_rolling_years() {
        let awards = vec![
            Counted {
                decided_on: date!(2023 - 11 - 26),
                amount: eur(100_000),
                label: "trop ancien".into(),
            },
            Counted {
                decided_on: date!(2023 - 11 - 27),
                amount: eur(150_000),
                label: "premier jour compté".into(),
            },
            Counted {
                decided_on: date!(2026 - 06 - 01),
                amount: eur(100_000),
                label: "récent".into(),
            },
            Counted {
                decided_on: date!(2027 - 01 - 01),
                amount: eur(1),
                label: "futur".into(),
            },
        ];
        let l = Ledger::at(&awards, date!(2026 - 11 - 26), false);
        assert_eq!(l.since, date!(2023 - 11 - 27));
        assert_eq!(l.total, eur(250_000));
        assert_eq!(l.counted.len(), 2);
        assert_eq!(l.warning_for(eur(50_000)), None);
        assert!(
            l.warning_for(eur(50_001))
                .is_some_and(|w| w.contains("300"))
        );
        let siege = Ledger::at(&awards, date!(2026 - 11 - 26), true);
        assert_eq!(siege.warning_for(eur(500_000)), None);
    }

    proptest! {
        #[test]
        fn installments_add_up_to_the_award(
            cents in 0i64..1_000_000_000,
            split in prop::collection::vec(1u8..=40, 1..5),
        ) {
            let mut parts: Vec<Installment> = split
                .iter()
                .map(|p| Installment { percent: *p, trigger: Trigger::Signature })
                .collect();
            let used: u32 = split.iter().map(|p| u32::from(*p)).sum();
            prop_assume!(used < 100);
            parts.push(Installment { percent: u8::try_from(100 - used).unwrap_or(0), trigger: Trigger::FinalReport });
            let s = Schedule::new(parts).map_err(TestCaseError::fail)?;
            let amounts = s.amounts(Euros::from_cents(cents));
            prop_assert_eq!(amounts.iter().map(|a| a.cents()).sum::<i64>(), cents);
            prop_assert!(amounts.iter().all(|a| a.cents() >= 0));
        }

        #[test]
        fn payments_never_exceed_the_award(
            awarded in 1i64..10_000_000,
            tries in prop::collection::vec(1i64..5_000_000, 1..20),
        ) {
            let mut paid = 0i64;
            for t in tries {
                if check_payment(Euros::from_cents(t), Euros::from_cents(awarded), Euros::from_cents(paid)).is_ok() {
                    paid += t;
                }
                prop_assert!(paid <= awarded);
            }
        }
    }
}
