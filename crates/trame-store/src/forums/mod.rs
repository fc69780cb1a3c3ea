//! Employment forums: created by the territory's team, with their employers and offers;
//! job seekers register online or through a counsellor, never beyond the capacity (a
//! place is taken by `UPDATE … SET registered = registered + 1 WHERE registered <
//! capacity`, in the transaction that writes the registration); check-in on the day;
//! interviews and hires recorded afterwards, each traced back to its forum.

mod results;

pub use results::FileForum;
pub(crate) use results::of_file;

use crate::audit::journal;
use crate::entities::{
    clause_contract, forum, forum_employer, forum_offer, forum_registration, forum_result,
};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;
use trame_domain::audit::action;
use trame_domain::format::paris_day;
use trame_domain::format::parse_iso_date;
use trame_domain::pathways::forum::{
    Employer, Forum, Offer, Registration, check_registration_open, full,
};

/// A forum as stored.
pub type ForumRow = forum::Model;
/// An employer as stored.
pub type EmployerRow = forum_employer::Model;
/// An offer as stored.
pub type OfferRow = forum_offer::Model;
/// A registration as stored.
pub type RegistrationRow = forum_registration::Model;
/// A result as stored.
pub type ResultRow = forum_result::Model;

/// A forum with its employers and their offers, as its public page shows it.
#[derive(Debug, Clone)]
pub struct ForumView {
    /// The forum.
    pub forum: ForumRow,
    /// The employers, by name, each with its offers.
    pub employers: Vec<(EmployerRow, Vec<OfferRow>)>,
}

fn conflict(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Conflict {
        field,
        message: message.into(),
    }
}

async fn forum_in<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    id: i64,
) -> Result<ForumRow, StoreError> {
    forum::Entity::find_by_id(id)
        .filter(forum::Column::TerritoryId.eq(scope.territory_id()))
        .first(db)
        .await?
        .ok_or(StoreError::NotFound)
}

fn day_of(f: &ForumRow) -> time::Date {
    parse_iso_date(&f.held_on).unwrap_or(time::Date::MIN)
}

/// Who takes a place: a registration typed online or by a counsellor, or a pathway's
/// participant.
#[derive(Debug, Clone)]
pub(crate) struct Seeker {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: String,
    pub commune: Option<String>,
    pub path_file: Option<i64>,
}

impl Seeker {
    fn of(r: &Registration) -> Seeker {
        Seeker {
            first_name: r.first_name.clone(),
            last_name: r.last_name.clone(),
            email: Some(r.email.as_str().to_owned()),
            phone: r.phone.clone(),
            commune: r.commune.clone(),
            path_file: None,
        }
    }
}

