//! The target calculator of an insertion clause: hours = contract amount × labour share
//! × insertion rate ÷ loaded hourly cost (`../shared/DOMAIN.md`, Insertion; example:
//! 1,000,000 € × 50 % × 5 % ÷ 30 € ≈ 833 h), rounded to the nearest hour and shown with
//! its formula. A target set by hand instead needs its reason.

use crate::money::Euros;
use crate::organisation::FieldErrors;

/// A percentage in hundredths of a percent (basis points): 12.5 % is 1,250.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(u32);

impl Percent {
    /// From basis points (hundredths of a percent).
    pub const fn from_bp(bp: u32) -> Self {
        Self(bp)
    }

    /// In basis points.
    pub const fn bp(self) -> u32 {
        self.0
    }

    /// Parses `50`, `12,5`, `12.5 %`: at most two decimals, from 0 to 100.
    pub fn parse(input: &str) -> Option<Percent> {
        let cleaned: String = input.trim().trim_end_matches('%').trim().replace(',', ".");
        let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        if whole.is_empty()
            || whole.len() > 3
            || frac.len() > 2
            || !whole
                .chars()
                .chain(frac.chars())
                .all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let whole: u32 = whole.parse().ok()?;
        let frac: u32 = format!("{frac:0<2}").parse().ok()?;
        let bp = whole * 100 + frac;
        (bp <= 10_000).then_some(Percent(bp))
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        match frac {
            0 => write!(f, "{whole}\u{a0}%"),
            x if x % 10 == 0 => write!(f, "{whole},{}\u{a0}%", x / 10),
            x => write!(f, "{whole},{x:02}\u{a0}%"),
        }
    }
}

/// A trade with its default labour share (a territory setting: these are the defaults a
/// new territory starts from).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trade {
    /// Code.
    pub code: &'static str,
    /// French label.
    pub label: &'static str,
    /// Default share of labour in the contract's amount.
    pub labour_share: Percent,
}

/// The default labour shares. Painting, masonry and steel frames are the typical values
/// of `../shared/DOMAIN.md`; the others are indicative starting points that each
/// territory sets from its own practice.
pub const TRADES: [Trade; 8] = [
    Trade {
        code: "peinture",
        label: "Peinture intérieure",
        labour_share: Percent(7_000),
    },
    Trade {
        code: "maconnerie",
        label: "Maçonnerie, gros œuvre",
        labour_share: Percent(5_000),
    },
    Trade {
        code: "charpente-metallique",
        label: "Charpente métallique",
        labour_share: Percent(2_000),
    },
    Trade {
        code: "nettoyage",
        label: "Nettoyage des locaux",
        labour_share: Percent(8_000),
    },
    Trade {
        code: "espaces-verts",
        label: "Espaces verts",
        labour_share: Percent(6_000),
    },
    Trade {
        code: "restauration",
        label: "Restauration collective",
        labour_share: Percent(4_000),
    },
    Trade {
        code: "second-oeuvre",
        label: "Second œuvre (plâtrerie, menuiserie, sols)",
        labour_share: Percent(5_500),
    },
    Trade {
        code: "reseaux",
        label: "Voirie et réseaux divers",
        labour_share: Percent(3_500),
    },
];

/// The trade with this code.
pub fn trade(code: &str) -> Option<&'static Trade> {
    TRADES.iter().find(|t| t.code == code)
}

/// What the calculator takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs {
    /// The contract's amount (excluding tax).
    pub amount: Euros,
    /// The share of labour in that amount.
    pub labour_share: Percent,
    /// The share of those hours reserved to insertion.
    pub rate: Percent,
    /// The loaded hourly cost of labour.
    pub hourly_cost: Euros,
}

/// The largest contract amount the calculator takes: ten thousand million euros.
const MAX_AMOUNT_CENTS: i64 = 1_000_000_000_000;

