//! A referral (orientation) of a participant to a service of the directory: sent by the
//! counsellor from a barrier, accepted or declined with a reason by the receiving
//! structure, and expired when left unanswered for [`EXPIRY_DAYS`] days.

use super::vocab::{Barrier, ReferralState};
use crate::organisation::FieldErrors;
use time::{Duration, OffsetDateTime};

/// Days a referral waits for its answer.
pub const EXPIRY_DAYS: i64 = 30;
/// The shortest reason for declining.
pub const MIN_REASON: usize = 10;

/// What the directory says of the service a referral goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Whether it is published (not archived, not withdrawn).
    pub open: bool,
    /// Its data·inclusion thématiques.
    pub thematiques: Vec<String>,
    /// The places of its zone d'éligibilité (INSEE codes, département, territory's
    /// SIREN, `france`); empty: the whole territory.
    pub zones: Vec<String>,
}

/// Checks a referral from `barrier` to a service, for a participant whose commune lies in
/// the zones `commune_zones` (see [`crate::directory::listing::Place::zone_codes`]): the
/// service must be open, serve one of those zones and work on the barrier's theme. The
/// fault is for the field `service`.
pub fn check_target(
    barrier: Barrier,
    commune_zones: &[String],
    target: &Target,
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    if !target.open {
        errors.insert(
            "service",
            "Ce service est archivé ou retiré de l'annuaire : choisissez un service ouvert.".into(),
        );
    } else if !target.zones.is_empty() && !target.zones.iter().any(|z| commune_zones.contains(z)) {
        errors.insert(
            "service",
            "Ce service n'est pas ouvert aux habitants de la commune de la personne.".into(),
        );
    } else if !target
        .thematiques
        .iter()
        .any(|t| crate::directory::vocab::category_of(t) == barrier.code())
    {
        errors.insert(
            "service",
            format!("Ce service ne traite pas le frein « {} ».", barrier.label()),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Where a referral stands at `now`: a referral still waiting after [`EXPIRY_DAYS`] days
/// has expired, whatever is stored.
pub fn state_at(
    stored: ReferralState,
    sent_at: OffsetDateTime,
    now: OffsetDateTime,
) -> ReferralState {
    if stored == ReferralState::Sent && now >= expires_at(sent_at) {
        ReferralState::Expired
    } else {
        stored
    }
}

/// When a referral sent at `sent_at` expires.
pub fn expires_at(sent_at: OffsetDateTime) -> OffsetDateTime {
    sent_at + Duration::days(EXPIRY_DAYS)
}

/// The receiving structure's answer as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct AnswerInput {
    /// `acceptee` or `refusee`.
    #[serde(default)]
    pub answer: String,
    /// Why, when declined.
    #[serde(default)]
    pub reason: String,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The new state: accepted or declined.
    pub state: ReferralState,
    /// Why it was declined (empty when accepted).
    pub reason: String,
}

impl Answer {
    /// Checks an answer to a referral that stands at `current`: only a waiting referral
    /// is answered, and a refusal says why.
    pub fn parse(input: &AnswerInput, current: ReferralState) -> Result<Answer, FieldErrors> {
        let mut errors = FieldErrors::new();
        match current {
            ReferralState::Sent => {}
            ReferralState::Expired => {
                errors.insert(
                    "answer",
                    "Cette orientation a expiré sans réponse : le conseiller peut en envoyer une nouvelle."
                        .into(),
                );
                return Err(errors);
            }
            _ => {
                errors.insert("answer", "Cette orientation a déjà reçu sa réponse.".into());
                return Err(errors);
            }
        }
        let reason = input.reason.trim().to_owned();
        let state = match ReferralState::from_code(input.answer.trim()) {
            Some(s @ ReferralState::Accepted) => Some(s),
            Some(s @ ReferralState::Declined) => {
                if reason.chars().count() < MIN_REASON {
                    errors.insert(
                        "reason",
                        format!("Un refus dit pourquoi ({MIN_REASON} caractères au moins)."),
                    );
                }
                Some(s)
            }
            _ => {
                errors.insert("answer", "Acceptez ou refusez l'orientation.".into());
                None
            }
        };
        if reason.chars().count() > 1_000 {
            errors.insert("reason", "Le motif : 1 000 caractères au plus.".into());
        }
        match state {
            Some(state) if errors.is_empty() => Ok(Answer {
                state,
                reason: if state == ReferralState::Accepted {
                    String::new()
                } else {
                    reason
                },
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn zones(commune: &str) -> Vec<String> {
        vec![commune.to_owned(), "94".to_owned(), "france".to_owned()]
    }

    fn mobility() -> Target {
        Target {
            open: true,
            thematiques: vec!["mobilite--preparer-un-permis".into()],
            zones: vec!["94028".into(), "94011".into()],
        }
    }

    #[test]
    fn a_referral_goes_to_an_open_service_of_the_theme_and_the_commune() {
        assert!(check_target(Barrier::Mobility, &zones("94028"), &mobility()).is_ok());
        let everywhere = Target {
            zones: vec![],
            ..mobility()
        };
        assert!(check_target(Barrier::Mobility, &zones("94071"), &everywhere).is_ok());
        for (barrier, commune, target, says) in [
            (
                Barrier::Mobility,
                "94028",
                Target {
                    open: false,
                    ..mobility()
                },
                "archivé",
            ),
            (Barrier::Mobility, "94071", mobility(), "commune"),
            (Barrier::Housing, "94028", mobility(), "Logement"),
        ] {
            let e = check_target(barrier, &zones(commune), &target).expect_err(says);
            assert!(e["service"].contains(says), "{says}: {e:?}");
        }
    }

    #[test]
    fn a_referral_expires_after_thirty_days_without_answer() {
        let sent = datetime!(2026-10-01 10:00 UTC);
        assert_eq!(
            state_at(ReferralState::Sent, sent, datetime!(2026-10-31 09:59 UTC)),
            ReferralState::Sent
        );
        assert_eq!(
            state_at(ReferralState::Sent, sent, datetime!(2026-10-31 10:00 UTC)),
            ReferralState::Expired
        );
        assert_eq!(
            state_at(
                ReferralState::Accepted,
                sent,
                datetime!(2027-01-01 0:00 UTC)
            ),
            ReferralState::Accepted
        );
    }

    #[test]
    fn a_refusal_says_why_and_only_a_waiting_referral_is_answered() {
        let accept = AnswerInput {
            answer: "acceptee".into(),
            reason: String::new(),
        };
        assert_eq!(
            Answer::parse(&accept, ReferralState::Sent).map(|a| a.state),
            Ok(ReferralState::Accepted)
        );
        let decline = AnswerInput {
            answer: "refusee".into(),
            reason: "Complet".into(),
        };
        assert!(
            Answer::parse(&decline, ReferralState::Sent).expect_err("short")["reason"]
                .contains("pourquoi")
        );
        let decline = AnswerInput {
            reason: "Plus de place avant mars.".into(),
            ..decline
        };
        assert_eq!(
            Answer::parse(&decline, ReferralState::Sent).map(|a| a.state),
            Ok(ReferralState::Declined)
        );
        assert!(
            Answer::parse(&accept, ReferralState::Expired).expect_err("expired")["answer"]
                .contains("expiré")
        );
        assert!(
            Answer::parse(&accept, ReferralState::Declined).expect_err("answered")["answer"]
                .contains("déjà")
        );
        assert!(Answer::parse(&AnswerInput::default(), ReferralState::Sent).is_err());
    }
}
