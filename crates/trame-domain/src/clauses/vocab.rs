//! The vocabularies of insertion clauses (`../shared/DOMAIN.md`, Insertion): clause types,
//! ways of fulfilling, the publics eligible to clause hours, and outcomes. Each term has a
//! stable code (stored, in files and URLs) and a French label.

vocabulary! {
    /// How a contract carries its social consideration.
    ClauseType {
        /// An execution condition (CCP L2112-2): the awardee delivers insertion hours.
        Execution = ("condition_execution", "Condition d'exécution (art. L2112-2 du code de la commande publique)"),
        /// An award criterion on the insertion offer.
        AwardCriterion = ("critere_attribution", "Critère d'attribution"),
        /// A contract reserved to SIAE (L2113-13).
        ReservedSiae = ("reserve_siae", "Marché réservé aux SIAE (art. L2113-13)"),
        /// A contract reserved to EA and ESAT (L2113-12).
        ReservedEa = ("reserve_ea", "Marché réservé aux EA et ESAT (art. L2113-12)"),
    }
}

vocabulary! {
    /// A way of fulfilling the clause.
    Way {
        /// Direct hiring: CDD, CDI, aided or work-study contract.
        Hiring = ("embauche_directe", "Embauche directe (CDD, CDI, contrat aidé ou en alternance)"),
        /// Staff provided by an ETTI, an AI or a GEIQ.
        Provision = ("mise_a_disposition", "Mise à disposition par une ETTI, une AI ou un GEIQ"),
        /// Subcontracting to a SIAE.
        Subcontracting = ("sous_traitance_siae", "Sous-traitance à une SIAE"),
        /// Co-contracting with a SIAE.
        CoContracting = ("cotraitance_siae", "Cotraitance avec une SIAE"),
        /// The contract is reserved.
        Reserved = ("marche_reserve", "Marché réservé"),
    }
}

vocabulary! {
    /// The ground on which a person may work clause hours.
    Ground {
        /// Job seeker registered for 12 months or more.
        LongTermJobSeeker = ("demandeur_longue_duree", "Demandeur d'emploi inscrit depuis 12 mois ou plus"),
        /// RSA, ASS, AAH or invalidity allowance.
        Minima = ("minima_sociaux", "Bénéficiaire du RSA, de l'ASS, de l'AAH ou d'une pension d'invalidité"),
        /// Recognised disabled worker.
        Rqth = ("rqth", "Travailleur handicapé (RQTH)"),
        /// Under 26, out of school for 6 months or more.
        Young = ("jeune_moins_26", "Jeune de moins de 26 ans sorti du système scolaire depuis 6 mois ou plus"),
        /// In a SIAE, an EPIDE or an E2C.
        Siae = ("parcours_siae", "Personne en parcours dans une SIAE, un EPIDE ou une E2C"),
        /// Job seeker aged 50 or more.
        Senior = ("demandeur_50_ans", "Demandeur d'emploi de 50 ans ou plus"),
        /// Another person, on the reasoned opinion of France Travail, a Maison de
        /// l'emploi, a mission locale or the MDPH.
        ReasonedOpinion = ("avis_motive", "Autre personne, sur avis motivé (France Travail, Maison de l'emploi, mission locale, MDPH)"),
    }
}

vocabulary! {
    /// Where a person stands at the end of the mission, or 6 months later.
    Outcome {
        /// Permanent contract.
        Cdi = ("cdi", "CDI"),
        /// Fixed-term contract of 6 months or more.
        Cdd6 = ("cdd_6_mois", "CDD de 6 mois ou plus"),
        /// Temporary work.
        Interim = ("interim", "Intérim"),
        /// Training.
        Training = ("formation", "Formation"),
        /// Job seeker.
        JobSeeker = ("demandeur_emploi", "Demandeur d'emploi"),
        /// Anything else.
        Other = ("autre", "Autre"),
    }
}

vocabulary! {
    /// When an outcome is observed.
    Moment {
        /// At the end of the mission.
        End = ("fin", "À la fin de la mission"),
        /// Six months later.
        SixMonths = ("6_mois", "Six mois après"),
    }
}

vocabulary! {
    /// Who buys.
    BuyerKind {
        /// The territory itself.
        Territory = ("territoire", "Le territoire"),
        /// One of its communes.
        Commune = ("commune", "Une commune"),
        /// A social landlord.
        Landlord = ("bailleur_social", "Un bailleur social"),
        /// Any other public buyer.
        Other = ("autre", "Un autre acheteur public"),
    }
}

vocabulary! {
    /// Who wrote a line of hours.
    Source {
        /// The awardee, on its own pages.
        Company = ("entreprise", "Entreprise"),
        /// The facilitator.
        Facilitator = ("facilitateur", "Facilitateur"),
        /// A timesheet file.
        File = ("fichier", "Fichier"),
    }
}

vocabulary! {
    /// Where a line of hours stands.
    HoursState {
        /// Declared, waiting for the facilitator.
        Declared = ("declare", "À valider"),
        /// Validated: it counts.
        Validated = ("valide", "Validé"),
        /// Rejected, with a reason.
        Rejected = ("rejete", "Rejeté"),
    }
}

vocabulary! {
    /// How the hours of a SIAE subcontracted or co-contracted are counted (a territory
    /// setting).
    InvoiceConvention {
        /// The hours the SIAE's people actually worked.
        Hours = ("heures", "Les heures réellement travaillées"),
        /// The invoice converted: amount × labour share ÷ reference hourly cost.
        Invoice = ("facture", "Le montant facturé, converti en heures (montant × part de main-d'œuvre ÷ coût horaire de référence)"),
    }
}

/// The sex of a person, as the reports count it.
pub const SEXES: [(&str, &str); 2] = [("F", "Femme"), ("M", "Homme")];

/// The age band of a person born in `birth_year`, in `year`: the bands of the reports.
pub fn age_band(birth_year: i32, year: i32) -> &'static str {
    match year - birth_year {
        ..26 => "moins de 26 ans",
        26..50 => "26 à 49 ans",
        _ => "50 ans et plus",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_distinct() {
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
        check(ClauseType::ALL, ClauseType::code, ClauseType::from_code);
        check(Way::ALL, Way::code, Way::from_code);
        check(Ground::ALL, Ground::code, Ground::from_code);
        check(Outcome::ALL, Outcome::code, Outcome::from_code);
        check(Moment::ALL, Moment::code, Moment::from_code);
        check(BuyerKind::ALL, BuyerKind::code, BuyerKind::from_code);
        check(Source::ALL, Source::code, Source::from_code);
        check(HoursState::ALL, HoursState::code, HoursState::from_code);
        check(
            InvoiceConvention::ALL,
            InvoiceConvention::code,
            InvoiceConvention::from_code,
        );
    }

    #[test]
    fn age_bands() {
        assert_eq!(age_band(2001, 2026), "moins de 26 ans");
        assert_eq!(age_band(2000, 2026), "26 à 49 ans");
        assert_eq!(age_band(1977, 2026), "26 à 49 ans");
        assert_eq!(age_band(1976, 2026), "50 ans et plus");
    }
}