impl Inputs {
    /// Checks typed values, each fault in French at its field (`amount`, `labour_share`,
    /// `rate`, `hourly_cost`).
    pub fn parse(
        amount: &str,
        labour_share: &str,
        rate: &str,
        hourly_cost: &str,
    ) -> Result<Inputs, FieldErrors> {
        let mut errors = FieldErrors::new();
        let amount = match Euros::parse(amount) {
            Ok(a) if a.cents() > 0 && a.cents() <= MAX_AMOUNT_CENTS => Some(a),
            Ok(_) => {
                errors.insert(
                    "amount",
                    "Le montant du marché doit être positif (10 milliards d'euros au plus).".into(),
                );
                None
            }
            Err(e) => {
                errors.insert("amount", e.message);
                None
            }
        };
        let percent = |field: &'static str, raw: &str, what: &str, errors: &mut FieldErrors| {
            match Percent::parse(raw) {
                Some(p) if p.bp() > 0 => Some(p),
                _ => {
                    errors.insert(
                        field,
                        format!(
                            "{what} s'écrit en pourcentage, de plus de 0 à 100 (par exemple 12,5)."
                        ),
                    );
                    None
                }
            }
        };
        let labour_share = percent(
            "labour_share",
            labour_share,
            "La part de main-d'œuvre",
            &mut errors,
        );
        let rate = percent("rate", rate, "Le taux d'insertion", &mut errors);
        let hourly_cost = match Euros::parse(hourly_cost) {
            Ok(c) if c.cents() >= 100 && c.cents() <= 100_000 => Some(c),
            Ok(_) => {
                errors.insert(
                    "hourly_cost",
                    "Le coût horaire chargé doit être compris entre 1 € et 1 000 €.".into(),
                );
                None
            }
            Err(e) => {
                errors.insert("hourly_cost", e.message);
                None
            }
        };
        match (amount, labour_share, rate, hourly_cost) {
            (Some(amount), Some(labour_share), Some(rate), Some(hourly_cost))
                if errors.is_empty() =>
            {
                Ok(Inputs {
                    amount,
                    labour_share,
                    rate,
                    hourly_cost,
                })
            }
            _ => Err(errors),
        }
    }

    /// The target in whole hours, rounded to the nearest (a half rounds up).
    pub fn hours(&self) -> i64 {
        let num = i128::from(self.amount.cents())
            * i128::from(self.labour_share.bp())
            * i128::from(self.rate.bp());
        let den = 100_000_000i128 * i128::from(self.hourly_cost.cents().max(1));
        i64::try_from((num + den / 2) / den).unwrap_or(i64::MAX)
    }

    /// The formula with its values, as shown beside the target:
    /// `1 000 000,00 € × 50 % × 5 % ÷ 30,00 € = 833 h`.
    pub fn formula(&self) -> String {
        format!(
            "{} × {} × {} ÷ {} = {} h",
            self.amount,
            self.labour_share,
            self.rate,
            self.hourly_cost,
            crate::format::group_digits(self.hours().unsigned_abs())
        )
    }
}

/// A contract's target: computed, or set by hand with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// From the calculator.
    Computed(Inputs),
    /// Set by hand: the hours and why.
    Manual {
        /// Hours.
        hours: i64,
        /// Why the calculator was not followed.
        reason: String,
    },
}

impl Target {
    /// A target set by hand: whole hours from 1 to 10 million, and a reason of at least
    /// 10 characters (fields `hours`, `reason`).
    pub fn manual(hours: &str, reason: &str) -> Result<Target, FieldErrors> {
        let mut errors = FieldErrors::new();
        let cleaned: String = hours
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{202f}')
            .collect();
        let hours = match cleaned.trim_end_matches('h').parse::<i64>() {
            Ok(h) if (1..=10_000_000).contains(&h) => Some(h),
            _ => {
                errors.insert(
                    "hours",
                    "L'objectif s'écrit en heures entières, de 1 à 10 millions.".into(),
                );
                None
            }
        };
        let reason = reason.trim();
        if reason.chars().count() < 10 {
            errors.insert(
                "reason",
                "Un objectif fixé à la main doit être motivé : dites pourquoi le calcul n'est pas suivi (10 caractères au moins).".into(),
            );
        }
        match hours {
            Some(hours) if errors.is_empty() => Ok(Target::Manual {
                hours,
                reason: reason.chars().take(1000).collect(),
            }),
            _ => Err(errors),
        }
    }

