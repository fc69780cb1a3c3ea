//! A project's journey: moving between stages, the individual sessions and collective
//! workshops of its cohort, its dated milestones and its outcomes.

use super::vocab::{MilestoneKind, OutcomeMoment, SessionKind, Stage};
use crate::clauses::contract::end_of;
use crate::clauses::hours::parse_tenths;
use crate::format::french_date;
use crate::identifiers::Siret;
use crate::interest::{date, text};
use crate::money::Euros;
use crate::organisation::FieldErrors;
use time::Date;

/// The shortest session or workshop, tenths of an hour (30 minutes).
pub const MIN_SESSION_TENTHS: i32 = 5;
/// The longest, tenths of an hour (a day of 8 hours).
pub const MAX_SESSION_TENTHS: i32 = 80;
/// The shortest reason for a skipped or backward stage, in characters.
pub const MIN_REASON: usize = 10;

/// The days of a cohort, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First day.
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Date,
}

impl Span {
    fn check(self, errors: &mut FieldErrors, field: &'static str, d: Date, today: Date) {
        if d < self.starts_on || d > self.ends_on {
            errors.insert(
                field,
                format!(
                    "La date doit être comprise dans la promotion, du {} au {}.",
                    french_date(self.starts_on),
                    french_date(self.ends_on)
                ),
            );
        } else if d > today {
            errors.insert(
                field,
                "On n'enregistre pas à l'avance : la date est à venir.".into(),
            );
        }
    }
}

/// Checks a move from `from` to `to`: one step forward needs nothing; a skipped stage or a
/// step back needs a reason of [`MIN_REASON`] characters or more. The fault is for the
/// field `reason` (or `stage`).
pub fn check_move(from: Stage, to: Stage, reason: &str) -> Result<(), (&'static str, String)> {
    let reason = reason.trim().chars().count();
    if from == to {
        return Err((
            "stage",
            format!("Le projet est déjà à l'étape « {} ».", to.label()),
        ));
    }
    if to.rank() == from.rank() + 1 || reason >= MIN_REASON {
        return Ok(());
    }
    if to.rank() < from.rank() {
        return Err((
            "reason",
            format!(
                "Revenir à l'étape « {} » demande une explication ({MIN_REASON} caractères au moins).",
                to.label()
            ),
        ));
    }
    let skipped: Vec<&str> = Stage::ALL
        .iter()
        .filter(|s| s.rank() > from.rank() && s.rank() < to.rank())
        .map(|s| s.label())
        .collect();
    Err((
        "reason",
        format!(
            "Le projet saute l'étape « {} » : expliquez pourquoi ({MIN_REASON} caractères au moins).",
            skipped.join(" », « ")
        ),
    ))
}

fn duration(errors: &mut FieldErrors, raw: &str) -> Option<i32> {
    match parse_tenths(raw) {
        None => {
            errors.insert(
                "duration",
                "Indiquez la durée en heures (par exemple 1,5).".into(),
            );
            None
        }
        Some(t) if t <= 0 => {
            errors.insert("duration", "La durée doit être positive.".into());
            None
        }
        Some(t) if t < MIN_SESSION_TENTHS => {
            errors.insert(
                "duration",
                "Une séance dure 30 minutes au moins (0,5 h).".into(),
            );
            None
        }
        Some(t) if t > MAX_SESSION_TENTHS => {
            errors.insert(
                "duration",
                "Une séance dure 8 heures au plus : notez plusieurs séances pour plusieurs jours."
                    .into(),
            );
            None
        }
        Some(t) => Some(t),
    }
}

/// An individual session as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct SessionInput {
    /// Day, `YYYY-MM-DD`.
    #[serde(default)]
    pub held_on: String,
    /// Hours, French decimal.
    #[serde(default)]
    pub duration: String,
    /// Code of [`SessionKind`].
    #[serde(default)]
    pub session_kind: String,
    /// What was worked on; seen by the project and its advisers only.
    #[serde(default)]
    pub summary: String,
}

/// A checked session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Day.
    pub held_on: Date,
    /// Tenths of an hour.
    pub tenths: i32,
    /// Kind.
    pub kind: SessionKind,
    /// Private summary.
    pub summary: String,
}

