//! The pathways' vocabularies.

vocabulary! {
    /// A barrier to employment, by theme: the codes are the data·inclusion categories of
    /// thématiques, so that a barrier finds the directory's services of its theme.
    Barrier {
        /// Getting about: licence, vehicle, transport.
        Mobility = ("mobilite", "Mobilité"),
        /// Reading, writing, the French language.
        French = ("lecture-ecriture-calcul", "Langue française, lecture, écriture"),
        /// Health.
        Health = ("sante", "Santé"),
        /// Housing.
        Housing = ("logement-hebergement", "Logement, hébergement"),
        /// Childcare and family.
        Childcare = ("famille", "Garde d'enfants, famille"),
        /// Digital skills and equipment.
        Digital = ("numerique", "Numérique"),
        /// Administrative or legal difficulties.
        Administrative = ("difficultes-administratives-ou-juridiques", "Démarches administratives"),
    }
}

vocabulary! {
    /// A step of a pathway.
    StepKind {
        /// The initial diagnosis.
        Diagnosis = ("diagnostic", "Diagnostic"),
        /// A training.
        Training = ("formation", "Formation"),
        /// Work experience in a SIAE (structure d'insertion par l'activité économique).
        Siae = ("siae", "Mise en situation de travail en SIAE"),
        /// A job.
        Job = ("emploi", "Emploi"),
        /// A support action (mobility, health, housing…).
        Support = ("accompagnement", "Action d'accompagnement"),
    }
}

vocabulary! {
    /// Where a step stands.
    StepStatus {
        /// Planned.
        Planned = ("prevue", "Prévue"),
        /// Under way.
        Ongoing = ("en_cours", "En cours"),
        /// Done.
        Done = ("realisee", "Réalisée"),
        /// Given up.
        Abandoned = ("abandonnee", "Abandonnée"),
    }
}

vocabulary! {
    /// Why a pathway ends, as PLIE practice codes it: the first four are positive exits.
    ExitReason {
        /// A permanent contract of at least half time.
        Cdi = ("cdi_mi_temps", "CDI d'au moins un mi-temps"),
        /// A fixed-term contract of six months or more.
        Cdd6 = ("cdd_6_mois", "CDD de 6 mois ou plus"),
        /// A qualifying training.
        Training = ("formation_qualifiante", "Formation qualifiante"),
        /// Setting up a business.
        Business = ("creation_entreprise", "Création d'entreprise"),
        /// Moved away.
        Moved = ("demenagement", "Déménagement"),
        /// Health.
        Health = ("sante", "Raisons de santé"),
        /// Dropped out.
        DropOut = ("abandon", "Abandon"),
        /// The pathway's time limit is reached.
        TimeLimit = ("duree_maximale", "Durée maximale atteinte"),
        /// Administrative exit (no longer eligible, other programme…).
        Administrative = ("administrative", "Sortie administrative"),
    }
}

impl ExitReason {
    /// Whether the exit counts as positive.
    pub fn positive(self) -> bool {
        matches!(
            self,
            ExitReason::Cdi | ExitReason::Cdd6 | ExitReason::Training | ExitReason::Business
        )
    }
}

vocabulary! {
    /// Where a referral stands.
    ReferralState {
        /// Sent, waiting for the receiving structure's answer.
        Sent = ("envoyee", "Envoyée"),
        /// Accepted by the receiving structure.
        Accepted = ("acceptee", "Acceptée"),
        /// Declined, with a reason.
        Declined = ("refusee", "Refusée"),
        /// Left unanswered for 30 days.
        Expired = ("expiree", "Expirée sans réponse"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::vocab::category_label;

    #[test]
    fn barriers_are_data_inclusion_categories() {
        for b in Barrier::ALL {
            assert!(category_label(b.code()).is_some(), "{}", b.code());
        }
    }

    #[test]
    fn codes_round_trip_and_are_distinct() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            code: fn(T) -> &'static str,
            from: fn(&str) -> Option<T>,
        ) {
            let mut seen = std::collections::HashSet::new();
            for t in all {
                assert!(seen.insert(code(*t)));
                assert_eq!(from(code(*t)), Some(*t));
            }
        }
        check(Barrier::ALL, Barrier::code, Barrier::from_code);
        check(StepKind::ALL, StepKind::code, StepKind::from_code);
        check(StepStatus::ALL, StepStatus::code, StepStatus::from_code);
        check(ExitReason::ALL, ExitReason::code, ExitReason::from_code);
        check(
            ReferralState::ALL,
            ReferralState::code,
            ReferralState::from_code,
        );
    }

    #[test]
    fn four_exits_are_positive() {
        let positive: Vec<_> = ExitReason::ALL.iter().filter(|e| e.positive()).collect();
        assert_eq!(positive.len(), 4);
        assert!(!ExitReason::DropOut.positive() && !ExitReason::TimeLimit.positive());
    }
}
