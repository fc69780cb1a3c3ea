//! The people who work clause hours. Their personal data is read by the facilitators and
//! by the organisation that referred them, and every read is in the access log.

use crate::audit::journal;
use crate::entities::{clause_person, organisation};
use crate::funding::awards::paris_day;
use crate::{Scope, Store, StoreError};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use trame_domain::audit::action;
use trame_domain::clauses::person::Person;

/// A person as stored.
pub type PersonRow = clause_person::Model;

/// Whose people a reader sees.
#[derive(Debug, Clone, Copy)]
pub enum PeopleOf<'a> {
    /// Everyone (facilitators).
    All,
    /// Those referred by these organisations (a partner).
    Referred(&'a [i64]),
}

impl PeopleOf<'_> {
    fn sees(self, p: &PersonRow) -> bool {
        match self {
            PeopleOf::All => true,
            PeopleOf::Referred(orgs) => p.referring_org_id.is_some_and(|o| orgs.contains(&o)),
        }
    }
}

pub(crate) async fn insert_person<C: sea_orm::ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    p: &Person,
    is_demo: bool,
) -> Result<i64, StoreError> {
    if let Some(org) = p.referring_org {
        organisation::Entity::find_by_id(org)
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .one(tx)
            .await?
            .ok_or(StoreError::Conflict {
                field: "referring_org",
                message: "Choisissez l'organisation prescriptrice parmi celles du territoire."
                    .into(),
            })?;
    }
    let row = clause_person::ActiveModel {
        territory_id: Set(scope.territory_id()),
        first_name: Set(p.first_name.clone()),
        last_name: Set(p.last_name.clone()),
        sex: Set(p.sex.to_owned()),
        birth_year: Set(p.birth_year),
        commune_code: Set(p.commune_code.clone()),
        ground: Set(p.ground.code().to_owned()),
        proof: Set(p.proof.clone()),
        validated_by: Set(actor),
        validated_on: Set(Some(paris_day(now).to_string())),
        referring_org_id: Set(p.referring_org),
        is_demo: Set(is_demo),
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
        action::CLAUSE_PERSON_CREATE,
        "clause_person",
        row.id,
    )
    .await?;
    Ok(row.id)
}

impl Store {
    /// Records a person, their eligibility validated by `actor_id` today.
    pub async fn create_clause_person(
        &self,
        actor_id: i64,
        scope: Scope,
        p: &Person,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let id = insert_person(&tx, now, Some(actor_id), scope, p, false).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The people `reader` may see, by name; the read is logged.
    pub async fn clause_people(
        &self,
        reader: i64,
        scope: Scope,
        of: PeopleOf<'_>,
    ) -> Result<Vec<PersonRow>, StoreError> {
        let mut q = clause_person::Entity::find()
            .filter(clause_person::Column::TerritoryId.eq(scope.territory_id()));
        if let PeopleOf::Referred(orgs) = of {
            q = q.filter(clause_person::Column::ReferringOrgId.is_in(orgs.iter().copied()));
        }
        let rows = q
            .order_by_asc(clause_person::Column::LastName)
            .order_by_asc(clause_person::Column::FirstName)
            .all(&self.db)
            .await?;
        self.log_access(
            reader,
            Some(scope.territory_id()),
            "clause_person.list",
            &format!("territory:{}/clause_person", scope.territory_id()),
        )
        .await?;
        Ok(rows)
    }

    /// One person, if `reader` may see them; the read is logged.
    pub async fn clause_person(
        &self,
        reader: i64,
        scope: Scope,
        id: i64,
        of: PeopleOf<'_>,
    ) -> Result<PersonRow, StoreError> {
        let p = clause_person::Entity::find_by_id(id)
            .filter(clause_person::Column::TerritoryId.eq(scope.territory_id()))
            .one(&self.db)
            .await?
            .filter(|p| of.sees(p))
            .ok_or(StoreError::NotFound)?;
        self.log_access(
            reader,
            Some(scope.territory_id()),
            "clause_person.read",
            &format!("clause_person:{id}"),
        )
        .await?;
        Ok(p)
    }
}
