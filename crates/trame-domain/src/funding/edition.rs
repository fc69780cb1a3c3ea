//! An edition of a call for projects: its calendar, its envelopes and its scoring grid,
//! checked as a whole when the territory's agent saves it.

use crate::format::paris_offset;
use crate::money::Euros;
use crate::organisation::{LegalForm, esus_expiry};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// A criterion of the scoring grid and its weight, in percent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    /// Stable code.
    pub code: String,
    /// French label shown to reviewers.
    pub label: String,
    /// Weight in percent; the grid's weights add up to 100.
    pub weight_percent: u8,
}

/// The six criteria of GPSEA's ESS call (DOMAIN.md), equally weighted but for job creation
/// and social utility.
pub fn default_grid() -> Vec<Criterion> {
    [
        ("emploi", "Création d'emplois", 20),
        ("ancrage", "Ancrage local", 15),
        ("utilite", "Utilité sociale et sociétale", 20),
        ("viabilite", "Viabilité économique", 15),
        ("cooperation", "Coopération entre structures locales", 15),
        ("innovation", "Innovation", 15),
    ]
    .into_iter()
    .map(|(code, label, weight_percent)| Criterion {
        code: code.into(),
        label: label.into(),
        weight_percent,
    })
    .collect()
}

/// A checked edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// Year, such as 2024.
    pub year: i32,
    /// Opening instant (UTC).
    pub opens_at: OffsetDateTime,
    /// Closing instant (UTC): a first submission after it is refused.
    pub closes_at: OffsetDateTime,
    /// Total envelope.
    pub total: Euros,
    /// Earmarked sub-envelopes within the total, by code.
    pub earmarked: BTreeMap<String, Euros>,
    /// Scoring grid.
    pub grid: Vec<Criterion>,
}

/// Errors by field, in French.
pub type EditionErrors = BTreeMap<&'static str, String>;

/// A wall-clock time in Paris as the instant it designates.
pub fn paris_to_utc(local: PrimitiveDateTime) -> OffsetDateTime {
    // The offset of the instant itself: try winter time, then check the rule.
    let guess =
        local.assume_offset(time::UtcOffset::from_hms(1, 0, 0).unwrap_or(time::UtcOffset::UTC));
    let offset = paris_offset(guess);
    local.assume_offset(offset).to_offset(time::UtcOffset::UTC)
}

impl Edition {
    /// Checks an edition; every problem is reported at once.
    pub fn check(
        year: i32,
        opens_at: OffsetDateTime,
        closes_at: OffsetDateTime,
        total: Euros,
        earmarked: BTreeMap<String, Euros>,
        grid: Vec<Criterion>,
    ) -> Result<Edition, EditionErrors> {
        let mut errors = EditionErrors::new();
        if !(2000..=2100).contains(&year) {
            errors.insert(
                "year",
                "L'année de l'édition doit être comprise entre 2000 et 2100.".into(),
            );
        }
        if closes_at <= opens_at {
            errors.insert("closes_at", "La clôture doit suivre l'ouverture.".into());
        }
        if total.cents() <= 0 {
            errors.insert("total", "L'enveloppe totale doit être positive.".into());
        }
        if earmarked.values().any(|e| e.cents() <= 0) {
            errors.insert(
                "earmarked",
                "Chaque enveloppe fléchée doit être positive.".into(),
            );
        }
        let earmarked_sum: i64 = earmarked.values().map(|e| e.cents()).sum();
        if earmarked_sum > total.cents() {
            errors.insert(
                "earmarked",
                format!(
                    "Les enveloppes fléchées ({}) dépassent l'enveloppe totale ({}).",
                    Euros::from_cents(earmarked_sum),
                    total
                ),
            );
        }
        let weights: u32 = grid.iter().map(|c| u32::from(c.weight_percent)).sum();
        if grid.is_empty() {
            errors.insert("grid", "La grille doit compter au moins un critère.".into());
        } else if weights != 100 {
            errors.insert(
                "grid",
                format!(
                    "Les poids des critères totalisent {weights} % ; ils doivent totaliser 100 %."
                ),
            );
        }
        if errors.is_empty() {
            Ok(Edition {
                year,
                opens_at,
                closes_at,
                total,
                earmarked,
                grid,
            })
        } else {
            Err(errors)
        }
    }

    /// The general envelope: the total less the earmarked sub-envelopes.
    pub fn general(&self) -> Euros {
        Euros::from_cents(
            self.total.cents() - self.earmarked.values().map(|e| e.cents()).sum::<i64>(),
        )
    }

    /// Whether a first submission is accepted at `now`.
    pub fn accepts_submissions(&self, now: OffsetDateTime) -> bool {
        now >= self.opens_at && now <= self.closes_at
    }