impl Session {
    /// Checks a session of a cohort spanning `span`, recorded on `today`.
    pub fn parse(input: &SessionInput, span: Span, today: Date) -> Result<Session, FieldErrors> {
        let mut errors = FieldErrors::new();
        let held_on = date(
            &mut errors,
            "held_on",
            &input.held_on,
            "la date de la séance",
            true,
        );
        if let Some(d) = held_on {
            span.check(&mut errors, "held_on", d, today);
        }
        let tenths = duration(&mut errors, &input.duration);
        let kind = SessionKind::from_code(input.session_kind.trim());
        if kind.is_none() {
            errors.insert("session_kind", "Choisissez le type de séance.".into());
        }
        let summary = text(
            &mut errors,
            "summary",
            &input.summary,
            "le compte rendu",
            4_000,
            true,
        );
        match (held_on, tenths, kind) {
            (Some(held_on), Some(tenths), Some(kind)) if errors.is_empty() => Ok(Session {
                held_on,
                tenths,
                kind,
                summary,
            }),
            _ => Err(errors),
        }
    }
}

/// A collective workshop as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct WorkshopInput {
    /// Day.
    #[serde(default)]
    pub held_on: String,
    /// Hours.
    #[serde(default)]
    pub duration: String,
    /// Theme (« Modèle économique », « Gouvernance coopérative »…).
    #[serde(default)]
    pub theme: String,
    /// Who ran it.
    #[serde(default)]
    pub speaker: String,
}

/// A checked workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workshop {
    /// Day.
    pub held_on: Date,
    /// Tenths of an hour.
    pub tenths: i32,
    /// Theme.
    pub theme: String,
    /// Speaker.
    pub speaker: String,
}

impl Workshop {
    /// Checks a workshop of a cohort spanning `span`. A workshop may be planned ahead, so
    /// only the cohort's days bound it.
    pub fn parse(input: &WorkshopInput, span: Span) -> Result<Workshop, FieldErrors> {
        let mut errors = FieldErrors::new();
        let held_on = date(
            &mut errors,
            "held_on",
            &input.held_on,
            "la date de l'atelier",
            true,
        );
        if let Some(d) = held_on {
            span.check(&mut errors, "held_on", d, span.ends_on);
        }
        let tenths = duration(&mut errors, &input.duration);
        let theme = text(&mut errors, "theme", &input.theme, "le thème", 200, true);
        let speaker = text(
            &mut errors,
            "speaker",
            &input.speaker,
            "l'intervenant",
            200,
            true,
        );
        match (held_on, tenths) {
            (Some(held_on), Some(tenths)) if errors.is_empty() => Ok(Workshop {
                held_on,
                tenths,
                theme,
                speaker,
            }),
            _ => Err(errors),
        }
    }
}

/// A milestone as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct MilestoneInput {
    /// Code of [`MilestoneKind`].
    #[serde(default)]
    pub milestone: String,
    /// Day it happened.
    #[serde(default)]
    pub reached_on: String,
    /// The new structure's SIRET (legal creation).
    #[serde(default)]
    pub siret: String,
    /// Amount raised, euros (funds raised).
    #[serde(default)]
    pub amount: String,
    /// A note, optional.
    #[serde(default)]
    pub note: String,
}

/// A checked milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    /// Kind.
    pub kind: MilestoneKind,
    /// Day.
    pub reached_on: Date,
    /// SIRET of a legal creation.
    pub siret: Option<Siret>,
    /// Amount of funds raised.
    pub amount: Option<Euros>,
    /// Note.
    pub note: String,
}

