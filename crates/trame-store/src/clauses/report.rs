//! The yearly report of insertion clauses: for one year (and one buyer, or all), hours
//! targeted and done per buyer, contract, company and commune, the people who worked them
//! (women and men, age bands, publics), the ways, the outcomes and the months. The hours
//! are summed by the database over the covering index; people and contracts are joined
//! in memory.

use crate::entities::{clause_contract, clause_hours, clause_outcome};
use crate::{Scope, Store, StoreError};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap};
use trame_domain::clauses::contract::end_of;
use trame_domain::clauses::hours::YearMonth;
use trame_domain::clauses::vocab::age_band;
use trame_domain::format::parse_iso_date;

/// One line of a breakdown: a buyer, a contract, a company or a commune.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    /// What it is (a name, a reference).
    pub label: String,
    /// A stable key (an id, a code).
    pub key: String,
    /// Hours targeted for the year: each contract's target by the share of its months
    /// that fall in the year.
    pub target_hours: i64,
    /// Validated hours done in the year, tenths.
    pub done_tenths: i64,
    /// People who worked them.
    pub people: usize,
}

/// What the report tells of the people.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleCounts {
    /// Everyone with validated hours in the year.
    pub total: usize,
    /// Women.
    pub women: usize,
    /// Men.
    pub men: usize,
    /// By age band.
    pub ages: BTreeMap<&'static str, usize>,
    /// By eligibility ground (code).
    pub grounds: BTreeMap<String, usize>,
}

/// The yearly report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearReport {
    /// The year.
    pub year: i32,
    /// The buyer it is limited to, if any.
    pub buyer: Option<i64>,
    /// The whole.
    pub total: Line,
    /// Per buyer.
    pub buyers: Vec<Line>,
    /// Per contract.
    pub contracts: Vec<Line>,
    /// Per company (awardee).
    pub companies: Vec<Line>,
    /// Per commune of execution (code; `—` when none).
    pub communes: Vec<Line>,
    /// Validated hours per month, tenths, January first.
    pub months: Vec<(YearMonth, i64)>,
    /// Validated hours per way (code), tenths.
    pub ways: BTreeMap<String, i64>,
    /// The people.
    pub people: PeopleCounts,
    /// Outcomes observed in the year: (moment, outcome) codes → people.
    pub outcomes: BTreeMap<(String, String), usize>,
}

/// The target of a contract that falls in `year`, by its months in the year.
fn target_in_year(notified_on: &str, duration_months: i32, target_hours: i64, year: i32) -> i64 {
    let (Some(starts), months) = (parse_iso_date(notified_on), duration_months.max(1)) else {
        return 0;
    };
    let ends = end_of(starts, u16::try_from(months).unwrap_or(1));
    let (first, last) = (YearMonth::of(starts), YearMonth::of(ends));
    let mut m = first;
    let mut inside = 0i64;
    let mut all = 0i64;
    while m <= last {
        all += 1;
        if m.year == year {
            inside += 1;
        }
        m = m.next();
    }
    if all == 0 {
        0
    } else {
        (target_hours * inside + all / 2) / all
    }
}

/// What the report needs of a contract, with its validated hours and people of the year.
struct ContractYear {
    id: i64,
    buyer_id: i64,
    reference: String,
    object: String,
    commune_code: Option<String>,
    awardee_siret: String,
    awardee_name: String,
    target: i64,
    done: i64,
    people: usize,
}

#[derive(Default)]
struct Acc {
    target: i64,
    done: i64,
    people: usize,
}

fn lines(map: HashMap<String, (String, Acc)>) -> Vec<Line> {
    let mut v: Vec<Line> = map
        .into_iter()
        .map(|(key, (label, a))| Line {
            label,
            key,
            target_hours: a.target,
            done_tenths: a.done,
            people: a.people,
        })
        .collect();
    v.sort_by(|a, b| {
        b.done_tenths
            .cmp(&a.done_tenths)
            .then(a.label.cmp(&b.label))
    });
    v
}

/// The breakdowns of the report: each one's key for a contract, and its label.
const DIMENSIONS: [&str; 4] = ["buyer", "contract", "company", "commune"];

impl Store {
    /// Runs a read of the report: `sql` with `{p1}`… already in place.
    async fn report_rows(
        &self,
        sql: String,
        values: Vec<sea_orm::Value>,
    ) -> Result<Vec<sea_orm::QueryResult>, StoreError> {
        Ok(self
            .db
            .query_all_raw(sea_orm::Statement::from_sql_and_values(
                self.db.get_database_backend(),
                sql,
                values,
            ))
            .await?)
    }

