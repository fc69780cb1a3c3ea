//! The showcase of the ESS projects the territory supports: name, mission, website,
//! commune, scheme and year, like the territory's own page. A project is shown to the
//! public only once its structure has consented, and the day and the way of that consent
//! are kept.

use crate::interest::{date, text};
use crate::organisation::FieldErrors;
use time::Date;

/// A project as typed in the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ProjectInput {
    /// Name of the project or of its structure.
    #[serde(default)]
    pub name: String,
    /// Its mission in a few lines.
    #[serde(default)]
    pub mission: String,
    /// Website, `https://…`.
    #[serde(default)]
    pub website: String,
    /// INSEE code of its commune, empty for the whole territory.
    #[serde(default)]
    pub commune_code: String,
    /// The scheme that supports it (« Appel à projets ESS », « Accompagnement ESS »…).
    #[serde(default)]
    pub scheme: String,
    /// Year of the support.
    #[serde(default)]
    pub year: String,
    /// Day the structure consented to be shown, `YYYY-MM-DD`.
    #[serde(default)]
    pub consent_on: String,
    /// How it consented (« courriel du président »…).
    #[serde(default)]
    pub consent_note: String,
    /// `1` to show it on the public page.
    #[serde(default)]
    pub published: String,
}

/// A checked project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// Name.
    pub name: String,
    /// Mission.
    pub mission: String,
    /// Website, if any.
    pub website: Option<String>,
    /// Commune, if any (checked against the territory by the caller).
    pub commune_code: Option<String>,
    /// Scheme.
    pub scheme: String,
    /// Year.
    pub year: i32,
    /// Day of consent.
    pub consent_on: Option<Date>,
    /// How consent was given.
    pub consent_note: String,
    /// Shown to the public.
    pub published: bool,
}

/// The message when a project would be shown without consent.
pub const NO_CONSENT: &str = "Un projet n'est publié qu'avec le consentement de sa structure : indiquez la date de ce consentement.";

impl Project {
    /// Checks the form. `today` bounds the year and the day of consent.
    pub fn parse(input: &ProjectInput, today: Date) -> Result<Project, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = text(
            &mut errors,
            "name",
            &input.name,
            "le nom du projet",
            150,
            true,
        );
        let mission = text(
            &mut errors,
            "mission",
            &input.mission,
            "sa mission",
            1000,
            true,
        );
        let website = input.website.trim();
        let website = if website.is_empty() {
            None
        } else if !(website.starts_with("https://") || website.starts_with("http://"))
            || website.len() > 300
            || website.contains(char::is_whitespace)
        {
            errors.insert(
                "website",
                "L'adresse du site commence par https:// et ne contient pas d'espace.".into(),
            );
            None
        } else {
            Some(website.to_owned())
        };
        let commune_code = Some(input.commune_code.trim().to_owned()).filter(|c| !c.is_empty());
        let scheme = text(
            &mut errors,
            "scheme",
            &input.scheme,
            "le dispositif",
            120,
            true,
        );
        let year = match input.year.trim().parse::<i32>() {
            Ok(y) if (2000..=today.year() + 1).contains(&y) => y,
            _ => {
                errors.insert(
                    "year",
                    format!(
                        "Indiquez l'année du soutien, entre 2000 et {}.",
                        today.year() + 1
                    ),
                );
                0
            }
        };
        let consent_on = date(
            &mut errors,
            "consent_on",
            &input.consent_on,
            "la date du consentement",
            false,
        );
        if consent_on.is_some_and(|d| d > today) {
            errors.insert(
                "consent_on",
                "Le consentement ne peut pas être daté d'un jour à venir.".into(),
            );
        }
        let consent_note = text(
            &mut errors,
            "consent_note",
            &input.consent_note,
            "la forme du consentement",
            300,
            false,
        );
        let published = input.published == "1";
        if published && consent_on.is_none() && !errors.contains_key("consent_on") {
            errors.insert("consent_on", NO_CONSENT.into());
        }
        if errors.is_empty() {
            Ok(Project {
                name,
                mission,
                website,
                commune_code,
                scheme,
                year,
                consent_on,
                consent_note,
                published,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> ProjectInput {
        ProjectInput {
            name: "Coop'Cot".into(),
            mission: "Coopérative de coursiers à vélo".into(),
            website: "https://coopcot.example".into(),
            commune_code: "94028".into(),
            scheme: "Appel à projets ESS".into(),
            year: "2023".into(),
            consent_on: "2023-11-20".into(),
            consent_note: "Courriel de la gérante".into(),
            published: "1".into(),
        }
    }

    #[test]
    fn a_project_is_published_only_with_a_consent() {
        let today = date!(2026 - 11 - 27);
        let p = Project::parse(&input(), today).unwrap();
        assert!(p.published);
        let mut i = input();
        i.consent_on.clear();
        let e = Project::parse(&i, today).unwrap_err();
        assert_eq!(e["consent_on"], NO_CONSENT);
        i.published.clear();
        let p = Project::parse(&i, today).unwrap();
        assert!(!p.published && p.consent_on.is_none());
    }

    #[test]
    fn bad_fields_are_named() {
        let mut i = input();
        i.website = "coopcot.example".into();
        i.year = "1999".into();
        i.consent_on = "2027-01-01".into();
        i.name = " ".into();
        let e = Project::parse(&i, date!(2026 - 11 - 27)).unwrap_err();
        assert!(e["website"].contains("https://"));
        assert!(e["year"].contains("2027"));
        assert!(e["consent_on"].contains("à venir"));
        assert_eq!(e["name"], "Indiquez le nom du projet.");
    }
}
