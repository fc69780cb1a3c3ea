//! A forum's registrations, check-in on the day, the interviews and hires recorded
//! afterwards, what a pathway participant's registrations came to, and the hires per
//! commune for the equity dashboard.

use super::{ForumRow, RegistrationRow, ResultRow, conflict, day_of, forum_in};
use crate::audit::journal;
use crate::entities::{forum, forum_employer, forum_offer, forum_registration, forum_result};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;
use trame_domain::audit::action;
use trame_domain::format::paris_day;
use trame_domain::pathways::forum::{ForumResult, check_on_or_after};

impl Store {
    /// A forum's registrations, by name, for the team. The read is logged.
    pub async fn forum_registrations(
        &self,
        viewer: i64,
        scope: Scope,
        forum_id: i64,
    ) -> Result<Vec<RegistrationRow>, StoreError> {
        forum_in(&self.db, scope, forum_id).await?;
        let rows = forum_registration::Entity::find()
            .filter(forum_registration::Column::ForumId.eq(forum_id))
            .order_by_asc(forum_registration::Column::LastName)
            .order_by_asc(forum_registration::Column::FirstName)
            .order_by_asc(forum_registration::Column::Id)
            .all(&self.db)
            .await?;
        self.log_access(
            viewer,
            Some(scope.territory_id()),
            "forum_registration.list",
            &format!("forum:{forum_id}"),
        )
        .await?;
        Ok(rows)
    }

    /// A forum's results, oldest first.
    pub async fn forum_results(
        &self,
        scope: Scope,
        forum_id: i64,
    ) -> Result<Vec<ResultRow>, StoreError> {
        forum_in(&self.db, scope, forum_id).await?;
        Ok(forum_result::Entity::find()
            .filter(forum_result::Column::ForumId.eq(forum_id))
            .order_by_asc(forum_result::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Notes that a registered person came, on or after the forum's day.
    pub async fn check_in_forum(
        &self,
        actor: i64,
        scope: Scope,
        forum_id: i64,
        registration_id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let f = forum_in(&tx, scope, forum_id).await?;
        check_on_or_after(day_of(&f), paris_day(now)).map_err(|(field, m)| conflict(field, m))?;
        let r = registration_in(&tx, forum_id, registration_id).await?;
        if r.checked_in_at.is_some() {
            return Err(conflict("registration", "Sa présence est déjà notée."));
        }
        let mut m: forum_registration::ActiveModel = r.into();
        m.checked_in_at = Set(Some(now));
        m.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(actor),
            scope,
            action::FORUM_CHECK_IN,
            "forum_registration",
            registration_id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records an interview or a hire that came of the forum.
    pub async fn record_forum_result(
        &self,
        actor: i64,
        scope: Scope,
        forum_id: i64,
        res: &ForumResult,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let f = forum_in(&tx, scope, forum_id).await?;
        check_on_or_after(day_of(&f), paris_day(now)).map_err(|(field, m)| conflict(field, m))?;
        registration_in(&tx, forum_id, res.registration)
            .await
            .map_err(|_| {
                conflict(
                    "registration",
                    "Choisissez une personne inscrite à ce forum.",
                )
            })?;
        forum_employer::Entity::find_by_id(res.employer)
            .filter(forum_employer::Column::ForumId.eq(forum_id))
            .first(&tx)
            .await?
            .ok_or_else(|| conflict("employer", "Choisissez un employeur présent à ce forum."))?;
        if let Some(o) = res.offer {
            forum_offer::Entity::find_by_id(o)
                .filter(forum_offer::Column::EmployerId.eq(res.employer))
                .first(&tx)
                .await?
                .ok_or_else(|| conflict("offer", "Choisissez une offre de cet employeur."))?;
        }
        let row = forum_result::ActiveModel {
            territory_id: Set(scope.territory_id()),
            forum_id: Set(forum_id),
            registration_id: Set(res.registration),
            employer_id: Set(res.employer),
            offer_id: Set(res.offer),
            kind: Set(res.kind.code().to_owned()),
            recorded_by: Set(actor),
            recorded_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await
        .map_err(|e| StoreError::unique_as(e, "kind", "Ce résultat est déjà enregistré."))?;
        journal(
            &tx,
            now,
            Some(actor),
            scope,
            action::FORUM_RESULT,
            "forum_result",
            row.id,
        )
        .await?;
        tx.commit().await?;
        Ok(row.id)
    }
}

async fn registration_in<C: ConnectionTrait>(
    db: &C,
    forum_id: i64,
    id: i64,
) -> Result<RegistrationRow, StoreError> {
    forum_registration::Entity::find_by_id(id)
        .filter(forum_registration::Column::ForumId.eq(forum_id))
        .first(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// A pathway participant's registration to a forum, with what came of it.
#[derive(Debug, Clone)]
pub struct FileForum {
    /// The forum.
    pub forum: ForumRow,
    /// The registration.
    pub registration: RegistrationRow,
    /// Interviews and hires, with the employer's name.
    pub results: Vec<(ResultRow, String)>,
}

pub(crate) async fn of_file<C: ConnectionTrait>(
    db: &C,
    file_id: i64,
) -> Result<Vec<FileForum>, StoreError> {
    let regs = forum_registration::Entity::find()
        .filter(forum_registration::Column::PathFileId.eq(file_id))
        .all(db)
        .await?;
    let forums: HashMap<i64, ForumRow> = forum::Entity::find()
        .filter(forum::Column::Id.is_in(regs.iter().map(|r| r.forum_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let results = forum_result::Entity::find()
        .filter(forum_result::Column::RegistrationId.is_in(regs.iter().map(|r| r.id)))
        .order_by_asc(forum_result::Column::Id)
        .all(db)
        .await?;
    let employers: HashMap<i64, String> = forum_employer::Entity::find()
        .filter(forum_employer::Column::Id.is_in(results.iter().map(|r| r.employer_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let mut out: Vec<FileForum> = regs
        .into_iter()
        .filter_map(|registration| {
            let forum = forums.get(&registration.forum_id)?.clone();
            let results = results
                .iter()
                .filter(|r| r.registration_id == registration.id)
                .map(|r| {
                    (
                        r.clone(),
                        employers.get(&r.employer_id).cloned().unwrap_or_default(),
                    )
                })
                .collect();
            Some(FileForum {
                forum,
                registration,
                results,
            })
        })
        .collect();
    out.sort_by(|a, b| b.forum.held_on.cmp(&a.forum.held_on));
    Ok(out)
}

impl Store {
    /// Hires that came of the territory's forums, per commune of residence of the person
    /// hired (INSEE code).
    pub async fn forum_hires_by_commune(
        &self,
        scope: Scope,
    ) -> Result<std::collections::BTreeMap<String, i64>, StoreError> {
        let hires = forum_result::Entity::find()
            .filter(forum_result::Column::TerritoryId.eq(scope.territory_id()))
            .filter(
                forum_result::Column::Kind
                    .eq(trame_domain::pathways::forum::ResultKind::Hire.code()),
            )
            .all(&self.db)
            .await?;
        let communes: HashMap<i64, Option<String>> = forum_registration::Entity::find()
            .filter(forum_registration::Column::Id.is_in(hires.iter().map(|h| h.registration_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.id, r.commune_code))
            .collect();
        let mut out = std::collections::BTreeMap::new();
        for h in hires {
            if let Some(Some(c)) = communes.get(&h.registration_id) {
                *out.entry(c.clone()).or_default() += 1;
            }
        }
        Ok(out)
    }
}
