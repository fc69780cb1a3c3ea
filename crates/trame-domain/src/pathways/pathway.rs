//! A participant's pathway: the file opened with consent, its days (36 months at most by
//! default), the barriers, the steps inside the pathway's days, and the exit.

use super::vocab::{Barrier, ExitReason, StepKind, StepStatus};
use crate::accompaniment::participant::{Entry, EntryInput};
use crate::accompaniment::vocab::ExitStatus;
use crate::clauses::vocab::Ground;
use crate::format::french_date;
use crate::interest::{date, text};
use crate::organisation::FieldErrors;
use time::{Date, Month};

/// The longest pathway by default, in months (PLIE practice).
pub const DEFAULT_MAX_MONTHS: u8 = 36;
/// How long before the pathway's last day the counsellor is warned, by default.
pub const DEFAULT_ALERT_DAYS: i64 = 90;

/// How long a file is kept after the last contact, in months (then it is anonymised).
pub const RETENTION_MONTHS: i32 = 24;

/// The last day of contact a file may have on `today` and still be kept: files whose
/// last contact is earlier are anonymised.
pub fn retention_cutoff(today: Date) -> Date {
    let total = today.year() * 12 + i32::from(u8::from(today.month())) - 1 - RETENTION_MONTHS;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = Month::try_from(u8::try_from(month0 + 1).unwrap_or(1)).unwrap_or(Month::January);
    Date::from_calendar_date(year, month, today.day().min(month.length(year))).unwrap_or(today)
}

/// A birth year as an anonymised file keeps it: the decade only.
pub fn anonymised_birth_year(year: i32) -> i32 {
    year.div_euclid(10) * 10
}

/// `d` plus `months`, on the same day of the month or the month's last day.
pub fn add_months(d: Date, months: u32) -> Date {
    let total = d.year() * 12 + i32::from(u8::from(d.month())) - 1 + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = Month::try_from(u8::try_from(month0 + 1).unwrap_or(1)).unwrap_or(Month::January);
    let last = month.length(year);
    Date::from_calendar_date(year, month, d.day().min(last)).unwrap_or(d)
}

/// The pathway's days: from entry to the day before the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days {
    /// Entry.
    pub entered_on: Date,
    /// The last day the pathway may last.
    pub ends_by: Date,
}

impl Days {
    /// The days of a pathway entered on `entered_on` that lasts `max_months` at most.
    pub fn of(entered_on: Date, max_months: u8) -> Days {
        Days {
            entered_on,
            ends_by: add_months(entered_on, u32::from(max_months))
                .previous_day()
                .unwrap_or(entered_on),
        }
    }

    /// Days left on `today` when the end is within `alert_days`, for the alert; `None`
    /// before that. Zero or less: the limit is reached.
    pub fn alert(self, today: Date, alert_days: i64) -> Option<i64> {
        let left = (self.ends_by - today).whole_days();
        (left <= alert_days).then_some(left)
    }

    fn check(self, errors: &mut FieldErrors, field: &'static str, d: Date) {
        if d < self.entered_on || d > self.ends_by {
            errors.insert(
                field,
                format!(
                    "La date doit être comprise dans le parcours, du {} au {}.",
                    french_date(self.entered_on),
                    french_date(self.ends_by)
                ),
            );
        }
    }
}

/// A participant's file as typed: who the person is with the data FSE+ asks at entry,
/// where they live, the entry criterion, and their consent.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct FileInput {
    /// The person and their FSE+ data at entry (`consent` included).
    #[serde(flatten)]
    pub entry: EntryInput,
    /// Commune of residence (INSEE code).
    #[serde(default)]
    pub commune: String,
    /// Entry criterion: a code of [`Ground`].
    #[serde(default)]
    pub ground: String,
}

/// A checked file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// The person and their FSE+ data at entry.
    pub entry: Entry,
    /// Commune of residence.
    pub commune: String,
    /// Entry criterion.
    pub ground: Ground,
}

