//! A cohort (promotion) and the call for candidates that recruits it.

use super::vocab::CohortFormat;
use crate::clauses::hours::parse_tenths;
use crate::interest::{date, text};
use crate::organisation::FieldErrors;
use time::Date;

/// The longest a cohort may last, in days (two years).
pub const MAX_COHORT_DAYS: i64 = 731;
/// The most hours a project may be allotted, tenths.
pub const MAX_ALLOCATION_TENTHS: i32 = 5_000;

/// A cohort as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct CohortInput {
    /// Its name (« Promotion 2026 »).
    #[serde(default)]
    pub name: String,
    /// Code of [`CohortFormat`].
    #[serde(default)]
    pub format: String,
    /// First day, `YYYY-MM-DD`.
    #[serde(default)]
    pub starts_on: String,
    /// Last day.
    #[serde(default)]
    pub ends_on: String,
    /// Hours of individual support (or consultancy) allotted to each project.
    #[serde(default)]
    pub allocation: String,
    /// The external support provider's organisation id, or empty for the territory's own
    /// advisers.
    #[serde(default)]
    pub provider: String,
}

/// A checked cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cohort {
    /// Name.
    pub name: String,
    /// What it offers.
    pub format: CohortFormat,
    /// First day.
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Date,
    /// Hours allotted to each project, tenths.
    pub allocation_tenths: i32,
    /// The provider's organisation id (checked against the territory by the store).
    pub provider: Option<i64>,
}

