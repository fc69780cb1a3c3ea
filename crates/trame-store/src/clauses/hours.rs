//! Hours declared, validated and rejected. A batch (a form, a timesheet file) is written
//! whole or not at all: every fault of every line is reported, and nothing is written
//! while one remains.

use super::{contract_in, tally};
use crate::audit::journal;
use crate::entities::{clause_hours, clause_person};
use crate::{Scope, Store, StoreError};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use trame_domain::audit::action;
use trame_domain::clauses::hours::{Line, MAX_TENTHS_PER_MONTH, YearMonth, over_month};
use trame_domain::clauses::person::reference;
use trame_domain::clauses::vocab::{HoursState, Source};
use trame_domain::format::parse_iso_date;

/// A line to declare: whose hours, checked against the contract's dates by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declared {
    /// The contract.
    pub contract_id: i64,
    /// The person.
    pub person_id: i64,
    /// The line.
    pub line: Line,
}

/// Why one line of a batch was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFault {
    /// Its position in the batch, from 0.
    pub index: usize,
    /// The field at fault.
    pub field: &'static str,
    /// Why, in French.
    pub message: String,
}

/// A line of hours with its person's reference, as the contract page lists it.
#[derive(Debug, Clone)]
pub struct HoursRow {
    /// The line.
    pub row: clause_hours::Model,
    /// The person's reference (`P00042`).
    pub person_ref: String,
}