/// Takes a place and writes the registration, in `tx`: the conditional update refuses a
/// place beyond the capacity, whatever registers at the same time.
pub(crate) async fn take_place<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    forum_id: i64,
    r: &Seeker,
) -> Result<i64, StoreError> {
    let path_file = r.path_file;
    let f = forum_in(tx, scope, forum_id).await?;
    check_registration_open(day_of(&f), paris_day(now)).map_err(|(field, m)| conflict(field, m))?;
    let taken = forum::Entity::update_many()
        .col_expr(
            forum::Column::Registered,
            Expr::col(forum::Column::Registered).add(1),
        )
        .col_expr(forum::Column::UpdatedAt, Expr::value(now))
        .filter(forum::Column::Id.eq(forum_id))
        .filter(Expr::col(forum::Column::Registered).lt(Expr::col(forum::Column::Capacity)))
        .exec(tx)
        .await?;
    if taken.rows_affected == 0 {
        return Err(conflict("forum", full(f.capacity)));
    }
    let row = forum_registration::ActiveModel {
        territory_id: Set(scope.territory_id()),
        forum_id: Set(forum_id),
        first_name: Set(r.first_name.clone()),
        last_name: Set(r.last_name.clone()),
        email: Set(r.email.clone()),
        phone: Set(r.phone.clone()),
        commune_code: Set(r.commune.clone()),
        path_file_id: Set(path_file),
        registered_by: Set(actor),
        registered_at: Set(now),
        checked_in_at: Set(None),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(|e| match path_file {
        Some(_) => StoreError::unique_as(e, "forum", "La personne est déjà inscrite à ce forum."),
        None => StoreError::unique_as(e, "email", "Cette adresse est déjà inscrite à ce forum."),
    })?;
    journal(
        tx,
        now,
        actor,
        scope,
        action::FORUM_REGISTER,
        "forum_registration",
        row.id,
    )
    .await?;
    Ok(row.id)
}

impl Store {
    /// Creates a forum.
    pub async fn create_forum(
        &self,
        actor: i64,
        scope: Scope,
        f: &Forum,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let id = insert_forum(&tx, now, Some(actor), scope, f, false).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The territory's forums: the coming ones first (soonest first), then the past ones
    /// (latest first).
    pub async fn forums(&self, scope: Scope) -> Result<Vec<ForumRow>, StoreError> {
        let today = self.today().to_string();
        let mut rows = forum::Entity::find()
            .filter(forum::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_asc(forum::Column::HeldOn)
            .order_by_asc(forum::Column::Id)
            .all(&self.db)
            .await?;
        let split = rows.partition_point(|f| f.held_on < today);
        let mut past: Vec<ForumRow> = rows.drain(..split).collect();
        past.reverse();
        rows.extend(past);
        Ok(rows)
    }

    /// A forum with its employers and offers.
    pub async fn forum_view(&self, scope: Scope, id: i64) -> Result<ForumView, StoreError> {
        let forum = forum_in(&self.db, scope, id).await?;
        let employers = forum_employer::Entity::find()
            .filter(forum_employer::Column::ForumId.eq(id))
            .order_by_asc(forum_employer::Column::Name)
            .all(&self.db)
            .await?;
        let mut offers: HashMap<i64, Vec<OfferRow>> = HashMap::new();
        for o in forum_offer::Entity::find()
            .filter(forum_offer::Column::ForumId.eq(id))
            .order_by_asc(forum_offer::Column::Title)
            .all(&self.db)
            .await?
        {
            offers.entry(o.employer_id).or_default().push(o);
        }
        Ok(ForumView {
            forum,
            employers: employers
                .into_iter()
                .map(|e| {
                    let o = offers.remove(&e.id).unwrap_or_default();
                    (e, o)
                })
                .collect(),
        })
    }

    /// Adds an exhibiting employer.
    pub async fn add_forum_employer(
        &self,
        actor: i64,
        scope: Scope,
        forum_id: i64,
        e: &Employer,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        forum_in(&tx, scope, forum_id).await?;
        let id = insert_employer(&tx, now, Some(actor), scope, forum_id, e).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds an offer of an employer of the forum; an insertion-clause contract it comes
    /// from must be of the territory.
    pub async fn add_forum_offer(
        &self,
        actor: i64,
        scope: Scope,
        forum_id: i64,
        employer_id: i64,
        o: &Offer,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        forum_in(&tx, scope, forum_id).await?;
        let id = insert_offer(&tx, now, Some(actor), scope, forum_id, employer_id, o).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Registers a job seeker (online: no actor; or by a counsellor).
    pub async fn register_to_forum(
        &self,
        actor: Option<i64>,
        scope: Scope,
        forum_id: i64,
        r: &Registration,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let id = take_place(&tx, now, actor, scope, forum_id, &Seeker::of(r)).await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// Writes a forum, journaled.
pub(crate) async fn insert_forum<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    f: &Forum,
    is_demo: bool,
) -> Result<i64, StoreError> {
    let row = forum::ActiveModel {
        territory_id: Set(scope.territory_id()),
        title: Set(f.title.clone()),
        held_on: Set(f.held_on.to_string()),
        place: Set(f.place.clone()),
        commune_code: Set(f.commune.clone()),
        theme: Set(f.theme.clone()),
        capacity: Set(f.capacity),
        registered: Set(0),
        created_by: Set(actor),
        is_demo: Set(is_demo),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    journal(tx, now, actor, scope, action::FORUM_CREATE, "forum", row.id).await?;
    Ok(row.id)
}

/// Writes an employer of a forum, journaled.
pub(crate) async fn insert_employer<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    forum_id: i64,
    e: &Employer,
) -> Result<i64, StoreError> {
    let row = forum_employer::ActiveModel {
        territory_id: Set(scope.territory_id()),
        forum_id: Set(forum_id),
        name: Set(e.name.clone()),
        siret: Set(e.siret.as_str().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(|err| {
        StoreError::unique_as(err, "siret", "Cet employeur est déjà inscrit à ce forum.")
    })?;
    journal(
        tx,
        now,
        actor,
        scope,
        action::FORUM_EMPLOYER_CREATE,
        "forum_employer",
        row.id,
    )
    .await?;
    Ok(row.id)
}

/// Writes an offer of a forum's employer, journaled.
pub(crate) async fn insert_offer<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    forum_id: i64,
    employer_id: i64,
    o: &Offer,
) -> Result<i64, StoreError> {
    forum_employer::Entity::find_by_id(employer_id)
        .filter(forum_employer::Column::ForumId.eq(forum_id))
        .first(tx)
        .await?
        .ok_or_else(|| conflict("employer", "Choisissez un employeur de ce forum."))?;
    if let Some(c) = o.clause_contract {
        clause_contract::Entity::find_by_id(c)
            .filter(clause_contract::Column::TerritoryId.eq(scope.territory_id()))
            .first(tx)
            .await?
            .ok_or_else(|| {
                conflict(
                    "clause_contract",
                    "Choisissez un marché à clause d'insertion du territoire.",
                )
            })?;
    }
    let row = forum_offer::ActiveModel {
        territory_id: Set(scope.territory_id()),
        forum_id: Set(forum_id),
        employer_id: Set(employer_id),
        title: Set(o.title.clone()),
        contract: Set(o.contract.clone()),
        positions: Set(o.positions),
        clause_contract_id: Set(o.clause_contract),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    journal(
        tx,
        now,
        actor,
        scope,
        action::FORUM_OFFER_CREATE,
        "forum_offer",
        row.id,
    )
    .await?;
    Ok(row.id)
}

impl Store {
    /// The territory's insertion-clause contracts an offer may come from: (id, reference,
    /// object), by reference.
    pub async fn forum_contract_choices(
        &self,
        scope: Scope,
    ) -> Result<Vec<(i64, String, String)>, StoreError> {
        Ok(clause_contract::Entity::find()
            .filter(clause_contract::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_asc(clause_contract::Column::Reference)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.reference, c.object))
            .collect())
    }
}
