//! The end of a file's retention: two years after the last contact, the scheduled job
//! anonymises it (names, notes, free texts and shares removed; birth year kept to the
//! decade; the coded data the figures count are kept) and writes a line of the
//! elimination register, which holds no personal data. Forum registrations are
//! anonymised a year after their forum.

use crate::audit::{Entry, record};
use crate::entities::{
    forum, forum_registration, path_barrier, path_elimination, path_file, path_referral,
    path_share, path_step,
};
use crate::{Scope, Store, StoreError};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::OffsetDateTime;
use trame_domain::audit::action;
use trame_domain::format::paris_day;
use trame_domain::pathways::pathway::{anonymised_birth_year, retention_cutoff};

/// What the register says of the legal basis.
pub const BASIS: &str =
    "Conservation limitée : deux ans après le dernier contact (RGPD, article 5.1.e)";

/// A line of the elimination register.
pub type EliminationRow = path_elimination::Model;

/// Anonymises every file whose last contact is more than two years before `now`, in the
/// job's transaction; returns how many.
pub(crate) async fn anonymise_expired<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let cutoff = retention_cutoff(paris_day(now)).to_string();
    let files = path_file::Entity::find()
        .filter(path_file::Column::AnonymisedAt.is_null())
        .filter(path_file::Column::LastContactOn.lt(cutoff))
        .order_by_asc(path_file::Column::Id)
        .all(tx)
        .await?;
    let n = files.len() as u64;
    for f in files {
        let id = f.id;
        path_elimination::ActiveModel {
            territory_id: Set(f.territory_id),
            file_id: Set(id),
            organisation_id: Set(f.organisation_id),
            entry_year: Set(f
                .entered_on
                .get(..4)
                .and_then(|y| y.parse().ok())
                .unwrap_or(0)),
            last_contact_on: Set(f.last_contact_on.clone()),
            eliminated_at: Set(now),
            basis: Set(BASIS.to_owned()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        path_share::Entity::delete_many()
            .filter(path_share::Column::FileId.eq(id))
            .exec(tx)
            .await?;
        path_barrier::Entity::update_many()
            .col_expr(path_barrier::Column::Note, Expr::value(""))
            .filter(path_barrier::Column::FileId.eq(id))
            .exec(tx)
            .await?;
        path_step::Entity::update_many()
            .col_expr(path_step::Column::Title, Expr::value(""))
            .filter(path_step::Column::FileId.eq(id))
            .exec(tx)
            .await?;
        path_referral::Entity::update_many()
            .col_expr(path_referral::Column::Message, Expr::value(""))
            .col_expr(path_referral::Column::Reason, Expr::value(""))
            .filter(path_referral::Column::FileId.eq(id))
            .exec(tx)
            .await?;
        forum_registration::Entity::update_many()
            .col_expr(
                forum_registration::Column::FirstName,
                Expr::value("Anonyme"),
            )
            .col_expr(
                forum_registration::Column::LastName,
                Expr::value(format!("n° {id}")),
            )
            .filter(forum_registration::Column::PathFileId.eq(id))
            .exec(tx)
            .await?;
        let territory = f.territory_id;
        let mut m: path_file::ActiveModel = f.clone().into();
        m.first_name = Set("Anonyme".to_owned());
        m.last_name = Set(format!("n° {id}"));
        m.birth_year = Set(anonymised_birth_year(f.birth_year));
        m.exit_note = Set(String::new());
        m.anonymised_at = Set(Some(now));
        m.updated_at = Set(now);
        m.update(tx).await?;
        record(
            tx,
            now,
            Entry::territory(
                None,
                territory,
                action::PATH_FILE_ANONYMISE,
                "path_file",
                id,
            ),
        )
        .await?;
    }
    Ok(n + anonymise_forum_registrations(tx, now).await?)
}

/// Forum registrations are kept a year after their forum (for the results), then their
/// names, email and phone are removed; the counts stay.
async fn anonymise_forum_registrations<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let cutoff = (paris_day(now) - time::Duration::days(365)).to_string();
    let old_forums = Query::select()
        .column(forum::Column::Id)
        .from(forum::Entity)
        .and_where(forum::Column::HeldOn.lt(cutoff))
        .to_owned();
    let r = forum_registration::Entity::update_many()
        .col_expr(
            forum_registration::Column::FirstName,
            Expr::value("Anonyme"),
        )
        .col_expr(forum_registration::Column::LastName, Expr::value(""))
        .col_expr(
            forum_registration::Column::Email,
            Expr::value(Option::<String>::None),
        )
        .col_expr(forum_registration::Column::Phone, Expr::value(""))
        .filter(forum_registration::Column::ForumId.in_subquery(old_forums))
        .filter(forum_registration::Column::FirstName.ne("Anonyme"))
        .exec(tx)
        .await?;
    Ok(r.rows_affected)
}

impl Store {
    /// The elimination register of a territory, newest first.
    pub async fn path_eliminations(&self, scope: Scope) -> Result<Vec<EliminationRow>, StoreError> {
        Ok(path_elimination::Entity::find()
            .filter(path_elimination::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_desc(path_elimination::Column::EliminatedAt)
            .order_by_desc(path_elimination::Column::Id)
            .all(&self.db)
            .await?)
    }
}
