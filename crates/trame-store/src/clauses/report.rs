//! The yearly report of insertion clauses: for one year (and one buyer, or all), hours
//! targeted and done per buyer, contract, company and commune, the people who worked them
//! (women and men, age bands, publics), the ways, the outcomes and the months. The hours
//! are summed by the database over the covering index; people and contracts are joined
//! in memory.

use crate::entities::{clause_buyer, clause_contract, clause_hours, clause_outcome};
use crate::{Scope, Store, StoreError};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap, HashSet};
use trame_domain::clauses::contract::end_of;
use trame_domain::clauses::hours::YearMonth;
use trame_domain::clauses::vocab::{HoursState, age_band};
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
fn target_in_year(c: &clause_contract::Model, year: i32) -> i64 {
    let (Some(starts), months) = (parse_iso_date(&c.notified_on), c.duration_months.max(1)) else {
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
        (c.target_hours * inside + all / 2) / all
    }
}

#[derive(Default)]
struct Acc {
    target: i64,
    done: i64,
    people: HashSet<i64>,
}

fn lines(map: HashMap<String, (String, Acc)>) -> Vec<Line> {
    let mut v: Vec<Line> = map
        .into_iter()
        .map(|(key, (label, a))| Line {
            label,
            key,
            target_hours: a.target,
            done_tenths: a.done,
            people: a.people.len(),
        })
        .collect();
    v.sort_by(|a, b| {
        b.done_tenths
            .cmp(&a.done_tenths)
            .then(a.label.cmp(&b.label))
    });
    v
}

