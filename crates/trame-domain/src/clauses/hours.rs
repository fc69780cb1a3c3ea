//! Hours of insertion declared for one person, one contract, one month and one way of
//! fulfilling: checked here (positive, at most 250 in a month, one decimal, a month within
//! the contract's dates), counted once by the store.

use super::vocab::Way;
use crate::organisation::FieldErrors;
use time::{Date, Month};

/// The most hours one person may work in a month, all contracts together.
pub const MAX_TENTHS_PER_MONTH: i32 = 2_500;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u8,
}

impl YearMonth {
    /// The month of a day.
    pub fn of(d: Date) -> YearMonth {
        YearMonth {
            year: d.year(),
            month: d.month() as u8,
        }
    }

    /// Reads `2026-03`, `2026-03-01` (as stored) or `03/2026`.
    pub fn parse(raw: &str) -> Option<YearMonth> {
        let raw = raw.trim();
        let (y, m) = if let Some((m, y)) = raw.split_once('/') {
            (y, m)
        } else {
            let mut parts = raw.splitn(3, '-');
            let y = parts.next()?;
            let m = parts.next()?;
            if parts.next().is_some_and(|d| d != "01") {
                return None;
            }
            (y, m)
        };
        if y.len() != 4 || !(1..=2).contains(&m.len()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u8 = m.parse().ok()?;
        ((2000..=2100).contains(&year) && (1..=12).contains(&month))
            .then_some(YearMonth { year, month })
    }

    /// The month after.
    pub fn next(self) -> YearMonth {
        if self.month >= 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// As stored: the month's first day, `YYYY-MM-01`.
    pub fn stored(self) -> String {
        format!("{:04}-{:02}-01", self.year, self.month)
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        let m = Month::try_from(self.month).unwrap_or(Month::January);
        Date::from_calendar_date(self.year, m, 1).unwrap_or(Date::MIN)
    }

    /// In French: « mars 2026 ».
    pub fn label(self) -> String {
        const NAMES: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        let name = NAMES
            .get(usize::from(self.month.saturating_sub(1)))
            .copied()
            .unwrap_or("");
        format!("{name} {}", self.year)
    }
}

/// Reads hours typed the French way (`35`, `35,5`, `35.5 h`) into tenths of an hour.
pub fn parse_tenths(raw: &str) -> Option<i32> {
    let cleaned: String = raw
        .trim()
        .trim_end_matches('h')
        .trim()
        .replace(',', ".")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let negative = cleaned.starts_with('-');
    let body = cleaned.trim_start_matches('-');
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    if whole.is_empty()
        || whole.len() > 6
        || frac.len() > 1
        || !whole
            .chars()
            .chain(frac.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let tenths = whole.parse::<i32>().ok()? * 10 + frac.parse::<i32>().unwrap_or(0);
    Some(if negative { -tenths } else { tenths })
}

/// Tenths of an hour written in French: `35,5 h`, `1 200 h`.
pub fn hours_label(tenths: i64) -> String {
    let whole = crate::format::group_digits((tenths / 10).unsigned_abs());
    let sign = if tenths < 0 { "-" } else { "" };
    match tenths.rem_euclid(10) {
        0 => format!("{sign}{whole}\u{a0}h"),
        f => format!("{sign}{whole},{f}\u{a0}h"),
    }
}

/// The hours an invoice of a SIAE stands for: amount × labour share ÷ reference hourly
/// cost, in tenths of an hour, rounded to the nearest tenth.
pub fn from_invoice(
    amount: crate::money::Euros,
    labour_share: super::target::Percent,
    reference_cost: crate::money::Euros,
) -> i64 {
    let num = i128::from(amount.cents()) * i128::from(labour_share.bp()) * 10;
    let den = 10_000i128 * i128::from(reference_cost.cents().max(1));
    i64::try_from((num + den / 2) / den).unwrap_or(i64::MAX)
}

/// One line of hours as checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// Month.
    pub month: YearMonth,
    /// Way of fulfilling.
    pub way: Way,
    /// Tenths of an hour, 1 to 2,500.
    pub tenths: i32,
}

impl Line {
    /// Checks a typed line against the contract's first and last days; faults at the
    /// fields `month`, `way`, `hours`.
    pub fn parse(
        month: &str,
        way: &str,
        hours: &str,
        starts: Date,
        ends: Date,
    ) -> Result<Line, FieldErrors> {
        let mut errors = FieldErrors::new();
        let m = YearMonth::parse(month);
        match m {
            None => {
                errors.insert("month", "Indiquez le mois (AAAA-MM).".into());
            }
            Some(m) if m < YearMonth::of(starts) || m > YearMonth::of(ends) => {
                errors.insert(
                    "month",
                    format!(
                        "{} est hors des dates du marché (de {} à {}).",
                        capitalise(&m.label()),
                        YearMonth::of(starts).label(),
                        YearMonth::of(ends).label()
                    ),
                );
            }
            Some(_) => {}
        }
        let way = Way::from_code(way.trim());
        if way.is_none() {
            errors.insert("way", "Choisissez la modalité de réalisation.".into());
        }
        let tenths = match parse_tenths(hours) {
            Some(t) if t > 0 && t <= MAX_TENTHS_PER_MONTH => Some(t),
            Some(t) if t > MAX_TENTHS_PER_MONTH => {
                errors.insert(
                    "hours",
                    "Plus de 250 heures dans un mois pour une personne : vérifiez le nombre d'heures.".into(),
                );
                None
            }
            Some(_) => {
                errors.insert("hours", "Le nombre d'heures doit être positif.".into());
                None
            }
            None => {
                errors.insert(
                    "hours",
                    "Le nombre d'heures s'écrit avec au plus une décimale (par exemple 35,5)."
                        .into(),
                );
                None
            }
        };
        match (m, way, tenths) {
            (Some(month), Some(way), Some(tenths)) if errors.is_empty() => {
                Ok(Line { month, way, tenths })
            }
            _ => Err(errors),
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The message when a person's month would pass 250 hours, all contracts together.
pub fn over_month(month: YearMonth, already: i64) -> String {
    format!(
        "Avec les {} déjà déclarées en {}, cette personne dépasserait 250 heures dans le mois.",
        hours_label(already),
        month.label()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const START: Date = date!(2026 - 03 - 15);
    const END: Date = date!(2027 - 09 - 14);

    #[test]
    fn lines_are_checked_at_their_fields() {
        let l = Line::parse("2026-04", "embauche_directe", "35,5", START, END).unwrap();
        assert_eq!(l.tenths, 355);
        assert_eq!(l.month.stored(), "2026-04-01");
        assert!(Line::parse("03/2026", "embauche_directe", "1", START, END).is_ok());
        assert!(Line::parse("2027-09-01", "embauche_directe", "1", START, END).is_ok());
        let e = Line::parse("2026-02", "x", "251", START, END).unwrap_err();
        assert!(e["month"].contains("hors des dates"), "{e:?}");
        assert!(e.contains_key("way"));
        assert!(e["hours"].contains("250"));
        let e = Line::parse("2026-13", "embauche_directe", "-4", START, END).unwrap_err();
        assert!(e.contains_key("month") && e["hours"].contains("positif"));
        assert!(Line::parse("2026-05", "marche_reserve", "3,25", START, END).is_err());
        assert!(Line::parse("2026-05", "marche_reserve", "0", START, END).is_err());
    }

    #[test]
    fn an_invoice_converts_to_hours() {
        use crate::clauses::target::Percent;
        use crate::money::Euros;
        // 12,000 € × 60 % ÷ 28 € = 257.1 h.
        assert_eq!(
            from_invoice(
                Euros::from_cents(1_200_000),
                Percent::from_bp(6_000),
                Euros::from_cents(2_800)
            ),
            2_571
        );
    }

    #[test]
    fn labels() {
        assert_eq!(hours_label(12_005), "1\u{202f}200,5\u{a0}h");
        assert_eq!(hours_label(350), "35\u{a0}h");
        assert_eq!(YearMonth::parse("2026-03").unwrap().label(), "mars 2026");
        assert_eq!(YearMonth::parse("2026-03-02"), None);
    }

    proptest! {
        #[test]
        fn tenths_round_trip(t in 1i32..=2_500) {
            let typed = format!("{},{}", t / 10, t % 10);
            prop_assert_eq!(parse_tenths(&typed), Some(t));
        }

        #[test]
        fn any_text_never_panics(s in ".{0,20}") {
            let _ = Line::parse(&s, &s, &s, START, END);
        }
    }
}