    /// The report of `year`, for one buyer or all. It reads the tallies of validated
    /// hours (per contract, person, way and year; per contract and month), which the
    /// database groups; contracts, buyers and outcomes are joined in memory.
    pub async fn clause_year_report(
        &self,
        scope: Scope,
        year: i32,
        buyer: Option<i64>,
    ) -> Result<YearReport, StoreError> {
        let t = scope.territory_id();
        let pg = self.is_postgres();
        let p = |n: usize| if pg { format!("${n}") } else { format!("?{n}") };
        let (p1, p2, p3, p4) = (p(1), p(2), p(3), p(4));
        // The filter of one buyer's contracts, on a table aliased `t`.
        let of_buyer = |n: &str| {
            if buyer.is_some() {
                format!(
                    " AND t.contract_id IN (SELECT id FROM clause_contract WHERE buyer_id = {n})"
                )
            } else {
                String::new()
            }
        };
        let values = |mut v: Vec<sea_orm::Value>, at_end: bool| {
            if let (Some(b), true) = (buyer, at_end) {
                v.push(b.into());
            }
            v
        };
        // Each step's time, at debug level (`TRAME_LOG=trame_store=debug`).
        let mut last = std::time::Instant::now();
        let mut lap = |step: &str| {
            tracing::debug!(
                step,
                ms = last.elapsed().as_secs_f64() * 1e3,
                "clause report"
            );
            last = std::time::Instant::now();
        };
        let and_buyer = if buyer.is_some() {
            format!(" AND c.buyer_id = {p3}")
        } else {
            String::new()
        };
        // The contracts with their hours and people of the year, in one pass.
        let contracts_sql = format!(
            "SELECT c.id, c.buyer_id, c.reference, c.object, c.notified_on, c.duration_months, \
             c.target_hours, c.commune_code, c.awardee_siret, c.awardee_name, s.done, s.people \
             FROM clause_contract c LEFT JOIN (SELECT t.contract_id, CAST(SUM(t.tenths) AS BIGINT) AS done, \
             COUNT(DISTINCT t.person_id) AS people FROM clause_tally_person t \
             WHERE t.territory_id = {p1} AND t.year = {p2} GROUP BY t.contract_id) s ON s.contract_id = c.id \
             WHERE c.territory_id = {p1}{and_buyer}"
        );
        // People per buyer, company and commune: a person counts once in each.
        let people_by = |key: &str| {
            format!(
                "SELECT {key}, COUNT(DISTINCT t.person_id) FROM clause_tally_person t \
                 JOIN clause_contract c ON c.id = t.contract_id \
                 WHERE t.territory_id = {p1} AND t.year = {p2}{and_buyer} GROUP BY {key}"
            )
        };
        let ways_sql = format!(
            "SELECT t.way, CAST(SUM(t.tenths) AS BIGINT) FROM clause_tally_person t \
             WHERE t.territory_id = {p1} AND t.year = {p2}{} GROUP BY t.way",
            of_buyer(&p3)
        );
        let months_sql = format!(
            "SELECT t.month, CAST(SUM(t.tenths) AS BIGINT) FROM clause_tally_month t \
             WHERE t.territory_id = {p1} AND t.month BETWEEN {p2} AND {p3}{} GROUP BY t.month",
            of_buyer(&p4)
        );
        // The people who worked: the tally holds the territory's people only, and the list
        // of ids drives the read (a third faster than walking the territory's people).
        let people_sql = format!(
            "SELECT sex, birth_year, ground, COUNT(*) FROM clause_person \
             WHERE id IN (SELECT t.person_id FROM clause_tally_person t \
             WHERE t.territory_id = {p1} AND t.year = {p2}{}) GROUP BY sex, birth_year, ground",
            of_buyer(&p3)
        );
        let of_year = || values(vec![t.into(), year.into()], true);
        let of_months = values(
            vec![
                t.into(),
                YearMonth { year, month: 1 }.stored().into(),
                YearMonth { year, month: 12 }.stored().into(),
            ],
            true,
        );
        // The reads are independent: they go at once, on connections of their own (the
        // full scan they are measured against uses both cores too).
        let (
            contract_rows,
            buyers,
            by_buyer,
            by_company,
            by_commune,
            way_rows,
            month_rows,
            people_rows,
            outcomes,
        ) = tokio::try_join!(
            self.report_rows(contracts_sql, of_year()),
            self.buyer_names(scope),
            self.report_rows(people_by("CAST(c.buyer_id AS TEXT)"), of_year()),
            self.report_rows(people_by("c.awardee_siret"), of_year()),
            self.report_rows(people_by("COALESCE(c.commune_code, '—')"), of_year()),
            self.report_rows(ways_sql, of_year()),
            self.report_rows(months_sql, of_months),
            self.report_rows(people_sql, of_year()),
            async {
                Ok::<Vec<(i64, String, String)>, StoreError>(
                    clause_outcome::Entity::find()
                        .select_only()
                        .column(clause_outcome::Column::ContractId)
                        .column(clause_outcome::Column::Moment)
                        .column(clause_outcome::Column::Outcome)
                        .filter(clause_outcome::Column::TerritoryId.eq(t))
                        .filter(
                            clause_outcome::Column::ObservedOn
                                .between(format!("{year:04}-01-01"), format!("{year:04}-12-31")),
                        )
                        .into_tuple()
                        .all(&self.db)
                        .await?,
                )
            },
        )?;
        lap("reads");
        // A contract's target counts by its months in the year.
        let mut contracts: HashMap<i64, ContractYear> = HashMap::new();
        for r in contract_rows {
            let notified: String = r.try_get_by_index(4)?;
            let c = ContractYear {
                id: r.try_get_by_index(0)?,
                buyer_id: r.try_get_by_index(1)?,
                reference: r.try_get_by_index(2)?,
                object: r.try_get_by_index(3)?,
                target: target_in_year(
                    &notified,
                    r.try_get_by_index(5)?,
                    r.try_get_by_index(6)?,
                    year,
                ),
                commune_code: r.try_get_by_index(7)?,
                awardee_siret: r.try_get_by_index(8)?,
                awardee_name: r.try_get_by_index(9)?,
                done: r.try_get_by_index::<Option<i64>>(10)?.unwrap_or(0),
                people: usize::try_from(r.try_get_by_index::<Option<i64>>(11)?.unwrap_or(0))
                    .unwrap_or(0),
            };
            contracts.insert(c.id, c);
        }
        let commune_key = |c: &ContractYear| c.commune_code.clone().unwrap_or_else(|| "—".into());
        let key_label = |dim: &str, c: &ContractYear| -> (String, String) {
            match dim {
                "buyer" => (
                    c.buyer_id.to_string(),
                    buyers.get(&c.buyer_id).cloned().unwrap_or_default(),
                ),
                "contract" => (c.id.to_string(), format!("{} — {}", c.reference, c.object)),
                "company" => (c.awardee_siret.clone(), c.awardee_name.clone()),
                _ => (commune_key(c), commune_key(c)),
            }
        };
        let mut report = YearReport {
            year,
            buyer,
            ..Default::default()
        };
        let mut by: [HashMap<String, (String, Acc)>; 4] = Default::default();
        let mut total = Acc::default();
        // Targets and hours; people per contract.
        for c in contracts.values() {
            if c.target == 0 && c.done == 0 {
                continue;
            }
            total.target += c.target;
            total.done += c.done;
            for (dim, map) in DIMENSIONS.iter().zip(by.iter_mut()) {
                let (key, label) = key_label(dim, c);
                let e = &mut map.entry(key).or_insert_with(|| (label, Acc::default())).1;
                e.target += c.target;
                e.done += c.done;
                if *dim == "contract" {
                    e.people = c.people;
                }
            }
        }
        for (dim, rows) in [(0, by_buyer), (2, by_company), (3, by_commune)] {
            for r in rows {
                let k: String = r.try_get_by_index(0)?;
                let n = usize::try_from(r.try_get_by_index::<i64>(1)?).unwrap_or(0);
                if let Some(e) = by.get_mut(dim).and_then(|m| m.get_mut(&k)) {
                    e.1.people = n;
                }
            }
        }
        for r in way_rows {
            report.ways.insert(
                r.try_get_by_index(0)?,
                r.try_get_by_index::<Option<i64>>(1)?.unwrap_or(0),
            );
        }
        let mut per_month: BTreeMap<YearMonth, i64> = (1..=12)
            .map(|m| (YearMonth { year, month: m }, 0))
            .collect();
        for r in month_rows {
            let month: String = r.try_get_by_index(0)?;
            if let Some(m) = YearMonth::parse(&month) {
                *per_month.entry(m).or_default() +=
                    r.try_get_by_index::<Option<i64>>(1)?.unwrap_or(0);
            }
        }
        report.months = per_month.into_iter().collect();
        let mut ages: HashMap<&'static str, usize> = HashMap::new();
        let mut grounds: HashMap<String, usize> = HashMap::new();
        for r in people_rows {
            let sex: String = r.try_get_by_index(0)?;
            let birth: i32 = r.try_get_by_index(1)?;
            let ground: String = r.try_get_by_index(2)?;
            let n = usize::try_from(r.try_get_by_index::<i64>(3)?).unwrap_or(0);
            report.people.total += n;
            if sex == "F" {
                report.people.women += n;
            } else {
                report.people.men += n;
            }
            *ages.entry(age_band(birth, year)).or_default() += n;
            *grounds.entry(ground).or_default() += n;
        }
        report.people.ages = ages.into_iter().collect();
        report.people.grounds = grounds.into_iter().collect();
        // Outcomes observed in the year, on the report's contracts.
        for (contract, moment, outcome) in outcomes {
            if contracts.contains_key(&contract) {
                *report.outcomes.entry((moment, outcome)).or_default() += 1;
            }
        }
        lap("assembled");
        report.total = Line {
            label: "Total".into(),
            key: "total".into(),
            target_hours: total.target,
            done_tenths: total.done,
            people: report.people.total,
        };
        let [buyers_, contracts_, companies_, communes_] = by;
        report.buyers = lines(buyers_);
        report.contracts = lines(contracts_);
        report.companies = lines(companies_);
        report.communes = lines(communes_);
        Ok(report)
    }