    /// Next year's edition: same envelopes, grid and calendar one year later.
    pub fn copy_for(&self, year: i32) -> Edition {
        let shift = |t: OffsetDateTime| {
            let years = year - self.year;
            t.replace_year(t.year() + years).unwrap_or(t)
        };
        Edition {
            year,
            opens_at: shift(self.opens_at),
            closes_at: shift(self.closes_at),
            ..self.clone()
        }
    }

    /// Weights of the grid as fractions, in grid order, for `allocation::weighted_score`.
    pub fn weights(&self) -> Vec<f64> {
        self.grid
            .iter()
            .map(|c| f64::from(c.weight_percent) / 100.0)
            .collect()
    }
}

/// The ESS legal families a call accepts by default (loi n° 2014-856, art. 1): associations,
/// cooperatives (SCOP, SCIC, CAE), mutuals, foundations, ESUS companies with a valid
/// approval, and SIAE.
pub fn ess_families() -> Vec<LegalForm> {
    vec![
        LegalForm::Association,
        LegalForm::Scop,
        LegalForm::Scic,
        LegalForm::Cae,
        LegalForm::Mutuelle,
        LegalForm::Fondation,
        LegalForm::EntrepriseEsus,
        LegalForm::Insertion,
    ]
}

/// Whether an organisation of `form` (ESUS approved on `esus_on`) may apply to a call that
/// accepts `allowed`, on `today`; the reason in French when not.
pub fn eligibility(
    form: LegalForm,
    esus_on: Option<Date>,
    allowed: &[LegalForm],
    today: Date,
) -> Result<(), String> {
    if !allowed.contains(&form) {
        return Err(format!(
            "Cet appel n'est pas ouvert aux structures de forme « {} ».",
            form.label()
        ));
    }
    if form == LegalForm::EntrepriseEsus {
        match esus_on {
            Some(d) if esus_expiry(d) >= today => {}
            Some(_) => {
                return Err("L'agrément ESUS de la structure a expiré : il doit être renouvelé auprès de la DREETS.".into());
            }
            None => return Err("La date d'agrément ESUS de la structure n'est pas connue.".into()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn eur(e: i64) -> Euros {
        Euros::from_cents(e * 100)
    }

    fn gpsea_2024() -> Result<Edition, EditionErrors> {
        Edition::check(
            2024,
            paris_to_utc(datetime!(2024-03-01 09:00)),
            paris_to_utc(datetime!(2024-05-31 23:59)),
            eur(60_000),
            [("pat".to_owned(), eur(10_000))].into(),
            default_grid(),
        )
    }

    #[test]
    fn gpsea_2024_is_a_valid_edition_with_a_general_envelope_of_50_000() {
        let e = gpsea_2024().unwrap();
        assert_eq!(e.general(), eur(50_000));
        assert_eq!(e.weights().iter().sum::<f64>(), 1.0);
        // 23:59 in Paris in May is 21:59 UTC (summer time).
        assert_eq!(e.closes_at, datetime!(2024-05-31 21:59 UTC));
        assert!(e.accepts_submissions(datetime!(2024-05-31 21:59 UTC)));
        assert!(!e.accepts_submissions(datetime!(2024-05-31 22:00 UTC)));
        let next = e.copy_for(2025);
        assert_eq!(next.year, 2025);
        assert_eq!(next.total, e.total);
        assert_eq!(next.opens_at.year(), 2025);
    }

    #[test]
    fn eligibility_follows_the_ess_families_and_the_esus_approval() {
        let today = time::macros::date!(2026 - 11 - 26);
        let ess = ess_families();
        assert!(eligibility(LegalForm::Association, None, &ess, today).is_ok());
        assert!(eligibility(LegalForm::Entreprise, None, &ess, today).is_err());
        let fresh = Some(time::macros::date!(2023 - 01 - 10));
        let old = Some(time::macros::date!(2020 - 01 - 10));
        assert!(eligibility(LegalForm::EntrepriseEsus, fresh, &ess, today).is_ok());
        assert!(
            eligibility(LegalForm::EntrepriseEsus, old, &ess, today)
                .unwrap_err()
                .contains("expiré")
        );
    }

    #[test]
    fn every_inconsistency_is_reported_at_once() {
        let mut grid = default_grid();
        grid[0].weight_percent = 30;
        let errors = Edition::check(
            1999,
            datetime!(2024-05-01 00:00 UTC),
            datetime!(2024-04-01 00:00 UTC),
            eur(10_000),
            [("pat".to_owned(), eur(12_000))].into(),
            grid,
        )
        .unwrap_err();
        assert_eq!(
            errors.keys().copied().collect::<Vec<_>>(),
            vec!["closes_at", "earmarked", "grid", "year"]
        );
        assert!(errors["grid"].contains("110 %"));
        assert!(errors["earmarked"].contains("dépassent"));
    }
}
