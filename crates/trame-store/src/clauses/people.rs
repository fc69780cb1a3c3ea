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
        search: &str,
        limit: u64,
    ) -> Result<(Vec<PersonRow>, u64), StoreError> {
        use sea_orm::sea_query::{Expr, ExprTrait, Func};
        use sea_orm::{PaginatorTrait, QuerySelect};
        let mut q = clause_person::Entity::find()
            .filter(clause_person::Column::TerritoryId.eq(scope.territory_id()));
        if let PeopleOf::Referred(orgs) = of {
            q = q.filter(clause_person::Column::ReferringOrgId.is_in(orgs.iter().copied()));
        }
        let search = search.trim();
        if let Some(id) = trame_domain::clauses::person::id_of_reference(search)
            .filter(|_| search.starts_with(['P', 'p']))
        {
            q = q.filter(clause_person::Column::Id.eq(id));
        } else if !search.is_empty() {
            let pattern = format!("{}%", search.to_lowercase().replace(['%', '_', '\\'], ""));
            q = q.filter(
                Expr::expr(Func::lower(Expr::col(clause_person::Column::LastName))).like(pattern),
            );
        }
        let total = q.clone().count(&self.db).await?;
        let rows = q
            .order_by_asc(clause_person::Column::LastName)
            .order_by_asc(clause_person::Column::FirstName)
            .order_by_asc(clause_person::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        self.log_access(
            reader,
            Some(scope.territory_id()),
            "clause_person.list",
            &format!("territory:{}/clause_person", scope.territory_id()),
        )
        .await?;
        Ok((rows, total))
    }

    /// The people with these ids (those a contract's lines name), for a facilitator; the
    /// read is logged.
    pub async fn clause_people_by_ids(
        &self,
        reader: i64,
        scope: Scope,
        ids: &[i64],
    ) -> Result<Vec<PersonRow>, StoreError> {
        let rows = clause_person::Entity::find()
            .filter(clause_person::Column::TerritoryId.eq(scope.territory_id()))
            .filter(clause_person::Column::Id.is_in(ids.iter().copied()))
            .all(&self.db)
            .await?;
        if !rows.is_empty() {
            self.log_access(
                reader,
                Some(scope.territory_id()),
                "clause_person.list",
                &format!(
                    "territory:{}/clause_person?ids={}",
                    scope.territory_id(),
                    rows.len()
                ),
            )
            .await?;
        }
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

/// A person's outcome as recorded.
pub type OutcomeRow = crate::entities::clause_outcome::Model;

impl Store {
    /// The contracts a person worked on (validated or declared hours), by reference.
    pub async fn contracts_of_person(
        &self,
        scope: Scope,
        person_id: i64,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        use crate::entities::{clause_contract, clause_hours};
        use sea_orm::QuerySelect;
        let ids: Vec<i64> = clause_hours::Entity::find()
            .select_only()
            .column(clause_hours::Column::ContractId)
            .distinct()
            .filter(clause_hours::Column::TerritoryId.eq(scope.territory_id()))
            .filter(clause_hours::Column::PersonId.eq(person_id))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(clause_contract::Entity::find()
            .select_only()
            .column(clause_contract::Column::Id)
            .column(clause_contract::Column::Reference)
            .filter(clause_contract::Column::Id.is_in(ids))
            .order_by_asc(clause_contract::Column::Reference)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// A person's outcomes.
    pub async fn outcomes_of(
        &self,
        scope: Scope,
        person_id: i64,
    ) -> Result<Vec<OutcomeRow>, StoreError> {
        use crate::entities::clause_outcome;
        Ok(clause_outcome::Entity::find()
            .filter(clause_outcome::Column::TerritoryId.eq(scope.territory_id()))
            .filter(clause_outcome::Column::PersonId.eq(person_id))
            .order_by_asc(clause_outcome::Column::ObservedOn)
            .all(&self.db)
            .await?)
    }

    /// Records (or corrects) where a person stands at the end of a mission on a contract,
    /// or six months later. The person must have worked on the contract; six months later
    /// comes after the end.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_outcome(
        &self,
        actor_id: i64,
        scope: Scope,
        person_id: i64,
        contract_id: i64,
        moment: trame_domain::clauses::vocab::Moment,
        outcome: trame_domain::clauses::vocab::Outcome,
        observed_on: time::Date,
    ) -> Result<i64, StoreError> {
        use crate::entities::clause_outcome;
        use trame_domain::clauses::vocab::Moment;
        let now = self.now();
        let tx = self.begin_write().await?;
        let worked = self
            .contracts_of_person(scope, person_id)
            .await?
            .iter()
            .any(|(id, _)| *id == contract_id);
        if !worked {
            return Err(StoreError::Conflict {
                field: "contract",
                message:
                    "Cette personne n'a pas d'heures sur ce marché : choisissez l'un des siens."
                        .into(),
            });
        }
        if observed_on > paris_day(now) {
            return Err(StoreError::Conflict {
                field: "observed_on",
                message:
                    "La situation est constatée : elle ne peut pas être datée d'un jour à venir."
                        .into(),
            });
        }
        let existing = clause_outcome::Entity::find()
            .filter(clause_outcome::Column::TerritoryId.eq(scope.territory_id()))
            .filter(clause_outcome::Column::PersonId.eq(person_id))
            .filter(clause_outcome::Column::ContractId.eq(contract_id))
            .all(&tx)
            .await?;
        if moment == Moment::SixMonths
            && let Some(end) = existing.iter().find(|o| o.moment == Moment::End.code())
            && end.observed_on.as_str() >= observed_on.to_string().as_str()
        {
            return Err(StoreError::Conflict {
                field: "observed_on",
                message: format!(
                    "La situation à six mois se constate après celle de la fin de mission (le {}).",
                    end.observed_on
                ),
            });
        }
        let id = match existing.into_iter().find(|o| o.moment == moment.code()) {
            Some(row) => {
                let mut am: clause_outcome::ActiveModel = row.into();
                am.outcome = Set(outcome.code().to_owned());
                am.observed_on = Set(observed_on.to_string());
                am.update(&tx).await?.id
            }
            None => {
                clause_outcome::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    person_id: Set(person_id),
                    contract_id: Set(contract_id),
                    moment: Set(moment.code().to_owned()),
                    outcome: Set(outcome.code().to_owned()),
                    observed_on: Set(observed_on.to_string()),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?
                .id
            }
        };
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::CLAUSE_OUTCOME_SET,
            "clause_outcome",
            id,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