    /// A bare full scan of the hours table: its lines and the sum of their tenths (the
    /// yardstick of the report's benchmark).
    pub async fn clause_hours_full_scan(&self) -> Result<(i64, i64), StoreError> {
        let row: Option<(i64, Option<i64>)> = clause_hours::Entity::find()
            .select_only()
            .column_as(
                Expr::from(Func::count(Expr::col(clause_hours::Column::Id))),
                "n",
            )
            .column_as(
                Expr::from(Func::sum(Expr::col(clause_hours::Column::Tenths))),
                "total",
            )
            .into_tuple()
            .one(&self.db)
            .await?;
        Ok(row.map_or((0, 0), |(n, t)| (n, t.unwrap_or(0))))
    }

    /// Validated clause hours per commune of execution, tenths, all years: for the equity
    /// dashboard (the contracts' running totals).
    pub async fn clause_hours_by_commune(
        &self,
        scope: Scope,
    ) -> Result<BTreeMap<String, i64>, StoreError> {
        let rows: Vec<(Option<String>, Option<i64>)> = clause_contract::Entity::find()
            .select_only()
            .column(clause_contract::Column::CommuneCode)
            // SUM of a BIGINT is a NUMERIC on PostgreSQL.
            .column_as(Expr::cust("CAST(SUM(done_tenths) AS BIGINT)"), "total")
            .filter(clause_contract::Column::TerritoryId.eq(scope.territory_id()))
            .group_by(clause_contract::Column::CommuneCode)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(code, tenths)| Some((code?, tenths.unwrap_or(0))))
            .filter(|(_, tenths)| *tenths != 0)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_fall_in_years_by_their_months() {
        let c = clause_contract::Model {
            id: 1,
            territory_id: 1,
            buyer_id: 1,
            operation_id: None,
            reference: "r".into(),
            object: "o".into(),
            cpv: "45000000".into(),
            amount_cents: 1,
            notified_on: "2025-10-15".into(),
            duration_months: 12,
            ends_on: "2026-10-14".into(),
            commune_code: None,
            awardee_siret: String::new(),
            awardee_name: String::new(),
            awardee_org_id: None,
            clause_type: String::new(),
            target_hours: 1_300,
            labour_share_bp: None,
            rate_bp: None,
            hourly_cost_cents: None,
            target_reason: None,
            decp_considerations: None,
            is_demo: false,
            revision: 1,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            updated_at: time::OffsetDateTime::UNIX_EPOCH,
            done_tenths: 0,
            pending_tenths: 0,
        };
        // October 2025 to October 2026: 13 months, 3 in 2025, 10 in 2026.
        let of = |year| target_in_year(&c.notified_on, c.duration_months, c.target_hours, year);
        assert_eq!(of(2025), 300);
        assert_eq!(of(2026), 1_000);
        assert_eq!(of(2027), 0);
    }
}
