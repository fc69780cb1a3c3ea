//! Conventions: the subsidies the territory grants directly, without a call — to its
//! insertion partners (missions locales, École de la 2e chance, PLIE, SIAE and ACI,
//! actions that lift barriers to employment) and to its communes (a commune's employment
//! service or job forum it co-funds, or an action it carries for them) — annual or
//! multi-year, with an amount, objectives and indicators for each year.
//!
//! Source: `../shared/DOMAIN.md`, « Insertion ».

use super::report::{Indicator, MAX_INDICATORS};
use crate::money::Euros;
use crate::organisation::FieldErrors;
use time::Date;

/// The longest a convention runs, in years.
pub const MAX_YEARS: usize = 4;

/// What a convention funds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// A mission locale (young people 16–25).
    MissionLocale,
    /// The École de la 2e chance.
    E2c,
    /// The PLIE (plan local pour l'insertion et l'emploi).
    Plie,
    /// A structure of insertion by economic activity (SIAE).
    Siae,
    /// An atelier-chantier d'insertion or a chantier-école.
    Aci,
    /// Mobility.
    Mobilite,
    /// French language.
    Langue,
    /// Health.
    Sante,
    /// Housing.
    Logement,
    /// A commune's employment service, co-funded.
    ServiceEmploi,
    /// A commune's job forum, co-funded.
    ForumEmploi,
    /// An action the territory carries directly for communes.
    ActionPortee,
}

impl Category {
    /// Every category, partners' first.
    pub const ALL: [Category; 12] = [
        Category::MissionLocale,
        Category::E2c,
        Category::Plie,
        Category::Siae,
        Category::Aci,
        Category::Mobilite,
        Category::Langue,
        Category::Sante,
        Category::Logement,
        Category::ServiceEmploi,
        Category::ForumEmploi,
        Category::ActionPortee,
    ];

    /// Stored code.
    pub const fn code(self) -> &'static str {
        match self {
            Category::MissionLocale => "mission-locale",
            Category::E2c => "e2c",
            Category::Plie => "plie",
            Category::Siae => "siae",
            Category::Aci => "aci",
            Category::Mobilite => "mobilite",
            Category::Langue => "langue",
            Category::Sante => "sante",
            Category::Logement => "logement",
            Category::ServiceEmploi => "service-emploi",
            Category::ForumEmploi => "forum-emploi",
            Category::ActionPortee => "action-portee",
        }
    }

    /// French label.
    pub const fn label(self) -> &'static str {
        match self {
            Category::MissionLocale => "Mission locale",
            Category::E2c => "École de la 2e chance",
            Category::Plie => "PLIE",
            Category::Siae => "Structure d'insertion par l'activité économique (SIAE)",
            Category::Aci => "Atelier-chantier d'insertion, chantier-école",
            Category::Mobilite => "Levée des freins : mobilité",
            Category::Langue => "Levée des freins : langue française",
            Category::Sante => "Levée des freins : santé",
            Category::Logement => "Levée des freins : logement",
            Category::ServiceEmploi => "Commune : service emploi co-financé",
            Category::ForumEmploi => "Commune : forum emploi co-financé",
            Category::ActionPortee => "Commune : action portée par le territoire",
        }
    }

    /// From a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Whether the beneficiary is a commune (else an organisation).
    pub const fn with_commune(self) -> bool {
        matches!(
            self,
            Category::ServiceEmploi | Category::ForumEmploi | Category::ActionPortee
        )
    }
}

/// What an agent typed to create a convention.
#[derive(Debug, Clone, Default)]
pub struct ConventionInput {
    /// Category code.
    pub category: String,
    /// Beneficiary organisation id, as typed (partners).
    pub organisation: String,
    /// Beneficiary commune INSEE code (communes).
    pub commune: String,
    /// What it funds.
    pub title: String,
    /// First year.
    pub first_year: String,
    /// Amount of each year, in order (empty ones end the convention).
    pub amounts: Vec<String>,
    /// Decision date `AAAA-MM-JJ`.
    pub decided_on: String,
    /// Deliberation reference.
    pub deliberation: String,
    /// Indicators: (label, yearly target) as typed.
    pub indicators: Vec<(String, String)>,
    /// A service of general economic interest.
    pub siege: bool,
}

