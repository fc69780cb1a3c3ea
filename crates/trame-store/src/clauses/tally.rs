//! Running totals of the clause hours, kept in the transaction that changes the lines:
//! each contract's validated and waiting tenths (on the contract), and two tallies of the
//! validated hours for the yearly report — per contract, person, way and year, and per
//! contract and month. A validated line never changes again, so the tallies only grow.
//! `rebuild` recomputes everything from the lines (after bulk loads); `Store::
//! clause_tally_faults` tells any difference (tests and the crash drill).

use crate::entities::{clause_contract, clause_hours, clause_tally_month, clause_tally_person};
use crate::{Store, StoreError};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement, Value,
};
use std::collections::BTreeMap;
use trame_domain::clauses::vocab::HoursState;

/// Rows per upsert statement (7 values each, well under either backend's limit).
const CHUNK: usize = 200;

/// A placeholder for the `n`-th value (from 1).
fn ph(backend: DbBackend, n: usize) -> String {
    if backend == DbBackend::Postgres {
        format!("${n}")
    } else {
        format!("?{n}")
    }
}

/// A person tally's key: contract, person, way, year.
type PersonKey = (i64, i64, String, i32);

/// The year of a stored month (`YYYY-MM-01`).
fn year_of(month: &str) -> i32 {
    month.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0)
}

/// Adds to contracts' running totals: `(validated, waiting)` tenths per contract, in the
/// contracts' order (locks taken in one order on PostgreSQL).
pub(crate) async fn add_to_contracts<C: ConnectionTrait>(
    tx: &C,
    deltas: &BTreeMap<i64, (i64, i64)>,
) -> Result<(), StoreError> {
    for (&id, &(done, pending)) in deltas {
        if done == 0 && pending == 0 {
            continue;
        }
        clause_contract::Entity::update_many()
            .col_expr(
                clause_contract::Column::DoneTenths,
                Expr::col(clause_contract::Column::DoneTenths).add(done),
            )
            .col_expr(
                clause_contract::Column::PendingTenths,
                Expr::col(clause_contract::Column::PendingTenths).add(pending),
            )
            .filter(clause_contract::Column::Id.eq(id))
            .exec(tx)
            .await?;
    }
    Ok(())
}

/// Inserts `rows` into `into` (a table and its columns), adding to the rows that exist
/// (`on_conflict`: the key and its update), by statements of `CHUNK` rows.
async fn upsert<C: ConnectionTrait>(
    tx: &C,
    into: &str,
    on_conflict: &str,
    rows: Vec<Vec<Value>>,
) -> Result<(), StoreError> {
    let backend = tx.get_database_backend();
    for chunk in rows.chunks(CHUNK) {
        let mut tuples = Vec::with_capacity(chunk.len());
        let mut values: Vec<Value> = Vec::new();
        for row in chunk {
            let at = values.len();
            tuples.push(format!(
                "({})",
                (1..=row.len())
                    .map(|k| ph(backend, at + k))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            values.extend(row.iter().cloned());
        }
        tx.execute_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "INSERT INTO {into} VALUES {} ON CONFLICT {on_conflict}",
                tuples.join(", ")
            ),
            values,
        ))
        .await?;
    }
    Ok(())
}

/// Adds lines just validated to the two tallies (upserts in key order).
pub(crate) async fn add_validated<C: ConnectionTrait>(
    tx: &C,
    lines: &[clause_hours::Model],
) -> Result<(), StoreError> {
    let mut people: BTreeMap<PersonKey, (i64, i64, i64)> = BTreeMap::new();
    let mut months: BTreeMap<(i64, String), (i64, i64)> = BTreeMap::new();
    for h in lines {
        let p = people
            .entry((h.contract_id, h.person_id, h.way.clone(), year_of(&h.month)))
            .or_insert((h.territory_id, 0, 0));
        p.1 += 1;
        p.2 += i64::from(h.tenths);
        let m = months
            .entry((h.contract_id, h.month.clone()))
            .or_insert((h.territory_id, 0));
        m.1 += i64::from(h.tenths);
    }
    let people: Vec<Vec<Value>> = people
        .into_iter()
        .map(|((contract, person, way, year), (territory, n, tenths))| {
            vec![
                territory.into(),
                contract.into(),
                person.into(),
                way.into(),
                year.into(),
                n.into(),
                tenths.into(),
            ]
        })
        .collect();
    upsert(
        tx,
        "clause_tally_person (territory_id, contract_id, person_id, way, year, lines, tenths)",
        "(contract_id, person_id, way, year) DO UPDATE SET \
         lines = clause_tally_person.lines + excluded.lines, \
         tenths = clause_tally_person.tenths + excluded.tenths",
        people,
    )
    .await?;
    let months: Vec<Vec<Value>> = months
        .into_iter()
        .map(|((contract, month), (territory, tenths))| {
            vec![
                territory.into(),
                contract.into(),
                month.into(),
                tenths.into(),
            ]
        })
        .collect();
    upsert(
        tx,
        "clause_tally_month (territory_id, contract_id, month, tenths)",
        "(contract_id, month) DO UPDATE SET tenths = clause_tally_month.tenths + excluded.tenths",
        months,
    )
    .await?;
    Ok(())
}

