//! The vocabularies of the accompaniment programme: stable codes (stored, in files and
//! URLs) and French labels.

vocabulary! {
    /// Where a project stands in its journey, in order.
    Stage {
        /// An idea being shaped.
        Idea = ("idee", "Idée"),
        /// Market study, business model, partners.
        Feasibility = ("faisabilite", "Faisabilité"),
        /// The structure is being created or has just been.
        Creation = ("creation", "Création"),
        /// First years of activity.
        Development = ("developpement", "Développement"),
        /// A lasting activity.
        Consolidation = ("consolidation", "Consolidation"),
    }
}

impl Stage {
    /// Its place in the journey, from 0.
    pub fn rank(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

vocabulary! {
    /// Who applies.
    ApplicantKind {
        /// A person carrying a project (possibly within a CAE).
        Person = ("personne", "Une personne porteuse de projet"),
        /// A young structure (association, cooperative, company).
        Structure = ("structure", "Une structure"),
    }
}

vocabulary! {
    /// What a cohort offers.
    CohortFormat {
        /// An individual and a collective pathway over about six months.
        Pathway = ("parcours", "Parcours individuel et collectif"),
        /// A number of consultancy hours.
        Consultancy = ("conseil", "Heures de conseil"),
    }
}

vocabulary! {
    /// Where an application stands.
    ApplicationState {
        /// Submitted, before the jury's decision.
        Submitted = ("deposee", "Déposée"),
        /// Selected: a project joins the cohort.
        Selected = ("retenue", "Retenue"),
        /// Not selected, with a reason.
        Declined = ("non_retenue", "Non retenue"),
    }
}

vocabulary! {
    /// An individual session's kind.
    SessionKind {
        /// A session of the individual pathway.
        Individual = ("individuel", "Accompagnement individuel"),
        /// Consultancy hours.
        Consultancy = ("conseil", "Conseil"),
    }
}

vocabulary! {
    /// A dated milestone of a project.
    MilestoneKind {
        /// The structure's legal creation (with its SIRET).
        LegalCreation = ("creation_juridique", "Création juridique"),
        /// The first person hired.
        FirstHire = ("premiere_embauche", "Première embauche"),
        /// The first customer or first sale.
        FirstCustomer = ("premier_client", "Premier client"),
        /// Funds raised (loan, grant, equity), with the amount.
        FundsRaised = ("fonds_leves", "Fonds levés"),
    }
}

vocabulary! {
    /// When an outcome is observed.
    OutcomeMoment {
        /// At the end of the accompaniment.
        End = ("fin", "À la fin de l'accompagnement"),
        /// Six months after the end.
        SixMonths = ("6_mois", "Six mois après"),
        /// Twelve months after the end.
        TwelveMonths = ("12_mois", "Douze mois après"),
    }
}

impl OutcomeMoment {
    /// Months after the cohort's end.
    pub fn months_after(self) -> u16 {
        match self {
            OutcomeMoment::End => 0,
            OutcomeMoment::SixMonths => 6,
            OutcomeMoment::TwelveMonths => 12,
        }
    }
}

vocabulary! {
    /// A participant's situation on the labour market at entry (FSE+ common indicators).
    EntryStatus {
        /// Employed, including self-employed.
        Employed = ("en_emploi", "En emploi (salarié ou indépendant)"),
        /// Unemployed for 12 months or more.
        LongUnemployed = ("chomeur_longue_duree", "Demandeur d'emploi depuis 12 mois ou plus"),
        /// Unemployed for less than 12 months.
        Unemployed = ("chomeur", "Demandeur d'emploi depuis moins de 12 mois"),
        /// Inactive, not in education or training.
        Inactive = ("inactif", "Inactif (ni en emploi, ni en recherche, ni en formation)"),
        /// In education or training.
        Training = ("en_formation", "En études ou en formation"),
    }
}

vocabulary! {
    /// The highest level of education attained (ISCED, grouped as FSE+ reports it).
    Education {
        /// ISCED 0–2: up to lower secondary (brevet, no diploma).
        Low = ("cite_0_2", "Jusqu'au brevet ou sans diplôme (CITE 0 à 2)"),
        /// ISCED 3–4: upper secondary and post-secondary (CAP, BEP, bac).
        Middle = ("cite_3_4", "CAP, BEP, baccalauréat (CITE 3 et 4)"),
        /// ISCED 5–8: higher education.
        High = ("cite_5_8", "Enseignement supérieur (CITE 5 à 8)"),
    }
}

vocabulary! {
    /// An answer to a sensitive question (disability, homelessness), which a participant
    /// may decline to give.
    Answer {
        /// Yes.
        Yes = ("oui", "Oui"),
        /// No.
        No = ("non", "Non"),
        /// The participant prefers not to answer.
        Declined = ("ne_se_prononce_pas", "Ne souhaite pas répondre"),
    }
}

vocabulary! {
    /// A participant's situation at exit or six months later (FSE+ result indicators).
    ExitStatus {
        /// Running the activity created (self-employed, manager, CAE entrepreneur).
        Created = ("activite_creee", "A créé son activité"),
        /// In employment.
        Employed = ("en_emploi", "En emploi salarié"),
        /// In education or training.
        Training = ("en_formation", "En formation"),
        /// Looking for work.
        Seeking = ("en_recherche", "En recherche d'emploi"),
        /// Inactive.
        Inactive = ("inactif", "Inactif"),
    }
}

/// The sex of a participant, as FSE+ counts it.
pub const SEXES: [(&str, &str); 2] = [("F", "Femme"), ("M", "Homme")];

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: Copy + PartialEq + std::fmt::Debug>(
        all: &[T],
        code: fn(T) -> &'static str,
        from: fn(&str) -> Option<T>,
    ) {
        let mut seen = std::collections::BTreeSet::new();
        for t in all {
            assert_eq!(from(code(*t)), Some(*t));
            assert!(seen.insert(code(*t)));
        }
        assert_eq!(from("inconnu"), None);
    }

    #[test]
    fn codes_round_trip_and_are_distinct() {
        check(Stage::ALL, Stage::code, Stage::from_code);
        check(
            ApplicantKind::ALL,
            ApplicantKind::code,
            ApplicantKind::from_code,
        );
        check(
            CohortFormat::ALL,
            CohortFormat::code,
            CohortFormat::from_code,
        );
        check(
            ApplicationState::ALL,
            ApplicationState::code,
            ApplicationState::from_code,
        );
        check(SessionKind::ALL, SessionKind::code, SessionKind::from_code);
        check(
            MilestoneKind::ALL,
            MilestoneKind::code,
            MilestoneKind::from_code,
        );
        check(
            OutcomeMoment::ALL,
            OutcomeMoment::code,
            OutcomeMoment::from_code,
        );
        check(EntryStatus::ALL, EntryStatus::code, EntryStatus::from_code);
        check(Education::ALL, Education::code, Education::from_code);
        check(Answer::ALL, Answer::code, Answer::from_code);
        check(ExitStatus::ALL, ExitStatus::code, ExitStatus::from_code);
    }

    #[test]
    fn stages_are_ranked_in_order() {
        let ranks: Vec<usize> = Stage::ALL.iter().map(|s| s.rank()).collect();
        assert_eq!(ranks, vec![0, 1, 2, 3, 4]);
    }
}