impl Store {
    /// The report of `year`, for one buyer or all.
    pub async fn clause_year_report(
        &self,
        scope: Scope,
        year: i32,
        buyer: Option<i64>,
    ) -> Result<YearReport, StoreError> {
        let t = scope.territory_id();
        let first = YearMonth { year, month: 1 }.stored();
        let last = YearMonth { year, month: 12 }.stored();
        let validated = HoursState::Validated.code();
        // Sums per contract, person and way; then per month.
        // Sums per contract and way, with the people of each as one list: few rows, read
        // from the first index in its order.
        let backend = self.db.get_database_backend();
        let people_list = if self.is_postgres() {
            "string_agg(DISTINCT person_id::text, ',')"
        } else {
            "group_concat(DISTINCT person_id)"
        };
        // SQLite's planner, once it has statistics, prefers the month range of the second
        // index and then sorts; the first one is read in order, without a sort.
        let hint = if self.is_postgres() {
            ""
        } else {
            " INDEXED BY ix_clause_hours_territory_id_state_contract_id_way_person_id_month_tenths"
        };
        let (p1, p2, p3) = if self.is_postgres() {
            ("$1", "$2", "$3")
        } else {
            ("?", "?", "?")
        };
        let sums: Vec<(i64, String, i64, String)> = self
            .db
            .query_all_raw(sea_orm::Statement::from_sql_and_values(
                backend,
                format!(
                    "SELECT contract_id, way, SUM(tenths), {people_list} FROM clause_hours{hint} \
                     WHERE territory_id = {p1} AND state = 'valide' AND month BETWEEN {p2} AND {p3} \
                     GROUP BY contract_id, way"
                ),
                [t.into(), first.clone().into(), last.clone().into()],
            ))
            .await?
            .into_iter()
            .map(|r| {
                Ok((
                    r.try_get_by_index::<i64>(0)?,
                    r.try_get_by_index::<String>(1)?,
                    r.try_get_by_index::<Option<i64>>(2)?.unwrap_or(0),
                    r.try_get_by_index::<Option<String>>(3)?.unwrap_or_default(),
                ))
            })
            .collect::<Result<_, sea_orm::DbErr>>()?;
        let contracts: HashMap<i64, clause_contract::Model> = clause_contract::Entity::find()
            .filter(clause_contract::Column::TerritoryId.eq(t))
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|c| buyer.is_none_or(|b| c.buyer_id == b))
            .map(|c| (c.id, c))
            .collect();
        let buyers: HashMap<i64, String> = clause_buyer::Entity::find()
            .select_only()
            .column(clause_buyer::Column::Id)
            .column(clause_buyer::Column::Name)
            .filter(clause_buyer::Column::TerritoryId.eq(t))
            .into_tuple::<(i64, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let mut report = YearReport {
            year,
            buyer,
            ..Default::default()
        };
        let mut by_buyer: HashMap<String, (String, Acc)> = HashMap::new();
        let mut by_contract: HashMap<String, (String, Acc)> = HashMap::new();
        let mut by_company: HashMap<String, (String, Acc)> = HashMap::new();
        let mut by_commune: HashMap<String, (String, Acc)> = HashMap::new();
        let mut total = Acc::default();
        let commune_key =
            |c: &clause_contract::Model| c.commune_code.clone().unwrap_or_else(|| "—".into());
        // Targets of the contracts running in the year.
        for c in contracts.values() {
            let target = target_in_year(c, year);
            if target == 0 {
                continue;
            }
            total.target += target;
            for (map, key, label) in [
                (
                    &mut by_buyer,
                    c.buyer_id.to_string(),
                    buyers.get(&c.buyer_id).cloned().unwrap_or_default(),
                ),
                (
                    &mut by_contract,
                    c.id.to_string(),
                    format!("{} — {}", c.reference, c.object),
                ),
                (
                    &mut by_company,
                    c.awardee_siret.clone(),
                    c.awardee_name.clone(),
                ),
                (&mut by_commune, commune_key(c), commune_key(c)),
            ] {
                map.entry(key)
                    .or_insert_with(|| (label, Acc::default()))
                    .1
                    .target += target;
            }
        }
        // Per contract first, by number; the labels once per contract.
        let mut people: HashSet<i64> = HashSet::new();
        let mut per_contract: HashMap<i64, (i64, HashSet<i64>)> = HashMap::new();
        let mut ways: HashMap<String, i64> = HashMap::new();
        for (contract, way, tenths, who) in sums {
            if !contracts.contains_key(&contract) {
                continue;
            }
            total.done += tenths;
            *ways.entry(way).or_default() += tenths;
            let e = per_contract.entry(contract).or_default();
            e.0 += tenths;
            for person in who.split(',').filter_map(|p| p.trim().parse::<i64>().ok()) {
                people.insert(person);
                e.1.insert(person);
            }
        }
        report.ways = ways.into_iter().collect();
        for (contract, (done, who)) in per_contract {
            let Some(c) = contracts.get(&contract) else {
                continue;
            };
            for (map, key, label) in [
                (
                    &mut by_buyer,
                    c.buyer_id.to_string(),
                    buyers.get(&c.buyer_id).cloned().unwrap_or_default(),
                ),
                (
                    &mut by_contract,
                    c.id.to_string(),
                    format!("{} — {}", c.reference, c.object),
                ),
                (
                    &mut by_company,
                    c.awardee_siret.clone(),
                    c.awardee_name.clone(),
                ),
                (&mut by_commune, commune_key(c), commune_key(c)),
            ] {
                let e = map.entry(key).or_insert_with(|| (label, Acc::default()));
                e.1.done += done;
                e.1.people.extend(who.iter().copied());
            }
        }
        // The months, over the year's range of the second index.
        let mut q = clause_hours::Entity::find()
            .select_only()
            .column(clause_hours::Column::Month)
            .column_as(
                Expr::from(Func::sum(Expr::col(clause_hours::Column::Tenths))),
                "total",
            )
            .filter(clause_hours::Column::TerritoryId.eq(t))
            .filter(clause_hours::Column::State.eq(validated))
            .filter(clause_hours::Column::Month.between(first, last));
        if buyer.is_some() {
            q = q.filter(clause_hours::Column::ContractId.is_in(contracts.keys().copied()));
        }
        let months: Vec<(String, Option<i64>)> = q
            .group_by(clause_hours::Column::Month)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut per_month: BTreeMap<YearMonth, i64> = (1..=12)
            .map(|m| (YearMonth { year, month: m }, 0))
            .collect();
        for (month, tenths) in months {
            if let Some(m) = YearMonth::parse(&month) {
                *per_month.entry(m).or_default() += tenths.unwrap_or(0);
            }
        }
        report.months = per_month.into_iter().collect();
        // The people who worked, counted by the database: their ids go as one JSON list.
        let ids = serde_json::to_string(&people.iter().collect::<Vec<_>>())
            .map_err(|e| StoreError::Internal(e.to_string()))?;
        let among = if self.is_postgres() {
            "id IN (SELECT (jsonb_array_elements_text($2::jsonb))::bigint)"
        } else {
            "id IN (SELECT value FROM json_each(?))"
        };
        let p1 = if self.is_postgres() { "$1" } else { "?" };
        let counts = self
            .db
            .query_all_raw(sea_orm::Statement::from_sql_and_values(
                backend,
                format!(
                    "SELECT sex, birth_year, ground, COUNT(*) FROM clause_person \
                     WHERE territory_id = {p1} AND {among} GROUP BY sex, birth_year, ground"
                ),
                [t.into(), ids.into()],
            ))
            .await?;
        let mut ages: HashMap<&'static str, usize> = HashMap::new();
        let mut grounds: HashMap<String, usize> = HashMap::new();
        for r in counts {
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
        let outcomes: Vec<(i64, String, String)> = clause_outcome::Entity::find()
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
            .await?;
        for (contract, moment, outcome) in outcomes {
            if contracts.contains_key(&contract) {
                *report.outcomes.entry((moment, outcome)).or_default() += 1;
            }
        }
        report.total = Line {
            label: "Total".into(),
            key: "total".into(),
            target_hours: total.target,
            done_tenths: total.done,
            people: people.len(),
        };
        report.buyers = lines(by_buyer);
        report.contracts = lines(by_contract);
        report.companies = lines(by_company);
        report.communes = lines(by_commune);
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
    /// dashboard.
    pub async fn clause_hours_by_commune(
        &self,
        scope: Scope,
    ) -> Result<BTreeMap<String, i64>, StoreError> {
        let t = scope.territory_id();
        let sums: Vec<(i64, Option<i64>)> = clause_hours::Entity::find()
            .select_only()
            .column(clause_hours::Column::ContractId)
            .column_as(
                Expr::from(Func::sum(Expr::col(clause_hours::Column::Tenths))),
                "total",
            )
            .filter(clause_hours::Column::TerritoryId.eq(t))
            .filter(clause_hours::Column::State.eq(HoursState::Validated.code()))
            .group_by(clause_hours::Column::ContractId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let communes: HashMap<i64, Option<String>> = clause_contract::Entity::find()
            .select_only()
            .column(clause_contract::Column::Id)
            .column(clause_contract::Column::CommuneCode)
            .filter(clause_contract::Column::TerritoryId.eq(t))
            .into_tuple::<(i64, Option<String>)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let mut out = BTreeMap::new();
        for (contract, tenths) in sums {
            if let Some(Some(code)) = communes.get(&contract) {
                *out.entry(code.clone()).or_default() += tenths.unwrap_or(0);
            }
        }
        Ok(out)
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
        };
        // October 2025 to October 2026: 13 months, 3 in 2025, 10 in 2026.
        assert_eq!(target_in_year(&c, 2025), 300);
        assert_eq!(target_in_year(&c, 2026), 1_000);
        assert_eq!(target_in_year(&c, 2027), 0);
    }
}
