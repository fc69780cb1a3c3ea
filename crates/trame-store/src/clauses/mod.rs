//! Insertion clauses: buyers and their contracts with a target of hours, the people who
//! work them, the monthly hours declared and validated, and each contract's progress.
//! Every change is journaled in its transaction; hours are never counted twice (one line
//! per contract, person, month and way, a unique index), and a person never passes 250
//! hours in a month, all contracts together, checked inside the transaction.

pub(crate) mod alerts;
mod hours;
pub(crate) mod people;
pub mod report;
pub mod settings;
pub(crate) mod tally;

pub use hours::{Declared, HoursRow, LineFault, LineFields, LineRow, RECENT_MONTHS};
pub use people::{OutcomeRow, PeopleOf, PersonRow};

use crate::audit::journal;
use crate::entities::{clause_buyer, clause_contract, clause_operation, organisation};
use crate::{Scope, Store, StoreError};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;
use trame_domain::audit::action;
use trame_domain::clauses::contract::Contract;
use trame_domain::clauses::progress::Progress;
use trame_domain::clauses::target::Target;
use trame_domain::clauses::vocab::BuyerKind;
use trame_domain::format::parse_iso_date;

/// A buyer as stored.
pub type BuyerRow = clause_buyer::Model;
/// A contract as stored.
pub type ContractRow = clause_contract::Model;

/// A contract with its buyer's name and its hours so far.
#[derive(Debug, Clone)]
pub struct ContractSummary {
    /// The contract.
    pub row: ContractRow,
    /// Its buyer's name.
    pub buyer: String,
    /// Its operation's name, if any.
    pub operation: Option<String>,
    /// Validated hours, tenths.
    pub done_tenths: i64,
    /// Declared hours waiting for validation, tenths.
    pub pending_tenths: i64,
}

impl ContractSummary {
    /// Its progress on `today`.
    pub fn progress(&self, today: time::Date) -> Progress {
        let starts = parse_iso_date(&self.row.notified_on).unwrap_or(today);
        let ends = parse_iso_date(&self.row.ends_on).unwrap_or(today);
        Progress::of(
            self.row.target_hours,
            self.done_tenths,
            self.pending_tenths,
            starts,
            ends,
            today,
        )
    }
}

