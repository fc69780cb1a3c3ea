//! Passing an accompanied project to the call for projects: the draft of its dossier,
//! pre-filled from what the programme knows of it (its name, its activity, the communes
//! it works in, the support received, the milestones reached, the jobs at its latest
//! outcome). The holder completes and submits it as any other dossier; nothing here is
//! submitted for them.

use super::vocab::{MilestoneKind, Stage};
use crate::clauses::hours::hours_label;
use crate::format::{french_date, parse_iso_date};
use crate::funding::dossier::DossierForm;
use crate::money::Euros;

/// A milestone the project reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    /// What.
    pub kind: MilestoneKind,
    /// When, `AAAA-MM-JJ`.
    pub on: String,
    /// The SIRET given at the legal creation.
    pub siret: Option<String>,
    /// The amount raised, cents.
    pub amount_cents: Option<i64>,
}

/// What the programme knows of a project, for its dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accompanied {
    /// The project's name.
    pub name: String,
    /// Its activity.
    pub activity: String,
    /// The summary its application gave, if it came through a call for candidates.
    pub application_summary: Option<String>,
    /// The cohort's name.
    pub cohort: String,
    /// The cohort's first and last days, `AAAA-MM-JJ`.
    pub cohort_days: (String, String),
    /// Where the project stands.
    pub stage: Stage,
    /// Individual hours received, tenths.
    pub individual_tenths: i64,
    /// Collective hours attended, tenths.
    pub collective_tenths: i64,
    /// Milestones reached, in order.
    pub milestones: Vec<Reached>,
    /// Jobs at the latest outcome, tenths of a full-time equivalent.
    pub jobs_tenths: Option<i32>,
    /// The commune where the activity is set up (INSEE code).
    pub commune: Option<String>,
}

fn day(iso: &str) -> String {
    parse_iso_date(iso).map_or_else(|| iso.to_owned(), french_date)
}

/// Tenths of a full-time equivalent as the dossier form reads them (`1,5`).
fn fte(tenths: i32) -> String {
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{},{}", tenths / 10, (tenths % 10).abs())
    }
}

/// The draft of the project's dossier: title, summary, the support received and the
/// milestones under « Actions », the commune, the jobs. The dates, the amount, the budget
/// and the co-funders are left to the holder, who alone knows them.
pub fn draft(p: &Accompanied) -> DossierForm {
    let summary = match &p.application_summary {
        Some(s) if !s.trim().is_empty() && s.trim() != p.activity.trim() => {
            format!("{}\n\n{}", p.activity.trim(), s.trim())
        }
        _ => p.activity.trim().to_owned(),
    };
    let mut actions = format!(
        "Projet accompagné par le programme d'accompagnement ESS du territoire : promotion « {} » (du {} au {}), étape actuelle « {} », {} d'accompagnement individuel et {} d'ateliers collectifs.",
        p.cohort,
        day(&p.cohort_days.0),
        day(&p.cohort_days.1),
        p.stage.label(),
        hours_label(p.individual_tenths),
        hours_label(p.collective_tenths),
    );
    for m in &p.milestones {
        let detail = match (m.kind, &m.siret, m.amount_cents) {
            (MilestoneKind::LegalCreation, Some(siret), _) => format!(" (SIRET {siret})"),
            (MilestoneKind::FundsRaised, _, Some(cents)) => {
                format!(" ({})", Euros::from_cents(cents))
            }
            _ => String::new(),
        };
        actions.push_str(&format!(
            "\n- {} le {}{detail}.",
            m.kind.label(),
            day(&m.on)
        ));
    }
    DossierForm {
        title: p.name.chars().take(200).collect(),
        summary,
        actions,
        communes: p.commune.iter().cloned().collect(),
        jobs_fte: p.jobs_tenths.map(fte).unwrap_or_default(),
        ..DossierForm::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> Accompanied {
        Accompanied {
            name: "Coop'Cot".into(),
            activity: "Supermarché coopératif et participatif.".into(),
            application_summary: Some("Un supermarché géré par ses membres.".into()),
            cohort: "Promotion 2025".into(),
            cohort_days: ("2025-01-13".into(), "2025-10-31".into()),
            stage: Stage::Creation,
            individual_tenths: 245,
            collective_tenths: 120,
            milestones: vec![
                Reached {
                    kind: MilestoneKind::LegalCreation,
                    on: "2025-04-02".into(),
                    siret: Some("12345678900011".into()),
                    amount_cents: None,
                },
                Reached {
                    kind: MilestoneKind::FundsRaised,
                    on: "2025-06-30".into(),
                    siret: None,
                    amount_cents: Some(1_500_000),
                },
            ],
            jobs_tenths: Some(15),
            commune: Some("94028".into()),
        }
    }

    #[test]
    fn the_draft_carries_what_the_programme_knows() {
        let f = draft(&project());
        assert_eq!(f.title, "Coop'Cot");
        assert_eq!(
            f.summary,
            "Supermarché coopératif et participatif.\n\nUn supermarché géré par ses membres."
        );
        assert!(
            f.actions
                .contains("promotion « Promotion 2025 » (du 13/01/2025 au 31/10/2025)"),
            "{}",
            f.actions
        );
        assert!(
            f.actions.contains("étape actuelle « Création »"),
            "{}",
            f.actions
        );
        assert!(
            f.actions
                .contains("24,5\u{a0}h d'accompagnement individuel"),
            "{}",
            f.actions
        );
        assert!(
            f.actions
                .contains("- Création juridique le 02/04/2025 (SIRET 12345678900011)."),
            "{}",
            f.actions
        );
        assert!(
            f.actions
                .contains("- Fonds levés le 30/06/2025 (15\u{202f}000,00\u{a0}€)."),
            "{}",
            f.actions
        );
        assert_eq!(f.communes, vec!["94028".to_owned()]);
        assert_eq!(f.jobs_fte, "1,5");
        // What only the holder knows is left empty.
        assert!(f.requested.is_empty() && f.starts_on.is_empty() && f.budget.is_empty());
    }

    #[test]
    fn a_project_without_outcome_or_commune_leaves_them_empty() {
        let mut p = project();
        p.jobs_tenths = None;
        p.commune = None;
        p.application_summary = None;
        p.milestones.clear();
        let f = draft(&p);
        assert!(f.jobs_fte.is_empty() && f.communes.is_empty());
        assert_eq!(f.summary, "Supermarché coopératif et participatif.");
        assert!(!f.actions.contains('\n'));
    }
}