impl File {
    /// Checks a file opened on `today` in a territory of `communes`: the person (checked
    /// as any FSE+ participant: names, sex, year of birth, entry not ahead, situation,
    /// education, consent) lives in one of them and meets an entry criterion.
    pub fn parse(input: &FileInput, communes: &[&str], today: Date) -> Result<File, FieldErrors> {
        let entry = Entry::parse(&input.entry, today);
        let mut errors = entry.as_ref().err().cloned().unwrap_or_default();
        let commune = input.commune.trim().to_owned();
        if !communes.contains(&commune.as_str()) {
            errors.insert(
                "commune",
                "Choisissez la commune de résidence parmi celles du territoire.".into(),
            );
        }
        let ground = Ground::from_code(input.ground.trim());
        if ground.is_none() {
            errors.insert(
                "ground",
                "Choisissez le critère d'entrée dans le parcours.".into(),
            );
        }
        match (entry, ground) {
            (Ok(entry), Some(ground)) if errors.is_empty() => Ok(File {
                entry,
                commune,
                ground,
            }),
            _ => Err(errors),
        }
    }
}

/// A barrier as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct BarrierInput {
    /// A code of [`Barrier`].
    #[serde(default)]
    pub barrier: String,
    /// What the counsellor noted (the form's `barrier_note`, apart from the exit's note
    /// on the same page).
    #[serde(default, rename = "barrier_note")]
    pub note: String,
}

/// A checked barrier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarrierEntry {
    /// Theme.
    pub barrier: Barrier,
    /// Note.
    pub note: String,
}

impl BarrierEntry {
    /// Checks a barrier.
    pub fn parse(input: &BarrierInput) -> Result<BarrierEntry, FieldErrors> {
        let mut errors = FieldErrors::new();
        let barrier = Barrier::from_code(input.barrier.trim());
        if barrier.is_none() {
            errors.insert("barrier", "Choisissez le thème du frein.".into());
        }
        let note = text(
            &mut errors,
            "barrier_note",
            &input.note,
            "la note",
            1_000,
            false,
        );
        match barrier {
            Some(barrier) if errors.is_empty() => Ok(BarrierEntry { barrier, note }),
            _ => Err(errors),
        }
    }
}

/// A step as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct StepInput {
    /// A code of [`StepKind`].
    #[serde(default)]
    pub step_kind: String,
    /// First day.
    #[serde(default)]
    pub starts_on: String,
    /// Last day, optional while under way.
    #[serde(default)]
    pub ends_on: String,
    /// A code of [`StepStatus`].
    #[serde(default)]
    pub status: String,
    /// What it is (the training, the SIAE, the employer…).
    #[serde(default)]
    pub title: String,
}

/// A checked step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Kind.
    pub kind: StepKind,
    /// First day.
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Option<Date>,
    /// Status.
    pub status: StepStatus,
    /// What it is.
    pub title: String,
}

impl Step {
    /// Checks a step of a pathway of `days` on `today`: its start and end inside the
    /// pathway's days, the end not before the start; a step done or given up has its
    /// end, a step done does not end in the future, and a step that has not started yet
    /// is « prévue ».
    pub fn parse(input: &StepInput, days: Days, today: Date) -> Result<Step, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = StepKind::from_code(input.step_kind.trim());
        if kind.is_none() {
            errors.insert("step_kind", "Choisissez le type d'étape.".into());
        }
        let status = StepStatus::from_code(input.status.trim());
        if status.is_none() {
            errors.insert("status", "Choisissez où en est l'étape.".into());
        }
        let title = text(
            &mut errors,
            "title",
            &input.title,
            "l'intitulé de l'étape",
            200,
            true,
        );
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
            false,
        );
        if let Some(d) = starts_on {
            days.check(&mut errors, "starts_on", d);
        }
        if let Some(e) = ends_on {
            if starts_on.is_some_and(|s| e < s) {
                errors.insert("ends_on", "La fin ne peut pas précéder le début.".into());
            } else {
                days.check(&mut errors, "ends_on", e);
            }
        }
        match status {
            Some(StepStatus::Done | StepStatus::Abandoned) if ends_on.is_none() => {
                errors.insert(
                    "ends_on",
                    "Une étape réalisée ou abandonnée a une date de fin.".into(),
                );
            }
            Some(StepStatus::Done) if ends_on.is_some_and(|e| e > today) => {
                errors.insert(
                    "ends_on",
                    "Une étape réalisée ne finit pas dans le futur.".into(),
                );
            }
            Some(StepStatus::Ongoing | StepStatus::Done)
                if starts_on.is_some_and(|s| s > today) =>
            {
                errors.insert(
                    "status",
                    "Une étape qui n'a pas commencé est « prévue ».".into(),
                );
            }
            _ => {}
        }
        match (kind, status, starts_on) {
            (Some(kind), Some(status), Some(starts_on)) if errors.is_empty() => Ok(Step {
                kind,
                starts_on,
                ends_on,
                status,
                title,
            }),
            _ => Err(errors),
        }
    }
}

