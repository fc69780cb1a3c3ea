//! The register of the *intérêt territorial* for social action: the council's
//! deliberations and, once the interest is specified, the policies the communes pool for
//! the whole territory, each with the day it takes effect (and, when it stops, the day it
//! ends). See `DOMAIN.md`, « Action sociale ».

use crate::format::parse_iso_date;
use crate::organisation::FieldErrors;
use time::Date;

/// What a deliberation says of the interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interest {
    /// A conservatory deliberation: the competence is taken, the interest is to be
    /// specified by a later deliberation.
    Pending,
    /// The deliberation declares policies of territorial interest.
    Specified,
}

impl Interest {
    /// Both, in form order.
    pub const ALL: [Interest; 2] = [Interest::Pending, Interest::Specified];

    /// Stored code.
    pub const fn code(self) -> &'static str {
        match self {
            Interest::Pending => "a_preciser",
            Interest::Specified => "precise",
        }
    }

    /// French label.
    pub const fn label(self) -> &'static str {
        match self {
            Interest::Pending => "Intérêt territorial à préciser",
            Interest::Specified => "Intérêt territorial précisé",
        }
    }

    /// From its stored code.
    pub fn from_code(code: &str) -> Option<Interest> {
        Interest::ALL.into_iter().find(|i| i.code() == code)
    }
}

/// A deliberation as typed in the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DeliberationInput {
    /// Day of the council's vote, `YYYY-MM-DD`.
    #[serde(default)]
    pub decided_on: String,
    /// The council's reference (`CT2017.5/123`…).
    #[serde(default)]
    pub reference: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// What it decides, in a few lines.
    #[serde(default)]
    pub summary: String,
    /// [`Interest`] code.
    #[serde(default)]
    pub interest: String,
}

/// A checked deliberation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deliberation {
    /// Day of the vote.
    pub decided_on: Date,
    /// Reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Summary, possibly empty.
    pub summary: String,
    /// What it says of the interest.
    pub interest: Interest,
}

pub(crate) fn text(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    label: &str,
    max: usize,
    required: bool,
) -> String {
    let v = raw.trim().to_owned();
    if required && v.is_empty() {
        errors.insert(field, format!("Indiquez {label}."));
    } else if v.chars().count() > max {
        errors.insert(
            field,
            format!("{} : {max} caractères au plus.", capitalise(label)),
        );
    }
    v
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub(crate) fn date(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    label: &str,
    required: bool,
) -> Option<Date> {
    let raw = raw.trim();
    if raw.is_empty() {
        if required {
            errors.insert(field, format!("Indiquez {label}."));
        }
        return None;
    }
    let d = parse_iso_date(raw);
    if d.is_none() {
        errors.insert(
            field,
            format!(
                "{} n'est pas une date valide (AAAA-MM-JJ).",
                capitalise(label)
            ),
        );
    }
    d
}

impl Deliberation {
    /// Checks the form; `today` bounds the day of the vote (a deliberation is registered
    /// once voted).
    pub fn parse(input: &DeliberationInput, today: Date) -> Result<Deliberation, FieldErrors> {
        let mut errors = FieldErrors::new();
        let decided_on = date(
            &mut errors,
            "decided_on",
            &input.decided_on,
            "la date de la délibération",
            true,
        );
        if decided_on.is_some_and(|d| d > today) {
            errors.insert(
                "decided_on",
                "La délibération ne peut pas être datée d'un jour à venir.".into(),
            );
        }
        if decided_on.is_some_and(|d| d.year() < 1980) {
            errors.insert(
                "decided_on",
                "La date de la délibération est antérieure à 1980 : vérifiez-la.".into(),
            );
        }
        let reference = text(
            &mut errors,
            "reference",
            &input.reference,
            "la référence de la délibération",
            60,
            true,
        );
        let title = text(&mut errors, "title", &input.title, "l'objet", 300, true);
        let summary = text(
            &mut errors,
            "summary",
            &input.summary,
            "le résumé",
            4000,
            false,
        );
        let interest = Interest::from_code(&input.interest);
        if interest.is_none() {
            errors.insert(
                "interest",
                "Indiquez si la délibération précise l'intérêt territorial.".into(),
            );
        }
        match (decided_on, interest, errors.is_empty()) {
            (Some(decided_on), Some(interest), true) => Ok(Deliberation {
                decided_on,
                reference,
                title,
                summary,
                interest,
            }),
            _ => Err(errors),
        }
    }
}

/// A policy as typed in the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PolicyInput {
    /// Title (« Aide alimentaire d'urgence »…); `policy_title` in forms, apart from the
    /// deliberation's own title on the same page.
    #[serde(default, rename = "policy_title")]
    pub title: String,
    /// What is pooled: the service, for whom, who runs it.
    #[serde(default, rename = "policy_description")]
    pub description: String,
    /// First day of the territorial interest, `YYYY-MM-DD`.
    #[serde(default)]
    pub effective_from: String,
    /// Last day, when the policy was handed back; empty while it lasts.
    #[serde(default)]
    pub effective_until: String,
}

/// A checked policy of territorial interest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// First day.
    pub effective_from: Date,
    /// Last day, if it ended.
    pub effective_until: Option<Date>,
}