    /// The target in hours.
    pub fn hours(&self) -> i64 {
        match self {
            Target::Computed(i) => i.hours(),
            Target::Manual { hours, .. } => *hours,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_domain_example_gives_833_hours_with_its_formula() {
        let i = Inputs::parse("1 000 000", "50", "5", "30").unwrap();
        assert_eq!(i.hours(), 833);
        assert_eq!(
            i.formula(),
            "1\u{202f}000\u{202f}000,00\u{a0}€ × 50\u{a0}% × 5\u{a0}% ÷ 30,00\u{a0}€ = 833 h"
        );
        let j = Inputs::parse("250 000,50", "70", "12,5", "27,5").unwrap();
        // 250,000.50 × 0.7 × 0.125 ÷ 27.5 = 795.456…
        assert_eq!(j.hours(), 795);
        assert_eq!(j.labour_share.to_string(), "70\u{a0}%");
        assert_eq!(j.rate.to_string(), "12,5\u{a0}%");
    }

    #[test]
    fn each_bad_value_is_told_at_its_field() {
        let e = Inputs::parse("-5", "120", "0", "0,50").unwrap_err();
        assert_eq!(
            e.keys().copied().collect::<Vec<_>>(),
            vec!["amount", "hourly_cost", "labour_share", "rate"]
        );
        assert!(
            Inputs::parse("", "50", "5", "30")
                .unwrap_err()
                .contains_key("amount")
        );
        assert!(
            Inputs::parse("1000", "5O", "5", "30")
                .unwrap_err()
                .contains_key("labour_share")
        );
    }

    #[test]
    fn a_target_set_by_hand_needs_its_reason() {
        assert_eq!(
            Target::manual("1 200", "Chantier d'insertion de la commune.").map(|t| t.hours()),
            Ok(1200)
        );
        let e = Target::manual("0", "trop").unwrap_err();
        assert!(e.contains_key("hours") && e.contains_key("reason"));
    }

    #[test]
    fn every_default_trade_has_a_share_and_a_unique_code() {
        for t in TRADES {
            assert!(t.labour_share.bp() > 0 && t.labour_share.bp() <= 10_000);
            assert_eq!(trade(t.code), Some(&t));
        }
        assert_eq!(
            trade("peinture").map(|t| t.labour_share),
            Some(Percent::from_bp(7_000))
        );
    }

    proptest! {
        /// The target never decreases when the amount, the share or the rate grows, nor
        /// when the hourly cost falls; and it is within half an hour of the exact value.
        #[test]
        fn the_target_follows_its_formula(
            cents in 1i64..1_000_000_000_000,
            share in 1u32..=10_000,
            rate in 1u32..=10_000,
            cost in 100i64..=100_000,
            more in 0i64..1_000_000,
        ) {
            let i = Inputs { amount: Euros::from_cents(cents), labour_share: Percent::from_bp(share), rate: Percent::from_bp(rate), hourly_cost: Euros::from_cents(cost) };
            let exact = cents as f64 * f64::from(share) * f64::from(rate) / 1e8 / cost as f64;
            prop_assert!((i.hours() as f64 - exact).abs() <= 0.5 + exact * 1e-12);
            let bigger = Inputs { amount: Euros::from_cents(cents + more), ..i };
            prop_assert!(bigger.hours() >= i.hours());
            let dearer = Inputs { hourly_cost: Euros::from_cents(cost + more), ..i };
            prop_assert!(dearer.hours() <= i.hours());
        }

        #[test]
        fn a_percentage_prints_back_to_itself(bp in 0u32..=10_000) {
            let p = Percent::from_bp(bp);
            prop_assert_eq!(Percent::parse(&p.to_string().replace('\u{a0}', " ")), Some(p));
        }
    }
}