impl Store {
    /// Declares hours on a contract. Refused lines come back with their faults and
    /// nothing is written; otherwise returns how many lines were written. A line already
    /// declared or validated for the same contract, person, month and way is refused
    /// (never counted twice); a rejected one is declared again.
    pub async fn declare_hours(
        &self,
        actor_id: i64,
        scope: Scope,
        source: Source,
        lines: &[Declared],
    ) -> Result<Result<usize, Vec<LineFault>>, StoreError> {
        let now = self.now();
        let t = scope.territory_id();
        let tx = self.begin_write().await?;
        // Each contract's months, first and last.
        let mut window: HashMap<i64, (Option<YearMonth>, Option<YearMonth>)> = HashMap::new();
        for d in lines {
            if let std::collections::hash_map::Entry::Vacant(e) = window.entry(d.contract_id) {
                let c = contract_in(&tx, scope, d.contract_id).await?;
                e.insert((
                    parse_iso_date(&c.notified_on).map(YearMonth::of),
                    parse_iso_date(&c.ends_on).map(YearMonth::of),
                ));
            }
        }
        let ids: HashSet<i64> = lines.iter().map(|l| l.person_id).collect();
        // The people's rows are locked (PostgreSQL; SQLite has one writer) so that two
        // declarations for the same person cannot both pass the monthly limit.
        let mut q = clause_person::Entity::find()
            .select_only()
            .column(clause_person::Column::Id)
            .filter(clause_person::Column::TerritoryId.eq(t))
            .filter(clause_person::Column::Id.is_in(ids.iter().copied()))
            .order_by_asc(clause_person::Column::Id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let known: HashSet<i64> = q.into_tuple::<i64>().all(&tx).await?.into_iter().collect();
        // What each person already has in the months concerned, all contracts together,
        // and the lines of this contract that exist.
        let months: HashSet<String> = lines.iter().map(|l| l.line.month.stored()).collect();
        let existing = clause_hours::Entity::find()
            .filter(clause_hours::Column::TerritoryId.eq(t))
            .filter(clause_hours::Column::PersonId.is_in(ids.iter().copied()))
            .filter(clause_hours::Column::Month.is_in(months.iter().cloned()))
            .all(&tx)
            .await?;
        let mut month_total: HashMap<(i64, String), i64> = HashMap::new();
        let mut same: HashMap<(i64, i64, String, String), clause_hours::Model> = HashMap::new();
        for h in existing {
            if h.state != HoursState::Rejected.code() {
                *month_total
                    .entry((h.person_id, h.month.clone()))
                    .or_default() += i64::from(h.tenths);
            }
            if window.contains_key(&h.contract_id) {
                same.insert(
                    (h.contract_id, h.person_id, h.month.clone(), h.way.clone()),
                    h,
                );
            }
        }
        let this_month = YearMonth::of(crate::funding::awards::paris_day(now));
        let mut faults = Vec::new();
        let mut seen = HashSet::new();
        for (index, d) in lines.iter().enumerate() {
            let month = d.line.month.stored();
            let key = (
                d.contract_id,
                d.person_id,
                month.clone(),
                d.line.way.code().to_owned(),
            );
            let (starts, ends) = window.get(&d.contract_id).copied().unwrap_or((None, None));
            let mut fault = |field: &'static str, message: String| {
                faults.push(LineFault {
                    index,
                    field,
                    message,
                });
            };
            if !known.contains(&d.person_id) {
                fault(
                    "person",
                    format!(
                        "Personne inconnue : {} n'est pas une personne suivie du territoire.",
                        reference(d.person_id)
                    ),
                );
                continue;
            }
            if starts.is_none_or(|s| d.line.month < s) || ends.is_none_or(|e| d.line.month > e) {
                fault(
                    "month",
                    format!("{} est hors des dates du marché.", d.line.month.label()),
                );
                continue;
            }
            if d.line.month > this_month {
                fault(
                    "month",
                    format!(
                        "{} n'a pas commencé : les heures se déclarent une fois travaillées.",
                        d.line.month.label()
                    ),
                );
                continue;
            }
            if !seen.insert(key.clone()) {
                fault(
                    "month",
                    format!(
                        "Ces heures de {} pour {} figurent deux fois dans la déclaration.",
                        d.line.month.label(),
                        reference(d.person_id)
                    ),
                );
                continue;
            }
            if let Some(h) = same.get(&key)
                && h.state != HoursState::Rejected.code()
            {
                fault(
                    "month",
                    format!(
                        "Les heures de {} pour {} sont déjà déclarées sur ce marché ({}) : elles ne sont jamais comptées deux fois.",
                        d.line.month.label(),
                        reference(d.person_id),
                        HoursState::from_code(&h.state)
                            .map_or("", |s| s.label())
                            .to_lowercase()
                    ),
                );
                continue;
            }
            let total = month_total.entry((d.person_id, month)).or_default();
            if *total + i64::from(d.line.tenths) > i64::from(MAX_TENTHS_PER_MONTH) {
                fault("hours", over_month(d.line.month, *total));
                continue;
            }
            *total += i64::from(d.line.tenths);
        }
        if !faults.is_empty() {
            return Ok(Err(faults));
        }
        let mut waiting: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
        for d in lines {
            waiting.entry(d.contract_id).or_default().1 += i64::from(d.line.tenths);
            let key = (
                d.contract_id,
                d.person_id,
                d.line.month.stored(),
                d.line.way.code().to_owned(),
            );
            let id = if let Some(old) = same.remove(&key) {
                let mut am: clause_hours::ActiveModel = old.into();
                am.tenths = Set(d.line.tenths);
                am.state = Set(HoursState::Declared.code().to_owned());
                am.reject_reason = Set(None);
                am.source = Set(source.code().to_owned());
                am.declared_by = Set(Some(actor_id));
                am.decided_by = Set(None);
                am.updated_at = Set(now);
                am.update(&tx).await?.id
            } else {
                clause_hours::ActiveModel {
                    territory_id: Set(t),
                    contract_id: Set(d.contract_id),
                    person_id: Set(d.person_id),
                    month: Set(key.2),
                    way: Set(key.3),
                    tenths: Set(d.line.tenths),
                    state: Set(HoursState::Declared.code().to_owned()),
                    reject_reason: Set(None),
                    source: Set(source.code().to_owned()),
                    declared_by: Set(Some(actor_id)),
                    decided_by: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?
                .id
            };
            journal(
                &tx,
                now,
                Some(actor_id),
                scope,
                action::CLAUSE_HOURS_DECLARE,
                "clause_hours",
                id,
            )
            .await?;
        }
        tally::add_to_contracts(&tx, &waiting).await?;
        tx.commit().await?;
        Ok(Ok(lines.len()))
    }

    /// Validates (or rejects, with a reason) lines of a contract waiting for it; returns
    /// how many changed. Lines already decided are left as they are.
    pub async fn decide_hours(
        &self,
        actor_id: i64,
        scope: Scope,
        contract_id: i64,
        ids: &[i64],
        validate: bool,
        reason: Option<&str>,
    ) -> Result<usize, StoreError> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if !validate && reason.is_none() {
            return Err(StoreError::Conflict {
                field: "reason",
                message: "Dites pourquoi ces heures sont rejetées : l'entreprise verra ce motif."
                    .into(),
            });
        }
        let now = self.now();
        let tx = self.begin_write().await?;
        contract_in(&tx, scope, contract_id).await?;
        let rows = clause_hours::Entity::find()
            .filter(clause_hours::Column::TerritoryId.eq(scope.territory_id()))
            .filter(clause_hours::Column::ContractId.eq(contract_id))
            .filter(clause_hours::Column::State.eq(HoursState::Declared.code()))
            .filter(clause_hours::Column::Id.is_in(ids.iter().copied()))
            .order_by_asc(clause_hours::Column::Id)
            .all(&tx)
            .await?;
        let n = rows.len();
        let mut decided = Vec::with_capacity(n);
        let (state, act) = if validate {
            (HoursState::Validated, action::CLAUSE_HOURS_VALIDATE)
        } else {
            (HoursState::Rejected, action::CLAUSE_HOURS_REJECT)
        };
        for h in rows {
            let id = h.id;
            // Conditional: a line decided meanwhile by someone else is not decided twice.
            let done = clause_hours::Entity::update_many()
                .col_expr(clause_hours::Column::State, Expr::value(state.code()))
                .col_expr(
                    clause_hours::Column::RejectReason,
                    Expr::value(
                        reason
                            .filter(|_| !validate)
                            .map(|r| r.chars().take(300).collect::<String>()),
                    ),
                )
                .col_expr(clause_hours::Column::DecidedBy, Expr::value(Some(actor_id)))
                .col_expr(clause_hours::Column::UpdatedAt, Expr::value(now))
                .filter(clause_hours::Column::Id.eq(id))
                .filter(clause_hours::Column::State.eq(HoursState::Declared.code()))
                .exec(&tx)
                .await?;
            if done.rows_affected == 1 {
                journal(&tx, now, Some(actor_id), scope, act, "clause_hours", id).await?;
                decided.push(h);
            }
        }
        // The running totals: what was waiting is validated (or rejected).
        let mut totals: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
        for h in &decided {
            let e = totals.entry(h.contract_id).or_default();
            if validate {
                e.0 += i64::from(h.tenths);
            }
            e.1 -= i64::from(h.tenths);
        }
        tally::add_to_contracts(&tx, &totals).await?;
        if validate {
            tally::add_validated(&tx, &decided).await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// The lines of a contract, latest month first.
    pub async fn contract_hours(
        &self,
        scope: Scope,
        contract_id: i64,
    ) -> Result<Vec<HoursRow>, StoreError> {
        // The contract's territory is checked, then its lines read by its own index.
        contract_in(&self.db, scope, contract_id).await?;
        Ok(clause_hours::Entity::find()
            .filter(clause_hours::Column::ContractId.eq(contract_id))
            .order_by_desc(clause_hours::Column::Month)
            .order_by_asc(clause_hours::Column::PersonId)
            .order_by_asc(clause_hours::Column::Way)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| HoursRow {
                person_ref: reference(row.person_id),
                row,
            })
            .collect())
    }
}

/// What a contract's page shows of a line of hours (fewer columns than the row: the page
/// reads them for every view).
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct LineFields {
    /// The line's id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// `YYYY-MM-01`.
    pub month: String,
    /// The way's code.
    pub way: String,
    /// Tenths of an hour.
    pub tenths: i32,
    /// The state's code.
    pub state: String,
    /// Why it was rejected.
    pub reject_reason: Option<String>,
}

/// A line as a contract's page lists it, with its person's reference.
#[derive(Debug, Clone)]
pub struct LineRow {
    /// The line.
    pub row: LineFields,
    /// The person's reference (`P00042`).
    pub person_ref: String,
}

/// How many of a contract's last months with lines its page shows by default.
pub const RECENT_MONTHS: i32 = 3;

impl Store {
    /// The lines a contract's page shows, latest month first: all of them, or by default
    /// those waiting for validation and those of the contract's last `RECENT_MONTHS`
    /// months with lines; with how many lines the contract holds in all. `contract` was
    /// read in the caller's scope.
    pub async fn contract_lines(
        &self,
        contract: &super::ContractRow,
        all: bool,
    ) -> Result<(Vec<LineRow>, u64), StoreError> {
        use sea_orm::sea_query::{Condition, Func};
        let (latest, total): (Option<String>, i64) = clause_hours::Entity::find()
            .select_only()
            .column_as(
                Expr::from(Func::max(Expr::col(clause_hours::Column::Month))),
                "latest",
            )
            .column_as(
                Expr::from(Func::count(Expr::col(clause_hours::Column::Id))),
                "n",
            )
            .filter(clause_hours::Column::ContractId.eq(contract.id))
            .into_tuple()
            .one(&self.db)
            .await?
            .unwrap_or((None, 0));
        let mut q =
            clause_hours::Entity::find().filter(clause_hours::Column::ContractId.eq(contract.id));
        if let (false, Some(latest)) = (all, latest.as_deref().and_then(YearMonth::parse)) {
            let index = latest.year * 12 + i32::from(latest.month) - 1 - (RECENT_MONTHS - 1);
            let since = YearMonth {
                year: index.div_euclid(12),
                month: u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1),
            };
            q = q.filter(
                Condition::any()
                    .add(clause_hours::Column::Month.gte(since.stored()))
                    .add(clause_hours::Column::State.eq(HoursState::Declared.code())),
            );
        }
        let rows = q
            .select_only()
            .columns([
                clause_hours::Column::Id,
                clause_hours::Column::PersonId,
                clause_hours::Column::Month,
                clause_hours::Column::Way,
                clause_hours::Column::Tenths,
                clause_hours::Column::State,
                clause_hours::Column::RejectReason,
            ])
            .order_by_desc(clause_hours::Column::Month)
            .order_by_asc(clause_hours::Column::PersonId)
            .order_by_asc(clause_hours::Column::Way)
            .into_model::<LineFields>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| LineRow {
                person_ref: reference(row.person_id),
                row,
            })
            .collect();
        Ok((rows, u64::try_from(total).unwrap_or(0)))
    }
}