impl Milestone {
    /// Checks a milestone recorded on `today` (it has happened).
    pub fn parse(input: &MilestoneInput, today: Date) -> Result<Milestone, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = MilestoneKind::from_code(input.milestone.trim());
        if kind.is_none() {
            errors.insert("milestone", "Choisissez le jalon.".into());
        }
        let reached_on = date(
            &mut errors,
            "reached_on",
            &input.reached_on,
            "la date du jalon",
            true,
        );
        if reached_on.is_some_and(|d| d > today) {
            errors.insert(
                "reached_on",
                "Un jalon se note une fois atteint : la date est à venir.".into(),
            );
        }
        let siret = match (kind, input.siret.trim()) {
            (Some(MilestoneKind::LegalCreation), "") => {
                errors.insert("siret", "Indiquez le SIRET de la structure créée.".into());
                None
            }
            (_, "") => None,
            (_, raw) => match Siret::parse(raw) {
                Ok(s) => Some(s),
                Err(e) => {
                    errors.insert("siret", e.message);
                    None
                }
            },
        };
        let amount = match (kind, input.amount.trim()) {
            (Some(MilestoneKind::FundsRaised), "") => {
                errors.insert("amount", "Indiquez le montant levé.".into());
                None
            }
            (_, "") => None,
            (_, raw) => match Euros::parse(raw) {
                Ok(a) if a.cents() > 0 => Some(a),
                Ok(_) => {
                    errors.insert("amount", "Le montant doit être positif.".into());
                    None
                }
                Err(e) => {
                    errors.insert("amount", e.message);
                    None
                }
            },
        };
        let note = text(&mut errors, "note", &input.note, "la note", 500, false);
        match (kind, reached_on) {
            (Some(kind), Some(reached_on)) if errors.is_empty() => Ok(Milestone {
                kind,
                reached_on,
                siret,
                amount,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// An outcome as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct OutcomeInput {
    /// Code of [`OutcomeMoment`].
    #[serde(default)]
    pub moment: String,
    /// Day observed.
    #[serde(default)]
    pub observed_on: String,
    /// `oui` when the structure (or activity) is active.
    #[serde(default)]
    pub active: String,
    /// Jobs created, full-time equivalent, French decimal (`1,5`).
    #[serde(default)]
    pub jobs: String,
    /// Funds raised since the start, euros, optional.
    #[serde(default)]
    pub funds: String,
}

/// A checked outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Moment.
    pub moment: OutcomeMoment,
    /// Day observed.
    pub observed_on: Date,
    /// Active.
    pub active: bool,
    /// Jobs created, tenths of a full-time equivalent.
    pub jobs_tenths: i32,
    /// Funds raised.
    pub funds: Euros,
}

/// The first day an outcome at `moment` may be observed, for a cohort ending `ends_on`:
/// the end itself less a month (the last sessions), or 6 or 12 months after it less a
/// month.
pub fn first_observation(moment: OutcomeMoment, ends_on: Date) -> Date {
    let months = moment.months_after();
    if months == 0 {
        ends_on
            .checked_sub(time::Duration::days(30))
            .unwrap_or(ends_on)
    } else {
        end_of(ends_on, months - 1)
    }
}

impl Outcome {
    /// Checks an outcome of a project whose cohort ends `ends_on`, recorded on `today`.
    pub fn parse(input: &OutcomeInput, ends_on: Date, today: Date) -> Result<Outcome, FieldErrors> {
        let mut errors = FieldErrors::new();
        let moment = OutcomeMoment::from_code(input.moment.trim());
        if moment.is_none() {
            errors.insert("moment", "Choisissez le moment du suivi.".into());
        }
        let observed_on = date(
            &mut errors,
            "observed_on",
            &input.observed_on,
            "la date du constat",
            true,
        );
        if let (Some(m), Some(d)) = (moment, observed_on) {
            let first = first_observation(m, ends_on);
            if d > today {
                errors.insert(
                    "observed_on",
                    "Un constat se note une fois fait : la date est à venir.".into(),
                );
            } else if d < first {
                errors.insert(
                    "observed_on",
                    format!(
                        "Le suivi « {} » se note à partir du {}.",
                        m.label(),
                        french_date(first)
                    ),
                );
            }
        }
        let active = match input.active.trim() {
            "oui" => Some(true),
            "non" => Some(false),
            _ => {
                errors.insert("active", "Dites si l'activité est en cours.".into());
                None
            }
        };
        let jobs_tenths = match input.jobs.trim() {
            "" => Some(0),
            raw => match parse_tenths(raw) {
                Some(t) if (0..=9_999).contains(&t) => Some(t),
                Some(t) if t < 0 => {
                    errors.insert("jobs", "Le nombre d'emplois ne peut être négatif.".into());
                    None
                }
                _ => {
                    errors.insert(
                        "jobs",
                        "Indiquez les emplois créés en équivalents temps plein (par exemple 1,5)."
                            .into(),
                    );
                    None
                }
            },
        };
        let funds = match input.funds.trim() {
            "" => Some(Euros::from_cents(0)),
            raw => match Euros::parse(raw) {
                Ok(a) if a.cents() >= 0 => Some(a),
                Ok(_) => {
                    errors.insert("funds", "Le montant ne peut être négatif.".into());
                    None
                }
                Err(e) => {
                    errors.insert("funds", e.message);
                    None
                }
            },
        };
        match (moment, observed_on, active, jobs_tenths, funds) {
            (Some(moment), Some(observed_on), Some(active), Some(jobs_tenths), Some(funds))
                if errors.is_empty() =>
            {
                Ok(Outcome {
                    moment,
                    observed_on,
                    active,
                    jobs_tenths,
                    funds,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const SPAN: Span = Span {
        starts_on: date!(2026 - 03 - 02),
        ends_on: date!(2026 - 09 - 30),
    };
    const TODAY: Date = date!(2026 - 11 - 26);

    #[test]
    fn one_step_forward_needs_no_reason_a_skip_does() {
        assert!(check_move(Stage::Idea, Stage::Feasibility, "").is_ok());
        let (field, msg) = check_move(Stage::Idea, Stage::Creation, "").expect_err("skip");
        assert_eq!(field, "reason");
        assert!(msg.contains("« Faisabilité »"), "{msg}");
        assert!(check_move(Stage::Idea, Stage::Creation, "Étude déjà faite par la CAE").is_ok());
        assert!(check_move(Stage::Creation, Stage::Feasibility, "court").is_err());
        assert_eq!(
            check_move(Stage::Creation, Stage::Creation, "").map_err(|e| e.0),
            Err("stage")
        );
    }

    proptest! {
        #[test]
        fn a_move_without_reason_is_one_step_forward(a in 0usize..5, b in 0usize..5) {
            let (from, to) = (Stage::ALL[a], Stage::ALL[b]);
            prop_assert_eq!(check_move(from, to, "").is_ok(), b == a + 1);
        }
    }

    fn session() -> SessionInput {
        SessionInput {
            held_on: "2026-04-10".into(),
            duration: "1,5".into(),
            session_kind: "individuel".into(),
            summary: "Étude de marché : questionnaire.".into(),
        }
    }

    #[test]
    fn durations_must_be_plausible() {
        assert_eq!(
            Session::parse(&session(), SPAN, TODAY).map(|s| s.tenths),
            Ok(15)
        );
        for (raw, says) in [
            ("-2", "positive"),
            ("0", "positive"),
            ("0,2", "30 minutes"),
            ("12", "8 heures"),
            ("deux", "en heures"),
        ] {
            let e = Session::parse(
                &SessionInput {
                    duration: raw.into(),
                    ..session()
                },
                SPAN,
                TODAY,
            )
            .expect_err(raw);
            assert!(e["duration"].contains(says), "{raw}: {}", e["duration"]);
        }
    }

    #[test]
    fn sessions_happen_within_the_cohort_and_not_ahead() {
        let e = Session::parse(
            &SessionInput {
                held_on: "2026-10-01".into(),
                ..session()
            },
            SPAN,
            TODAY,
        )
        .expect_err("after");
        assert!(e["held_on"].contains("comprise dans la promotion"));
        let e = Session::parse(&session(), SPAN, date!(2026 - 04 - 01)).expect_err("ahead");
        assert!(e["held_on"].contains("à venir"));
        // A workshop may be planned ahead.
        let w = WorkshopInput {
            held_on: "2026-09-30".into(),
            duration: "3".into(),
            theme: "Gouvernance".into(),
            speaker: "Coopaname".into(),
        };
        assert!(Workshop::parse(&w, SPAN).is_ok());
        assert!(
            Workshop::parse(
                &WorkshopInput {
                    held_on: "2026-03-01".into(),
                    ..w
                },
                SPAN
            )
            .is_err()
        );
    }

    #[test]
    fn milestones_carry_what_they_need() {
        let e = Milestone::parse(
            &MilestoneInput {
                milestone: "creation_juridique".into(),
                reached_on: "2026-05-04".into(),
                ..Default::default()
            },
            TODAY,
        )
        .expect_err("no siret");
        assert!(e.contains_key("siret"));
        let m = Milestone::parse(
            &MilestoneInput {
                milestone: "fonds_leves".into(),
                reached_on: "2026-05-04".into(),
                amount: "15 000".into(),
                ..Default::default()
            },
            TODAY,
        )
        .expect("funds");
        assert_eq!(m.amount.map(|a| a.cents()), Some(1_500_000));
        assert!(
            Milestone::parse(
                &MilestoneInput {
                    milestone: "premier_client".into(),
                    reached_on: "2027-01-01".into(),
                    ..Default::default()
                },
                TODAY
            )
            .is_err()
        );
    }

    #[test]
    fn outcomes_are_observed_in_their_time() {
        let o = OutcomeInput {
            moment: "fin".into(),
            observed_on: "2026-09-30".into(),
            active: "oui".into(),
            jobs: "1,5".into(),
            funds: String::new(),
        };
        assert_eq!(
            Outcome::parse(&o, SPAN.ends_on, TODAY).map(|o| o.jobs_tenths),
            Ok(15)
        );
        let e = Outcome::parse(
            &OutcomeInput {
                moment: "6_mois".into(),
                ..o.clone()
            },
            SPAN.ends_on,
            TODAY,
        )
        .expect_err("too early");
        assert!(e["observed_on"].contains("à partir du"), "{e:?}");
        let e = Outcome::parse(
            &OutcomeInput {
                jobs: "-1".into(),
                ..o
            },
            SPAN.ends_on,
            TODAY,
        )
        .expect_err("negative");
        assert!(e.contains_key("jobs"));
    }
}