/// Recomputes a territory's running totals and tallies from its lines (after a bulk
/// load, which writes lines directly).
pub(crate) async fn rebuild<C: ConnectionTrait>(tx: &C, territory: i64) -> Result<(), StoreError> {
    let backend = tx.get_database_backend();
    let (p1, p2, p3) = (ph(backend, 1), ph(backend, 2), ph(backend, 3));
    let validated = HoursState::Validated.code();
    let declared = HoursState::Declared.code();
    for sql in [
        format!("DELETE FROM clause_tally_person WHERE territory_id = {p1}"),
        format!("DELETE FROM clause_tally_month WHERE territory_id = {p1}"),
    ] {
        tx.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [territory.into()],
        ))
        .await?;
    }
    for sql in [
        format!(
            "INSERT INTO clause_tally_person (territory_id, contract_id, person_id, way, year, lines, tenths) \
             SELECT territory_id, contract_id, person_id, way, CAST(substr(month, 1, 4) AS INTEGER), COUNT(*), SUM(tenths) \
             FROM clause_hours WHERE territory_id = {p1} AND state = {p2} \
             GROUP BY territory_id, contract_id, person_id, way, substr(month, 1, 4)"
        ),
        format!(
            "INSERT INTO clause_tally_month (territory_id, contract_id, month, tenths) \
             SELECT territory_id, contract_id, month, SUM(tenths) \
             FROM clause_hours WHERE territory_id = {p1} AND state = {p2} \
             GROUP BY territory_id, contract_id, month"
        ),
    ] {
        tx.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [territory.into(), validated.into()],
        ))
        .await?;
    }
    tx.execute_raw(Statement::from_sql_and_values(
        backend,
        format!(
            "UPDATE clause_contract SET \
             done_tenths = COALESCE((SELECT SUM(h.tenths) FROM clause_hours h WHERE h.contract_id = clause_contract.id AND h.state = {p2}), 0), \
             pending_tenths = COALESCE((SELECT SUM(h.tenths) FROM clause_hours h WHERE h.contract_id = clause_contract.id AND h.state = {p3}), 0) \
             WHERE territory_id = {p1}"
        ),
        [territory.into(), validated.into(), declared.into()],
    ))
    .await?;
    Ok(())
}

impl Store {
    /// Where the running totals and tallies differ from what the lines say, one sentence
    /// each (empty when they agree): for tests and the crash drill.
    pub async fn clause_tally_faults(&self) -> Result<Vec<String>, StoreError> {
        let lines = clause_hours::Entity::find().all(&self.db).await?;
        let mut contracts: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
        let mut people: BTreeMap<PersonKey, (i64, i64)> = BTreeMap::new();
        let mut months: BTreeMap<(i64, String), i64> = BTreeMap::new();
        for h in &lines {
            let c = contracts.entry(h.contract_id).or_default();
            if h.state == HoursState::Validated.code() {
                c.0 += i64::from(h.tenths);
                let p = people
                    .entry((h.contract_id, h.person_id, h.way.clone(), year_of(&h.month)))
                    .or_default();
                p.0 += 1;
                p.1 += i64::from(h.tenths);
                *months.entry((h.contract_id, h.month.clone())).or_default() += i64::from(h.tenths);
            } else if h.state == HoursState::Declared.code() {
                c.1 += i64::from(h.tenths);
            }
        }
        let mut faults = Vec::new();
        for c in clause_contract::Entity::find().all(&self.db).await? {
            let want = contracts.get(&c.id).copied().unwrap_or_default();
            if (c.done_tenths, c.pending_tenths) != want {
                faults.push(format!(
                    "contract {}: totals {:?}, lines say {want:?}",
                    c.id,
                    (c.done_tenths, c.pending_tenths)
                ));
            }
        }
        let tallied: BTreeMap<PersonKey, (i64, i64)> = clause_tally_person::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|t| {
                (
                    (t.contract_id, t.person_id, t.way, t.year),
                    (t.lines, t.tenths),
                )
            })
            .collect();
        if tallied != people {
            faults.push(format!(
                "person tally: {} rows, lines say {}",
                tallied.len(),
                people.len()
            ));
        }
        let tallied: BTreeMap<(i64, String), i64> = clause_tally_month::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|t| ((t.contract_id, t.month), t.tenths))
            .collect();
        if tallied != months {
            faults.push(format!(
                "month tally: {} rows, lines say {}",
                tallied.len(),
                months.len()
            ));
        }
        Ok(faults)
    }
}
