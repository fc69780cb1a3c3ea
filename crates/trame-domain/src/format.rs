//! French number formatting for people: `93 397` with a narrow no-break space.

/// Groups the digits of `n` by thousands with a narrow no-break space.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_dates() {
        use time::macros::date;
        assert_eq!(long_french_date(date!(2017 - 12 - 13)), "13 décembre 2017");
        assert_eq!(long_french_date(date!(2026 - 01 - 01)), "1er janvier 2026");
        assert_eq!(long_french_date(date!(2024 - 08 - 31)), "31 août 2024");
    }

    #[test]
    fn groups() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(93_397), "93\u{202f}397");
        assert_eq!(group_digits(1_234_567), "1\u{202f}234\u{202f}567");
    }
}

/// Metropolitan France's offset from UTC at `utc`: +2 h from the last Sunday of March
/// 01:00 UTC to the last Sunday of October 01:00 UTC (EU rule since 1996), +1 h otherwise.
pub fn paris_offset(utc: time::OffsetDateTime) -> time::UtcOffset {
    let utc = utc.to_offset(time::UtcOffset::UTC);
    let year = utc.year();
    let start = last_sunday_1am_utc(year, time::Month::March);
    let end = last_sunday_1am_utc(year, time::Month::October);
    let hours = match (start, end) {
        (Some(s), Some(e)) if utc >= s && utc < e => 2,
        _ => 1,
    };
    time::UtcOffset::from_hms(hours, 0, 0).unwrap_or(time::UtcOffset::UTC)
}

/// The calendar day of an instant in Paris: the territory's "today", which is the next
/// day from 23:00 UTC in winter (22:00 in summer).
pub fn paris_day(utc: time::OffsetDateTime) -> time::Date {
    utc.to_offset(paris_offset(utc)).date()
}

fn last_sunday_1am_utc(year: i32, month: time::Month) -> Option<time::OffsetDateTime> {
    let last = time::Date::from_calendar_date(year, month, 31).ok()?;
    let back = last.weekday().number_days_from_sunday();
    let sunday = last - time::Duration::days(i64::from(back));
    Some(sunday.with_hms(1, 0, 0).ok()?.assume_utc())
}

/// A date as a form sends it (`<input type="date">`): `2026-11-26`.
pub fn parse_iso_date(raw: &str) -> Option<time::Date> {
    time::Date::parse(
        raw.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// A calendar date as people in France read it: `26/11/2026`.
pub fn french_date(d: time::Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// A calendar date written out as in a deliberation: `13 décembre 2017`, `1er janvier 2026`.
pub fn long_french_date(d: time::Date) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let day = if d.day() == 1 {
        "1er".to_owned()
    } else {
        d.day().to_string()
    };
    let month = MONTHS
        .get(usize::from(u8::from(d.month())).saturating_sub(1))
        .copied()
        .unwrap_or_default();
    format!("{day} {month} {}", d.year())
}

/// An instant as people in metropolitan France read it: `26/11/2026 à 13:18`.
pub fn paris_datetime(utc: time::OffsetDateTime) -> String {
    let local = utc.to_offset(paris_offset(utc));
    format!(
        "{:02}/{:02}/{} à {:02}:{:02}",
        local.day(),
        u8::from(local.month()),
        local.year(),
        local.hour(),
        local.minute()
    )
}

#[cfg(test)]
mod paris_tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn summer_and_winter_time() {
        assert_eq!(
            paris_datetime(datetime!(2026-11-26 12:18 UTC)),
            "26/11/2026 à 13:18"
        );
        assert_eq!(
            paris_datetime(datetime!(2026-07-14 08:00 UTC)),
            "14/07/2026 à 10:00"
        );
        // 2026: summer time from Sunday 29 March 01:00 UTC to Sunday 25 October 01:00 UTC.
        assert_eq!(
            paris_datetime(datetime!(2026-03-29 00:59 UTC)),
            "29/03/2026 à 01:59"
        );
        assert_eq!(
            paris_datetime(datetime!(2026-03-29 01:00 UTC)),
            "29/03/2026 à 03:00"
        );
        assert_eq!(
            paris_datetime(datetime!(2026-10-25 00:59 UTC)),
            "25/10/2026 à 02:59"
        );
        assert_eq!(
            paris_datetime(datetime!(2026-10-25 01:00 UTC)),
            "25/10/2026 à 02:00"
        );
    }
}
