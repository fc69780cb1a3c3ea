//! Where a contract stands: hours done (validated) against its target, and the pace
//! against the share of its duration already elapsed. The alerts of the facilitator's
//! list and of the daily job come from here.

use time::Date;

/// Days before its end from which a contract short of its target is « ending soon ».
pub const ENDING_SOON_DAYS: i64 = 60;

/// A contract is « behind » when, past a quarter of its duration, it has done less than
/// this share of the hours its elapsed duration calls for (percent).
pub const BEHIND_BELOW_PERCENT: i64 = 80;

/// Where a contract stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Behind its pace: an alert.
    Behind,
    /// Ends within 60 days, short of its target: an alert.
    EndingSoon,
    /// Ended short of its target: an alert.
    EndedShort,
    /// Not started yet.
    NotStarted,
    /// On its pace.
    OnTrack,
    /// Target reached.
    Reached,
}

impl Status {
    /// The French label.
    pub const fn label(self) -> &'static str {
        match self {
            Status::Behind => "En retard",
            Status::EndingSoon => "Se termine bientôt",
            Status::EndedShort => "Terminé sans atteindre l'objectif",
            Status::NotStarted => "Pas encore commencé",
            Status::OnTrack => "Dans les temps",
            Status::Reached => "Objectif atteint",
        }
    }

    /// A stable code (CSS class, exports).
    pub const fn code(self) -> &'static str {
        match self {
            Status::Behind => "retard",
            Status::EndingSoon => "fin-proche",
            Status::EndedShort => "termine-court",
            Status::NotStarted => "a-venir",
            Status::OnTrack => "dans-les-temps",
            Status::Reached => "atteint",
        }
    }

    /// Whether the facilitator is alerted.
    pub const fn is_alert(self) -> bool {
        matches!(
            self,
            Status::Behind | Status::EndingSoon | Status::EndedShort
        )
    }
}

/// A contract's progress on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Target, whole hours.
    pub target_hours: i64,
    /// Validated hours, tenths.
    pub done_tenths: i64,
    /// Hours declared and not yet validated, tenths.
    pub pending_tenths: i64,
    /// Validated hours as a share of the target, percent (may pass 100).
    pub done_percent: i64,
    /// Share of the duration elapsed, percent (0 to 100).
    pub elapsed_percent: i64,
    /// Where it stands.
    pub status: Status,
}

impl Progress {
    /// The progress on `today` of a contract running from `starts` to `ends` (both
    /// included).
    pub fn of(
        target_hours: i64,
        done_tenths: i64,
        pending_tenths: i64,
        starts: Date,
        ends: Date,
        today: Date,
    ) -> Progress {
        let total_days = (ends - starts).whole_days() + 1;
        let elapsed_days = ((today - starts).whole_days() + 1).clamp(0, total_days.max(1));
        let elapsed_percent = elapsed_days * 100 / total_days.max(1);
        let target_tenths = target_hours.saturating_mul(10).max(0);
        let done_percent = if target_tenths == 0 {
            100
        } else {
            done_tenths.saturating_mul(100) / target_tenths
        };
        // Hours the elapsed time calls for, tenths.
        let expected =
            i128::from(target_tenths) * i128::from(elapsed_days) / i128::from(total_days.max(1));
        let status = if done_tenths >= target_tenths {
            Status::Reached
        } else if today > ends {
            Status::EndedShort
        } else if today < starts {
            Status::NotStarted
        } else if (ends - today).whole_days() < ENDING_SOON_DAYS {
            Status::EndingSoon
        } else if elapsed_percent >= 25
            && i128::from(done_tenths) * 100 < expected * i128::from(BEHIND_BELOW_PERCENT)
        {
            Status::Behind
        } else {
            Status::OnTrack
        };
        Progress {
            target_hours,
            done_tenths,
            pending_tenths,
            done_percent,
            elapsed_percent,
            status,
        }
    }

    /// The hours still to do, tenths (never negative).
    pub fn remaining_tenths(&self) -> i64 {
        (self.target_hours * 10 - self.done_tenths).max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const S: Date = date!(2026 - 01 - 01);
    const E: Date = date!(2026 - 12 - 31);

    #[test]
    fn statuses() {
        let p = |done, today| Progress::of(1000, done, 0, S, E, today).status;
        assert_eq!(p(0, date!(2025 - 12 - 01)), Status::NotStarted);
        assert_eq!(p(0, date!(2026 - 02 - 01)), Status::OnTrack);
        // Half the year gone, 300 h of the 500 due: behind.
        assert_eq!(p(3_000, date!(2026 - 07 - 01)), Status::Behind);
        assert_eq!(p(4_500, date!(2026 - 07 - 01)), Status::OnTrack);
        assert_eq!(p(9_000, date!(2026 - 11 - 15)), Status::EndingSoon);
        assert_eq!(p(9_000, date!(2027 - 01 - 15)), Status::EndedShort);
        assert_eq!(p(10_000, date!(2026 - 03 - 01)), Status::Reached);
        let q = Progress::of(1000, 2_505, 100, S, E, date!(2026 - 07 - 02));
        assert_eq!(q.done_percent, 25);
        assert_eq!(q.elapsed_percent, 50);
        assert_eq!(q.remaining_tenths(), 7_495);
    }

    proptest! {
        #[test]
        fn more_hours_never_worsen_the_status(
            target in 1i64..100_000,
            a in 0i64..2_000_000,
            b in 0i64..2_000_000,
            day in 0i64..800,
        ) {
            let today = S + time::Duration::days(day - 30);
            let (lo, hi) = (a.min(b), a.max(b));
            let p = Progress::of(target, lo, 0, S, E, today);
            let q = Progress::of(target, hi, 0, S, E, today);
            prop_assert!(q.done_percent >= p.done_percent);
            prop_assert!(!(p.status == Status::Reached && q.status != Status::Reached));
            prop_assert!((0..=100).contains(&p.elapsed_percent));
        }
    }
}
