//! Employment forums: the public list and page of each forum with its offers and the
//! registration form; the team's pages to create a forum, add its employers and offers,
//! check people in on the day and record the interviews and hires.

pub mod manage;
pub mod public;

use trame_domain::format::{french_date, parse_iso_date};
use trame_store::forums::ForumRow;

/// A forum as the lists show it.
pub struct ForumLine {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Day, written out.
    pub day: String,
    /// Place and commune.
    pub place: String,
    /// Theme.
    pub theme: String,
    /// Places left.
    pub left: i32,
    /// Capacity.
    pub capacity: i32,
    /// Whether it is over.
    pub past: bool,
}

impl ForumLine {
    /// The line of a forum, on `today`, in a territory of `communes`.
    pub fn of(f: &ForumRow, today: time::Date, communes: &[(String, String)]) -> ForumLine {
        let day = parse_iso_date(&f.held_on);
        ForumLine {
            id: f.id,
            title: f.title.clone(),
            day: day.map_or_else(|| f.held_on.clone(), french_date),
            place: format!(
                "{}, {}",
                f.place,
                crate::pages::pathways::commune_name(communes, &f.commune_code)
            ),
            theme: f.theme.clone(),
            left: (f.capacity - f.registered).max(0),
            capacity: f.capacity,
            past: day.is_some_and(|d| d < today),
        }
    }
}