pub(crate) async fn contract_in<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    id: i64,
) -> Result<ContractRow, StoreError> {
    clause_contract::Entity::find_by_id(id)
        .filter(clause_contract::Column::TerritoryId.eq(scope.territory_id()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Writes a buyer, journaled.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_buyer<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    name: &str,
    siret: Option<&str>,
    kind: BuyerKind,
    is_demo: bool,
) -> Result<i64, StoreError> {
    let exists = clause_buyer::Entity::find()
        .filter(clause_buyer::Column::TerritoryId.eq(scope.territory_id()))
        .filter(clause_buyer::Column::Name.eq(name))
        .one(tx)
        .await?;
    if exists.is_some() {
        return Err(StoreError::Conflict {
            field: "buyer_name",
            message: format!("L'acheteur « {name} » existe déjà."),
        });
    }
    let row = clause_buyer::ActiveModel {
        territory_id: Set(scope.territory_id()),
        name: Set(name.to_owned()),
        siret: Set(siret.map(str::to_owned)),
        kind: Set(kind.code().to_owned()),
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
        action::CLAUSE_BUYER_CREATE,
        "clause_buyer",
        row.id,
    )
    .await?;
    Ok(row.id)
}

/// Writes a contract (its operation found or created, its awardee linked to the
/// territory's organisation with the same SIRET), journaled.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_contract<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    buyer_id: i64,
    c: &Contract,
    decp_considerations: Option<String>,
    is_demo: bool,
) -> Result<i64, StoreError> {
    let t = scope.territory_id();
    clause_buyer::Entity::find_by_id(buyer_id)
        .filter(clause_buyer::Column::TerritoryId.eq(t))
        .one(tx)
        .await?
        .ok_or(StoreError::Conflict {
            field: "buyer",
            message: "Choisissez l'acheteur parmi ceux du territoire.".into(),
        })?;
    let taken = clause_contract::Entity::find()
        .filter(clause_contract::Column::TerritoryId.eq(t))
        .filter(clause_contract::Column::Reference.eq(&c.reference))
        .one(tx)
        .await?;
    if taken.is_some() {
        return Err(StoreError::Conflict {
            field: "reference",
            message: format!("Un marché porte déjà la référence « {} ».", c.reference),
        });
    }
    let operation_id = match &c.operation {
        None => None,
        Some(name) => {
            let found = clause_operation::Entity::find()
                .filter(clause_operation::Column::BuyerId.eq(buyer_id))
                .filter(clause_operation::Column::Name.eq(name))
                .one(tx)
                .await?;
            Some(match found {
                Some(o) => o.id,
                None => {
                    clause_operation::ActiveModel {
                        territory_id: Set(t),
                        buyer_id: Set(buyer_id),
                        name: Set(name.clone()),
                        created_at: Set(now),
                        ..Default::default()
                    }
                    .insert(tx)
                    .await?
                    .id
                }
            })
        }
    };
    let awardee_org_id: Option<i64> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .filter(organisation::Column::TerritoryId.eq(t))
        .filter(organisation::Column::Siret.eq(c.awardee_siret.as_str()))
        .into_tuple()
        .one(tx)
        .await?;
    let (labour, rate, cost, reason) = match &c.target {
        Target::Computed(i) => (
            Some(i32::try_from(i.labour_share.bp()).unwrap_or(i32::MAX)),
            Some(i32::try_from(i.rate.bp()).unwrap_or(i32::MAX)),
            Some(i.hourly_cost.cents()),
            None,
        ),
        Target::Manual { reason, .. } => (None, None, None, Some(reason.clone())),
    };
    let row = clause_contract::ActiveModel {
        territory_id: Set(t),
        buyer_id: Set(buyer_id),
        operation_id: Set(operation_id),
        reference: Set(c.reference.clone()),
        object: Set(c.object.clone()),
        cpv: Set(c.cpv.clone()),
        amount_cents: Set(c.amount.cents()),
        notified_on: Set(c.notified_on.to_string()),
        duration_months: Set(i32::from(c.duration_months)),
        ends_on: Set(c.ends_on().to_string()),
        commune_code: Set(c.commune_code.clone()),
        awardee_siret: Set(c.awardee_siret.as_str().to_owned()),
        awardee_name: Set(c.awardee_name.clone()),
        awardee_org_id: Set(awardee_org_id),
        clause_type: Set(c.clause_type.code().to_owned()),
        target_hours: Set(c.target.hours()),
        labour_share_bp: Set(labour),
        rate_bp: Set(rate),
        hourly_cost_cents: Set(cost),
        target_reason: Set(reason),
        decp_considerations: Set(decp_considerations),
        is_demo: Set(is_demo),
        revision: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    journal(
        tx,
        now,
        actor,
        scope,
        action::CLAUSE_CONTRACT_CREATE,
        "clause_contract",
        row.id,
    )
    .await?;
    Ok(row.id)
}

/// Which contracts a list shows.
#[derive(Debug, Clone, Copy)]
pub enum ContractsOf<'a> {
    /// Every contract of the territory (facilitators).
    All,
    /// Those awarded to these organisations (a company's own).
    Awardees(&'a [i64]),
}

impl Store {
    /// The names of the territory's buyers, by id.
    pub(crate) async fn buyer_names(
        &self,
        scope: Scope,
    ) -> Result<HashMap<i64, String>, StoreError> {
        Ok(clause_buyer::Entity::find()
            .select_only()
            .column(clause_buyer::Column::Id)
            .column(clause_buyer::Column::Name)
            .filter(clause_buyer::Column::TerritoryId.eq(scope.territory_id()))
            .into_tuple::<(i64, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect())
    }

    /// The territory's buyers, by name.
    pub async fn clause_buyers(&self, scope: Scope) -> Result<Vec<BuyerRow>, StoreError> {
        Ok(clause_buyer::Entity::find()
            .filter(clause_buyer::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_asc(clause_buyer::Column::Name)
            .all(&self.db)
            .await?)
    }

    /// Adds a buyer.
    pub async fn create_clause_buyer(
        &self,
        actor_id: i64,
        scope: Scope,
        name: &str,
        siret: Option<&str>,
        kind: BuyerKind,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let id = insert_buyer(&tx, now, Some(actor_id), scope, name, siret, kind, false).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a contract and its target.
    pub async fn create_contract(
        &self,
        actor_id: i64,
        scope: Scope,
        buyer_id: i64,
        c: &Contract,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let id = insert_contract(&tx, now, Some(actor_id), scope, buyer_id, c, None, false).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Contracts with their hours, latest notified first.
    pub async fn contracts(
        &self,
        scope: Scope,
        of: ContractsOf<'_>,
    ) -> Result<Vec<ContractSummary>, StoreError> {
        let mut q = clause_contract::Entity::find()
            .filter(clause_contract::Column::TerritoryId.eq(scope.territory_id()));
        if let ContractsOf::Awardees(orgs) = of {
            q = q.filter(clause_contract::Column::AwardeeOrgId.is_in(orgs.iter().copied()));
        }
        let rows = q
            .order_by_desc(clause_contract::Column::NotifiedOn)
            .order_by_asc(clause_contract::Column::Reference)
            .all(&self.db)
            .await?;
        self.summaries(scope, rows).await
    }

    async fn summaries(
        &self,
        scope: Scope,
        rows: Vec<ContractRow>,
    ) -> Result<Vec<ContractSummary>, StoreError> {
        let t = scope.territory_id();
        let buyers = self.buyer_names(scope).await?;
        let operations: HashMap<i64, String> = clause_operation::Entity::find()
            .select_only()
            .column(clause_operation::Column::Id)
            .column(clause_operation::Column::Name)
            .filter(clause_operation::Column::TerritoryId.eq(t))
            .into_tuple::<(i64, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        Ok(rows
            .into_iter()
            .map(|row| ContractSummary {
                buyer: buyers.get(&row.buyer_id).cloned().unwrap_or_default(),
                operation: row.operation_id.and_then(|o| operations.get(&o).cloned()),
                done_tenths: row.done_tenths,
                pending_tenths: row.pending_tenths,
                row,
            })
            .collect())
    }

    /// One contract with its hours; `of` limits it to a company's own.
    pub async fn contract(
        &self,
        scope: Scope,
        id: i64,
        of: ContractsOf<'_>,
    ) -> Result<ContractSummary, StoreError> {
        let row = contract_in(&self.db, scope, id).await?;
        if let ContractsOf::Awardees(orgs) = of
            && !row.awardee_org_id.is_some_and(|o| orgs.contains(&o))
        {
            return Err(StoreError::NotFound);
        }
        self.summaries(scope, vec![row])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// The contracts of the territory with these references.
    pub async fn contracts_by_reference(
        &self,
        scope: Scope,
        references: &[String],
    ) -> Result<Vec<ContractRow>, StoreError> {
        Ok(clause_contract::Entity::find()
            .filter(clause_contract::Column::TerritoryId.eq(scope.territory_id()))
            .filter(clause_contract::Column::Reference.is_in(references.iter().cloned()))
            .all(&self.db)
            .await?)
    }

    /// The organisations `person_id` acts for in the territory.
    pub async fn organisations_of(
        &self,
        scope: Scope,
        person_id: i64,
    ) -> Result<Vec<i64>, StoreError> {
        crate::pathways::orgs_of(&self.db, scope, person_id).await
    }
}

/// A contract read from a DECP file, checked, with what the file says of its buyer.
#[derive(Debug, Clone)]
pub struct DecpImport {
    /// The contract.
    pub contract: Contract,
    /// The buyer's SIRET in the file.
    pub buyer_siret: String,
    /// The file's social considerations, joined.
    pub considerations: String,
}

/// What a DECP import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecpOutcome {
    /// Contracts created.
    pub created: usize,
    /// Contracts already known by their reference, left as they are.
    pub known: usize,
}

impl Store {
    /// Records the contracts of a DECP file, all in one transaction: each goes to the
    /// buyer with its SIRET, or else to `default_buyer`; contracts already known by their
    /// reference are left as they are (the same file imported twice changes nothing).
    pub async fn import_decp(
        &self,
        actor_id: i64,
        scope: Scope,
        default_buyer: i64,
        contracts: &[DecpImport],
    ) -> Result<DecpOutcome, StoreError> {
        let now = self.now();
        let t = scope.territory_id();
        let tx = self.begin_write().await?;
        let buyers = clause_buyer::Entity::find()
            .filter(clause_buyer::Column::TerritoryId.eq(t))
            .all(&tx)
            .await?;
        if !buyers.iter().any(|b| b.id == default_buyer) {
            return Err(StoreError::Conflict {
                field: "buyer",
                message: "Choisissez l'acheteur parmi ceux du territoire.".into(),
            });
        }
        let refs: Vec<String> = contracts
            .iter()
            .map(|c| c.contract.reference.clone())
            .collect();
        let known: std::collections::HashSet<String> = clause_contract::Entity::find()
            .select_only()
            .column(clause_contract::Column::Reference)
            .filter(clause_contract::Column::TerritoryId.eq(t))
            .filter(clause_contract::Column::Reference.is_in(refs))
            .into_tuple::<String>()
            .all(&tx)
            .await?
            .into_iter()
            .collect();
        let mut outcome = DecpOutcome {
            created: 0,
            known: 0,
        };
        let mut seen = std::collections::HashSet::new();
        for c in contracts {
            if known.contains(&c.contract.reference) || !seen.insert(c.contract.reference.clone()) {
                outcome.known += 1;
                continue;
            }
            let buyer = buyers
                .iter()
                .find(|b| b.siret.as_deref() == Some(c.buyer_siret.as_str()))
                .map_or(default_buyer, |b| b.id);
            insert_contract(
                &tx,
                now,
                Some(actor_id),
                scope,
                buyer,
                &c.contract,
                Some(c.considerations.chars().take(300).collect()),
                false,
            )
            .await?;
            outcome.created += 1;
        }
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::CLAUSE_CONTRACT_IMPORT,
            "territory",
            t,
        )
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// The name of the territory's organisation with this SIRET, if any.
    pub async fn organisation_name_by_siret(
        &self,
        scope: Scope,
        siret: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Name)
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .filter(organisation::Column::Siret.eq(siret))
            .into_tuple()
            .one(&self.db)
            .await?)
    }
}