/// A checked convention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Convention {
    /// Category.
    pub category: Category,
    /// Beneficiary organisation.
    pub organisation_id: Option<i64>,
    /// Beneficiary commune.
    pub commune_code: Option<String>,
    /// Title.
    pub title: String,
    /// (year, amount) for each year.
    pub years: Vec<(i32, Euros)>,
    /// Decision date.
    pub decided_on: Date,
    /// Deliberation.
    pub deliberation: String,
    /// Indicators, the same target every year.
    pub indicators: Vec<Indicator>,
    /// SIEG.
    pub siege: bool,
}

impl Convention {
    /// Total over the years.
    pub fn total(&self) -> Euros {
        Euros::from_cents(self.years.iter().map(|(_, a)| a.cents()).sum())
    }
}

/// The form fields of the yearly amounts.
pub const AMOUNT_FIELDS: [&str; MAX_YEARS] = ["amount_1", "amount_2", "amount_3", "amount_4"];

/// The form fields of the indicators' labels and targets.
pub const INDICATOR_FIELDS: [(&str, &str); 3] = [
    ("indicator_1", "target_1"),
    ("indicator_2", "target_2"),
    ("indicator_3", "target_3"),
];

/// Checks a convention; `communes` are the territory's INSEE codes, `organisations` its
/// organisations' ids.
pub fn check(
    input: &ConventionInput,
    communes: &[String],
    organisations: &[i64],
) -> Result<Convention, FieldErrors> {
    let mut errors = FieldErrors::new();
    let category = Category::from_code(input.category.trim());
    if category.is_none() {
        errors.insert(
            "category",
            "Choisissez ce que finance la convention.".into(),
        );
    }
    let mut organisation_id = None;
    let mut commune_code = None;
    match category {
        Some(c) if c.with_commune() => {
            let code = input.commune.trim();
            if communes.iter().any(|k| k == code) {
                commune_code = Some(code.to_owned());
            } else {
                errors.insert("commune", "Choisissez une commune du territoire.".into());
            }
        }
        Some(_) => match input.organisation.trim().parse::<i64>() {
            Ok(id) if organisations.contains(&id) => organisation_id = Some(id),
            _ => {
                errors.insert(
                    "organisation",
                    "Choisissez la structure partenaire parmi celles du territoire.".into(),
                );
            }
        },
        None => {}
    }
    let title = input.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > 256 {
        errors.insert(
            "title",
            "Indiquez l'objet de la convention (256 caractères au plus).".into(),
        );
    }
    let first_year = input.first_year.trim().parse::<i32>().ok();
    if !matches!(first_year, Some(2000..=2100)) {
        errors.insert(
            "first_year",
            "Indiquez la première année, par exemple 2026.".into(),
        );
    }
    let mut years = Vec::new();
    let mut ended = false;
    for (k, field) in AMOUNT_FIELDS.iter().enumerate() {
        let typed = input.amounts.get(k).map(|s| s.trim()).unwrap_or("");
        if typed.is_empty() {
            ended = true;
            continue;
        }
        if ended {
            errors.insert(
                field,
                "Les années se suivent : remplissez les montants sans en laisser un vide avant."
                    .into(),
            );
            continue;
        }
        match Euros::parse(typed) {
            Ok(e) if e.cents() > 0 => {
                let y = first_year.unwrap_or(0) + i32::try_from(k).unwrap_or(0);
                years.push((y, e));
            }
            Ok(_) => {
                errors.insert(field, "Le montant de l'année doit être positif.".into());
            }
            Err(e) => {
                errors.insert(field, e.to_string());
            }
        }
    }
    if years.is_empty() && !errors.contains_key(AMOUNT_FIELDS[0]) {
        errors.insert(
            AMOUNT_FIELDS[0],
            "Indiquez le montant de la première année.".into(),
        );
    }
    let decided_on = crate::format::parse_iso_date(&input.decided_on);
    if decided_on.is_none() {
        errors.insert(
            "decided_on",
            "La date doit s'écrire AAAA-MM-JJ, par exemple 2026-11-26.".into(),
        );
    }
    let deliberation = input.deliberation.trim().to_owned();
    if deliberation.is_empty() || deliberation.chars().count() > 100 {
        errors.insert(
            "deliberation",
            "Indiquez la délibération qui décide la convention (100 caractères au plus).".into(),
        );
    }
    let mut indicators = Vec::new();
    for (k, (label_field, target_field)) in INDICATOR_FIELDS.iter().enumerate() {
        let (label, target) = input
            .indicators
            .get(k)
            .map(|(l, t)| (l.trim(), t.trim()))
            .unwrap_or(("", ""));
        if label.is_empty() && target.is_empty() {
            continue;
        }
        if label.is_empty() || label.chars().count() > 120 {
            errors.insert(
                label_field,
                "Nommez l'indicateur (120 caractères au plus).".into(),
            );
        }
        let cleaned: String = target.chars().filter(|c| !c.is_whitespace()).collect();
        match cleaned.parse::<i64>() {
            Ok(n) if n >= 0 => indicators.push(Indicator {
                label: label.to_owned(),
                target: n,
            }),
            _ => {
                errors.insert(
                    target_field,
                    "La cible annuelle est un nombre entier positif ou nul.".into(),
                );
            }
        }
    }
    debug_assert!(INDICATOR_FIELDS.len() <= MAX_INDICATORS);
    match (errors.is_empty(), category, decided_on) {
        (true, Some(category), Some(decided_on)) => Ok(Convention {
            category,
            organisation_id,
            commune_code,
            title,
            years,
            decided_on,
            deliberation,
            indicators,
            siege: input.siege,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ConventionInput {
        ConventionInput {
            category: "mission-locale".into(),
            organisation: "7".into(),
            title: "Accompagnement des 16-25 ans".into(),
            first_year: "2026".into(),
            amounts: vec!["120 000".into(), "120000".into(), String::new()],
            decided_on: "2026-01-15".into(),
            deliberation: "CT2026-01-15-04".into(),
            indicators: vec![("Jeunes accompagnés".into(), "900".into())],
            ..ConventionInput::default()
        }
    }

    #[test]
    fn a_two_year_convention_with_a_partner() {
        let c = check(&input(), &[], &[7]).expect("valid");
        assert_eq!(c.years.len(), 2);
        assert_eq!(c.years[1].0, 2027);
        assert_eq!(c.total(), Euros::from_cents(24_000_000));
        assert_eq!(c.organisation_id, Some(7));
        assert_eq!(c.indicators[0].target, 900);
    }

    #[test]
    fn each_mistake_is_named_at_its_field() {
        let mut i = input();
        i.organisation = "8".into();
        i.amounts = vec![String::new(), "5000".into()];
        i.indicators = vec![("Forums".into(), "beaucoup".into())];
        let errs = check(&i, &[], &[7]).expect_err("bad");
        assert!(errs.contains_key("organisation"));
        assert!(errs.contains_key("amount_2"));
        assert!(errs.contains_key("target_1"));
        let mut i = input();
        i.category = "forum-emploi".into();
        i.commune = "75056".into();
        let errs = check(&i, &["94028".into()], &[]).expect_err("not ours");
        assert!(errs.contains_key("commune"));
        i.commune = "94028".into();
        let c = check(&i, &["94028".into()], &[]).expect("commune");
        assert_eq!(c.commune_code.as_deref(), Some("94028"));
        assert_eq!(c.organisation_id, None);
    }
}