impl Policy {
    /// Checks the form against its deliberation: a policy takes effect on the day of the
    /// vote or later, and ends after it begins.
    pub fn parse(input: &PolicyInput, decided_on: Date) -> Result<Policy, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = text(
            &mut errors,
            "policy_title",
            &input.title,
            "l'intitulé de la politique",
            200,
            true,
        );
        let description = text(
            &mut errors,
            "policy_description",
            &input.description,
            "ce qui est mis en commun",
            4000,
            true,
        );
        let from = date(
            &mut errors,
            "effective_from",
            &input.effective_from,
            "la date d'effet",
            true,
        );
        if from.is_some_and(|d| d < decided_on) {
            errors.insert(
                "effective_from",
                format!(
                    "La date d'effet précède la délibération du {} : une politique prend effet au plus tôt le jour du vote.",
                    crate::format::long_french_date(decided_on)
                ),
            );
        }
        let until = date(
            &mut errors,
            "effective_until",
            &input.effective_until,
            "la date de fin",
            false,
        );
        if let (Some(f), Some(u)) = (from, until)
            && u < f
        {
            errors.insert(
                "effective_until",
                "La date de fin précède la date d'effet.".into(),
            );
        }
        match (from, errors.is_empty()) {
            (Some(effective_from), true) => Ok(Policy {
                title,
                description,
                effective_from,
                effective_until: until,
            }),
            _ => Err(errors),
        }
    }
}

/// Where a policy stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Takes effect later.
    Upcoming,
    /// In force.
    InForce,
    /// Ended.
    Ended,
}

impl Standing {
    /// Of a policy effective from `from` to `until` (inclusive), on `day`.
    pub fn of(from: Date, until: Option<Date>, day: Date) -> Standing {
        if day < from {
            Standing::Upcoming
        } else if until.is_some_and(|u| day > u) {
            Standing::Ended
        } else {
            Standing::InForce
        }
    }

    /// French label.
    pub const fn label(self) -> &'static str {
        match self {
            Standing::Upcoming => "À venir",
            Standing::InForce => "En vigueur",
            Standing::Ended => "Terminée",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn delib(d: &str, interest: &str) -> DeliberationInput {
        DeliberationInput {
            decided_on: d.into(),
            reference: "CT2017.5/148".into(),
            title: "Action sociale d'intérêt territorial".into(),
            summary: String::new(),
            interest: interest.into(),
        }
    }

    #[test]
    fn a_deliberation_is_dated_in_the_past_and_says_what_it_does_of_the_interest() {
        let today = date!(2026 - 11 - 27);
        let d = Deliberation::parse(&delib("2017-12-13", "a_preciser"), today).unwrap();
        assert_eq!(d.decided_on, date!(2017 - 12 - 13));
        assert_eq!(d.interest, Interest::Pending);
        let e = Deliberation::parse(&delib("2027-01-01", "precise"), today).unwrap_err();
        assert!(e["decided_on"].contains("à venir"));
        let e = Deliberation::parse(&delib("13/12/2017", ""), today).unwrap_err();
        assert!(e["decided_on"].contains("AAAA-MM-JJ"));
        assert!(e.contains_key("interest"));
        let mut blank = delib("2017-12-13", "precise");
        blank.reference = "  ".into();
        blank.title = "x".repeat(301);
        let e = Deliberation::parse(&blank, today).unwrap_err();
        assert_eq!(e["reference"], "Indiquez la référence de la délibération.");
        assert_eq!(e["title"], "L'objet : 300 caractères au plus.");
    }

    #[test]
    fn a_policy_takes_effect_on_the_vote_or_later_and_ends_after_it_begins() {
        let voted = date!(2025 - 06 - 25);
        let input = |from: &str, until: &str| PolicyInput {
            title: "Aide alimentaire".into(),
            description: "Épiceries solidaires".into(),
            effective_from: from.into(),
            effective_until: until.into(),
        };
        let p = Policy::parse(&input("2026-01-01", ""), voted).unwrap();
        assert_eq!(p.effective_until, None);
        let e = Policy::parse(&input("2025-01-01", ""), voted).unwrap_err();
        assert!(e["effective_from"].contains("25 juin 2025"), "{e:?}");
        let e = Policy::parse(&input("2026-01-01", "2025-12-31"), voted).unwrap_err();
        assert!(e.contains_key("effective_until"));
    }

    #[test]
    fn standing_follows_the_dates_inclusively() {
        let (f, u) = (date!(2026 - 01 - 01), Some(date!(2026 - 12 - 31)));
        assert_eq!(
            Standing::of(f, u, date!(2025 - 12 - 31)),
            Standing::Upcoming
        );
        assert_eq!(Standing::of(f, u, f), Standing::InForce);
        assert_eq!(Standing::of(f, u, date!(2026 - 12 - 31)), Standing::InForce);
        assert_eq!(Standing::of(f, u, date!(2027 - 01 - 01)), Standing::Ended);
        assert_eq!(
            Standing::of(f, None, date!(2040 - 01 - 01)),
            Standing::InForce
        );
    }
}