impl Cohort {
    /// Checks the form; each fault in French at its field.
    pub fn parse(input: &CohortInput) -> Result<Cohort, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = text(
            &mut errors,
            "name",
            &input.name,
            "le nom de la promotion",
            120,
            true,
        );
        let format = CohortFormat::from_code(input.format.trim());
        if format.is_none() {
            errors.insert("format", "Choisissez le format de la promotion.".into());
        }
        let starts_on = date(
            &mut errors,
            "starts_on",
            &input.starts_on,
            "la date de début",
            true,
        );
        let ends_on = date(
            &mut errors,
            "ends_on",
            &input.ends_on,
            "la date de fin",
            true,
        );
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e <= s {
                errors.insert("ends_on", "La fin doit suivre le début.".into());
            } else if (e - s).whole_days() > MAX_COHORT_DAYS {
                errors.insert("ends_on", "Une promotion dure deux ans au plus.".into());
            }
        }
        let allocation = parse_tenths(&input.allocation);
        match allocation {
            None => {
                errors.insert(
                    "allocation",
                    "Indiquez les heures allouées à chaque projet (par exemple 20 ou 12,5).".into(),
                );
            }
            Some(t) if t <= 0 => {
                errors.insert(
                    "allocation",
                    "Les heures allouées doivent être positives.".into(),
                );
            }
            Some(t) if t > MAX_ALLOCATION_TENTHS => {
                errors.insert("allocation", "500 heures par projet au plus.".into());
            }
            Some(_) => {}
        }
        let provider = match input.provider.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.insert(
                        "provider",
                        "Choisissez le prestataire dans la liste.".into(),
                    );
                    None
                }
            },
        };
        match (format, starts_on, ends_on, allocation) {
            (Some(format), Some(starts_on), Some(ends_on), Some(allocation_tenths))
                if errors.is_empty() =>
            {
                Ok(Cohort {
                    name,
                    format,
                    starts_on,
                    ends_on,
                    allocation_tenths,
                    provider,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A call for candidates as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct CallInput {
    /// Its title.
    #[serde(default)]
    pub title: String,
    /// Who and what it looks for, the eligibility rule in words, the calendar.
    #[serde(default)]
    pub description: String,
    /// The cohort it recruits (its id).
    #[serde(default)]
    pub cohort: String,
    /// First day applications are accepted.
    #[serde(default)]
    pub opens_on: String,
    /// Last day.
    #[serde(default)]
    pub closes_on: String,
}

/// A checked call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Cohort id (checked against the territory by the store).
    pub cohort: i64,
    /// First day.
    pub opens_on: Date,
    /// Last day.
    pub closes_on: Date,
}

impl Call {
    /// Checks the form; each fault in French at its field.
    pub fn parse(input: &CallInput) -> Result<Call, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = text(
            &mut errors,
            "title",
            &input.title,
            "le titre de l'appel",
            200,
            true,
        );
        let description = text(
            &mut errors,
            "description",
            &input.description,
            "la présentation de l'appel",
            5_000,
            true,
        );
        let cohort = input.cohort.trim().parse::<i64>().ok();
        if cohort.is_none() {
            errors.insert(
                "cohort",
                "Choisissez la promotion que l'appel recrute.".into(),
            );
        }
        let opens_on = date(
            &mut errors,
            "opens_on",
            &input.opens_on,
            "la date d'ouverture",
            true,
        );
        let closes_on = date(
            &mut errors,
            "closes_on",
            &input.closes_on,
            "la date de clôture",
            true,
        );
        if let (Some(o), Some(c)) = (opens_on, closes_on)
            && c < o
        {
            errors.insert(
                "closes_on",
                "La clôture ne peut précéder l'ouverture.".into(),
            );
        }
        match (cohort, opens_on, closes_on) {
            (Some(cohort), Some(opens_on), Some(closes_on)) if errors.is_empty() => Ok(Call {
                title,
                description,
                cohort,
                opens_on,
                closes_on,
            }),
            _ => Err(errors),
        }
    }
}

/// Where a call stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Not open yet.
    Upcoming,
    /// Accepting applications.
    Open,
    /// Closed.
    Closed,
}

impl Window {
    /// The window of a call open from `opens_on` to `closes_on` inclusive, on `today`.
    pub fn of(opens_on: Date, closes_on: Date, today: Date) -> Window {
        if today < opens_on {
            Window::Upcoming
        } else if today > closes_on {
            Window::Closed
        } else {
            Window::Open
        }
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            Window::Upcoming => "À venir",
            Window::Open => "Ouvert",
            Window::Closed => "Clos",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn cohort() -> CohortInput {
        CohortInput {
            name: "Promotion 2026".into(),
            format: "parcours".into(),
            starts_on: "2026-03-02".into(),
            ends_on: "2026-09-30".into(),
            allocation: "20".into(),
            provider: String::new(),
        }
    }

    #[test]
    fn a_cohort_is_checked_as_a_whole() {
        let c = Cohort::parse(&cohort()).expect("valid");
        assert_eq!(c.allocation_tenths, 200);
        assert_eq!(c.format, CohortFormat::Pathway);
        let bad = Cohort::parse(&CohortInput {
            ends_on: "2026-01-01".into(),
            allocation: "-3".into(),
            format: "autre".into(),
            ..cohort()
        })
        .expect_err("refused");
        assert_eq!(
            bad.get("ends_on").map(String::as_str),
            Some("La fin doit suivre le début.")
        );
        assert!(bad.contains_key("allocation"));
        assert!(bad.contains_key("format"));
        let long = Cohort::parse(&CohortInput {
            ends_on: "2029-01-01".into(),
            ..cohort()
        })
        .expect_err("too long");
        assert!(long.contains_key("ends_on"));
    }

    #[test]
    fn a_call_closes_after_it_opens() {
        let ok = CallInput {
            title: "Appel à candidatures 2026".into(),
            description: "Pour créer une activité d'ESS.".into(),
            cohort: "3".into(),
            opens_on: "2026-01-05".into(),
            closes_on: "2026-02-06".into(),
        };
        assert!(Call::parse(&ok).is_ok());
        let bad = Call::parse(&CallInput {
            closes_on: "2026-01-01".into(),
            cohort: "x".into(),
            ..ok
        })
        .expect_err("refused");
        assert!(bad.contains_key("closes_on") && bad.contains_key("cohort"));
    }

    #[test]
    fn windows() {
        let (o, c) = (date!(2026 - 01 - 05), date!(2026 - 02 - 06));
        assert_eq!(Window::of(o, c, date!(2026 - 01 - 04)), Window::Upcoming);
        assert_eq!(Window::of(o, c, o), Window::Open);
        assert_eq!(Window::of(o, c, c), Window::Open);
        assert_eq!(Window::of(o, c, date!(2026 - 02 - 07)), Window::Closed);
    }
}