/// An exit as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ExitInput {
    /// A code of [`ExitReason`].
    #[serde(default)]
    pub reason: String,
    /// Day of exit.
    #[serde(default)]
    pub exited_on: String,
    /// A note.
    #[serde(default)]
    pub note: String,
}

/// A checked exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    /// Why.
    pub reason: ExitReason,
    /// When.
    pub exited_on: Date,
    /// Note.
    pub note: String,
}

impl Exit {
    /// Checks an exit from a pathway of `days` recorded on `today`: a reason, a day inside
    /// the pathway and not in the future.
    pub fn parse(input: &ExitInput, days: Days, today: Date) -> Result<Exit, FieldErrors> {
        let mut errors = FieldErrors::new();
        let reason = ExitReason::from_code(input.reason.trim());
        if reason.is_none() {
            errors.insert(
                "reason",
                "Indiquez le motif de sortie : une sortie sans motif n'est pas enregistrée.".into(),
            );
        }
        let exited_on = date(
            &mut errors,
            "exited_on",
            &input.exited_on,
            "la date de sortie",
            true,
        );
        if let Some(d) = exited_on {
            if d > today {
                errors.insert(
                    "exited_on",
                    "La date de sortie ne peut pas être à venir.".into(),
                );
            } else {
                days.check(&mut errors, "exited_on", d);
            }
        }
        let note = text(&mut errors, "note", &input.note, "la note", 1_000, false);
        match (reason, exited_on) {
            (Some(reason), Some(exited_on)) if errors.is_empty() => Ok(Exit {
                reason,
                exited_on,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// The situation six months after the exit, not before its day.
pub fn check_follow_up(
    raw: &str,
    exited_on: Date,
    today: Date,
) -> Result<ExitStatus, (&'static str, String)> {
    let due = add_months(exited_on, 6);
    if today < due {
        return Err((
            "situation",
            format!(
                "La situation à six mois se note à partir du {}.",
                french_date(due)
            ),
        ));
    }
    ExitStatus::from_code(raw.trim()).ok_or((
        "situation",
        "Choisissez la situation à six mois.".to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 26);

    #[test]
    fn months_are_added_to_the_same_day_or_the_months_last() {
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2024 - 02 - 29), 36), date!(2027 - 02 - 28));
        assert_eq!(add_months(date!(2026 - 11 - 26), 36), date!(2029 - 11 - 26));
        assert_eq!(add_months(date!(2026 - 12 - 15), 1), date!(2027 - 01 - 15));
    }

    #[test]
    fn a_file_is_kept_two_years_after_the_last_contact() {
        assert_eq!(retention_cutoff(TODAY), date!(2024 - 11 - 26));
        assert_eq!(
            retention_cutoff(date!(2028 - 02 - 29)),
            date!(2026 - 02 - 28)
        );
        assert_eq!(anonymised_birth_year(1987), 1980);
    }

    #[test]
    fn a_pathway_lasts_36_months_and_warns_before_its_end() {
        let d = Days::of(date!(2024 - 01 - 15), DEFAULT_MAX_MONTHS);
        assert_eq!(d.ends_by, date!(2027 - 01 - 14));
        assert_eq!(d.alert(date!(2026 - 09 - 01), DEFAULT_ALERT_DAYS), None);
        assert_eq!(d.alert(TODAY, DEFAULT_ALERT_DAYS), Some(49));
        assert_eq!(
            d.alert(date!(2027 - 02 - 01), DEFAULT_ALERT_DAYS),
            Some(-18)
        );
    }

    fn file() -> FileInput {
        FileInput {
            entry: EntryInput {
                first_name: "Samir".into(),
                last_name: "Diallo".into(),
                sex: "M".into(),
                birth_year: "1988".into(),
                entered_on: "2026-03-02".into(),
                status: "chomeur_longue_duree".into(),
                education: "cite_0_2".into(),
                disability: "non".into(),
                homeless: "ne_se_prononce_pas".into(),
                consent: "oui".into(),
            },
            commune: "94028".into(),
            ground: "minima_sociaux".into(),
        }
    }

    #[test]
    fn a_file_needs_a_resident_a_criterion_and_consent() {
        assert!(File::parse(&file(), &["94028"], TODAY).is_ok());
        let mut bad = file();
        bad.commune = "75056".into();
        bad.ground = String::new();
        bad.entry.consent = String::new();
        bad.entry.birth_year = "2015".into();
        bad.entry.entered_on = "2027-01-01".into();
        let e = File::parse(&bad, &["94028"], TODAY).expect_err("refused");
        for f in ["commune", "ground", "consent", "birth_year", "entered_on"] {
            assert!(e.contains_key(f), "{f}: {e:?}");
        }
    }

    fn step() -> StepInput {
        StepInput {
            step_kind: "formation".into(),
            starts_on: "2026-04-06".into(),
            ends_on: "2026-06-26".into(),
            status: "realisee".into(),
            title: "Titre professionnel agent de propreté".into(),
        }
    }

    #[test]
    fn steps_stay_inside_the_pathway() {
        let days = Days::of(date!(2026 - 03 - 02), 36);
        assert!(Step::parse(&step(), days, TODAY).is_ok());
        for (input, field, says) in [
            (
                StepInput {
                    starts_on: "2026-01-05".into(),
                    ..step()
                },
                "starts_on",
                "comprise dans le parcours",
            ),
            (
                StepInput {
                    ends_on: "2029-06-01".into(),
                    status: "en_cours".into(),
                    ..step()
                },
                "ends_on",
                "comprise dans le parcours",
            ),
            (
                StepInput {
                    ends_on: "2026-04-01".into(),
                    ..step()
                },
                "ends_on",
                "précéder",
            ),
            (
                StepInput {
                    ends_on: "".into(),
                    ..step()
                },
                "ends_on",
                "date de fin",
            ),
            (
                StepInput {
                    starts_on: "2027-01-04".into(),
                    ends_on: "".into(),
                    status: "en_cours".into(),
                    ..step()
                },
                "status",
                "prévue",
            ),
            (
                StepInput {
                    step_kind: "stage".into(),
                    ..step()
                },
                "step_kind",
                "type",
            ),
        ] {
            let e = Step::parse(&input, days, TODAY).expect_err(field);
            assert!(
                e.get(field).is_some_and(|m| m.contains(says)),
                "{field}: {e:?}"
            );
        }
        // A planned step may lie ahead.
        let planned = StepInput {
            starts_on: "2027-01-04".into(),
            ends_on: "".into(),
            status: "prevue".into(),
            ..step()
        };
        assert!(Step::parse(&planned, days, TODAY).is_ok());
    }

    #[test]
    fn an_exit_needs_a_reason_and_a_day_inside_the_pathway() {
        let days = Days::of(date!(2026 - 03 - 02), 36);
        let good = ExitInput {
            reason: "cdd_6_mois".into(),
            exited_on: "2026-11-02".into(),
            note: String::new(),
        };
        let exit = Exit::parse(&good, days, TODAY).expect("an exit");
        assert!(exit.reason.positive());
        let e = Exit::parse(
            &ExitInput {
                reason: String::new(),
                ..good.clone()
            },
            days,
            TODAY,
        )
        .expect_err("no reason");
        assert!(e["reason"].contains("sans motif"));
        let e = Exit::parse(
            &ExitInput {
                exited_on: "2026-12-01".into(),
                ..good.clone()
            },
            days,
            TODAY,
        )
        .expect_err("ahead");
        assert!(e["exited_on"].contains("à venir"));
        let e = Exit::parse(
            &ExitInput {
                exited_on: "2026-02-01".into(),
                ..good
            },
            days,
            TODAY,
        )
        .expect_err("before entry");
        assert!(e["exited_on"].contains("comprise dans le parcours"));
    }

    #[test]
    fn the_six_month_situation_comes_in_its_time() {
        let exited = date!(2026 - 05 - 20);
        assert!(check_follow_up("en_emploi", exited, TODAY).is_ok());
        let (field, m) =
            check_follow_up("en_emploi", date!(2026 - 09 - 01), TODAY).expect_err("early");
        assert_eq!(field, "situation");
        assert!(m.contains("01/03/2027"), "{m}");
        assert!(check_follow_up("x", exited, TODAY).is_err());
    }
}
