//! The pathways' dashboard: files, exits and positive exits by year of entry, commune
//! and referent counsellor; barriers by theme; referrals by where they stand. The
//! database groups the files (one JSON array per grouping, read in one row each: a
//! driver's cost per row is what makes a page slow here), the rest is summed in Rust.

use super::orgs_of;
use crate::{Scope, Store, StoreError};
use sea_orm::{ConnectionTrait, Statement};
use std::collections::BTreeMap;
use trame_domain::pathways::referral::EXPIRY_DAYS;
use trame_domain::pathways::vocab::{Barrier, ExitReason, ReferralState};

/// Whose files the figures count.
#[derive(Debug, Clone, Copy)]
pub enum Sight {
    /// Every file of the territory (its staff).
    Territory,
    /// The files of the organisations this person belongs to (a counsellor).
    Own(i64),
}

/// Counts over a group of files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Files.
    pub files: i64,
    /// Exited.
    pub exited: i64,
    /// Positive exits.
    pub positive: i64,
}

impl Counts {
    /// Files still in their pathway.
    pub fn ongoing(&self) -> i64 {
        self.files - self.exited
    }

    /// Positive exits per hundred exits, when there are exits.
    pub fn positive_rate(&self) -> Option<i64> {
        (self.exited > 0).then(|| (self.positive * 100 + self.exited / 2) / self.exited)
    }

    fn add(&mut self, files: i64, reason: Option<&str>) {
        self.files += files;
        if let Some(r) = reason {
            self.exited += files;
            if ExitReason::from_code(r).is_some_and(ExitReason::positive) {
                self.positive += files;
            }
        }
    }
}

/// The dashboard.
#[derive(Debug, Clone, Default)]
pub struct PathDashboard {
    /// Everything selected.
    pub total: Counts,
    /// Per year of entry, latest first.
    pub years: Vec<(i32, Counts)>,
    /// Per commune (INSEE code).
    pub communes: BTreeMap<String, Counts>,
    /// Per referent (person id).
    pub referents: BTreeMap<i64, Counts>,
    /// The referents' names.
    pub referent_names: BTreeMap<i64, String>,
    /// Exits per reason, in the vocabulary's order.
    pub reasons: Vec<(ExitReason, i64)>,
    /// Barriers per theme: found, lifted.
    pub barriers: Vec<(Barrier, i64, i64)>,
    /// Referrals per state (expired when unanswered for 30 days).
    pub referrals: Vec<(ReferralState, i64)>,
    /// Every year with files (for the filter), latest first.
    pub all_years: Vec<i32>,
}

type FileGroup = (String, String, i64, Option<String>, i64);
type Group5 = (String, String, String, i64, i64);

/// What the database groups for a dashboard, before the filters and the sums: the
/// files by year, commune, referent and exit reason; the barriers by year, commune and
/// theme (found, lifted); the referrals by year, commune, state and whether sent more than
/// 30 days before (waiting that long: expired).
#[derive(Debug, Clone, Default)]
pub struct PathGroups {
    files: Vec<FileGroup>,
    barriers: Vec<Group5>,
    referrals: Vec<Group5>,
}

impl Store {
    /// The dashboard of the files `sight` covers, for one year of entry or all, one
    /// commune or all. The groups are read once and kept (see `cache`): a pathways write
    /// of this process forgets them, and they expire after a few seconds otherwise.
    pub async fn path_dashboard(
        &self,
        scope: Scope,
        sight: Sight,
        year: Option<i32>,
        commune: Option<&str>,
    ) -> Result<PathDashboard, StoreError> {
        let key = (
            scope.territory_id(),
            match sight {
                Sight::Territory => 0,
                Sight::Own(person) => person,
            },
        );
        let groups = match self.cache.pathway_groups(key) {
            Some(g) => g,
            None => {
                // One read at a time: those who missed the groups together find them
                // kept once the first read is done.
                let _reading = self.cache.pathway_reading.lock().await;
                match self.cache.pathway_groups(key) {
                    Some(g) => g,
                    None => {
                        let ticket = self.cache.ticket();
                        let g = std::sync::Arc::new(self.path_groups(scope, sight).await?);
                        self.cache.keep_pathway_groups(ticket, key, g.clone());
                        g
                    }
                }
            }
        };
        let mut d = summed(&groups, year, commune);
        d.referent_names = crate::accompaniment::names(&self.db, d.referents.keys().copied())
            .await?
            .into_iter()
            .collect();
        Ok(d)
    }

    /// The groups, from the database: three groupings read at once, each as one JSON
    /// array in one row.
    async fn path_groups(&self, scope: Scope, sight: Sight) -> Result<PathGroups, StoreError> {
        let pg = self.is_postgres();
        let p1 = if pg { "$1" } else { "?1" };
        let own = match sight {
            Sight::Territory => String::new(),
            Sight::Own(viewer) => {
                let orgs = orgs_of(&self.db, scope, viewer).await?;
                let list: Vec<String> = orgs.iter().map(i64::to_string).collect();
                format!(
                    " AND f.organisation_id IN ({})",
                    if list.is_empty() {
                        "0".to_owned()
                    } else {
                        list.join(",")
                    }
                )
            }
        };
        let json = |columns: &str, grouped: &str| {
            if pg {
                format!(
                    "SELECT COALESCE(json_agg(json_build_array({columns})), '[]'::json)::text \
                     AS groups FROM ({grouped}) g"
                )
            } else {
                format!(
                    "SELECT json_group_array(json_array({columns})) AS groups FROM ({grouped}) g"
                )
            }
        };
        let files = json(
            "g.y, g.commune_code, g.referent_id, g.exit_reason, g.n",
            &format!(
                "SELECT SUBSTR(f.entered_on, 1, 4) AS y, f.commune_code, f.referent_id, \
                 f.exit_reason, COUNT(*) AS n FROM path_file f \
                 WHERE f.territory_id = {p1}{own} \
                 GROUP BY SUBSTR(f.entered_on, 1, 4), f.commune_code, f.referent_id, f.exit_reason"
            ),
        );
        let barriers = json(
            "g.y, g.commune_code, g.barrier, g.found, g.lifted",
            &format!(
                "SELECT SUBSTR(f.entered_on, 1, 4) AS y, f.commune_code, b.barrier, \
                 COUNT(*) AS found, COUNT(b.lifted_on) AS lifted \
                 FROM path_barrier b JOIN path_file f ON f.id = b.file_id \
                 WHERE f.territory_id = {p1}{own} \
                 GROUP BY SUBSTR(f.entered_on, 1, 4), f.commune_code, b.barrier"
            ),
        );
        let referrals = json(
            "g.y, g.commune_code, g.state, g.expired, g.n",
            &format!(
                "SELECT SUBSTR(f.entered_on, 1, 4) AS y, f.commune_code, r.state, \
                 CASE WHEN r.sent_at < {} THEN 1 ELSE 0 END AS expired, COUNT(*) AS n \
                 FROM path_referral r JOIN path_file f ON f.id = r.file_id \
                 WHERE f.territory_id = {p1}{own} \
                 GROUP BY SUBSTR(f.entered_on, 1, 4), f.commune_code, r.state, \
                 CASE WHEN r.sent_at < {} THEN 1 ELSE 0 END",
                if pg { "$2" } else { "?2" },
                if pg { "$2" } else { "?2" },
            ),
        );
        let cutoff = self.now() - time::Duration::days(EXPIRY_DAYS);
        let one = |sql: String, with_cutoff: bool| {
            let mut values: Vec<sea_orm::Value> = vec![scope.territory_id().into()];
            if with_cutoff {
                values.push(cutoff.into());
            }
            let stmt = Statement::from_sql_and_values(self.db.get_database_backend(), sql, values);
            async move {
                let row = self.db.query_one_raw(stmt).await?;
                Ok::<String, StoreError>(match row {
                    Some(r) => r
                        .try_get::<Option<String>>("", "groups")?
                        .unwrap_or_else(|| "[]".into()),
                    None => "[]".to_owned(),
                })
            }
        };
        let (f, b, r) = tokio::try_join!(
            one(files, false),
            one(barriers, false),
            one(referrals, true)
        )?;
        let parse = |s: &str| {
            serde_json::from_str::<serde_json::Value>(s)
                .map_err(|e| StoreError::Internal(e.to_string()))
        };
        let files: Vec<FileGroup> =
            serde_json::from_value(parse(&f)?).map_err(|e| StoreError::Internal(e.to_string()))?;
        let barriers: Vec<Group5> =
            serde_json::from_value(parse(&b)?).map_err(|e| StoreError::Internal(e.to_string()))?;
        let referrals: Vec<Group5> =
            serde_json::from_value(parse(&r)?).map_err(|e| StoreError::Internal(e.to_string()))?;
        Ok(PathGroups {
            files,
            barriers,
            referrals,
        })
    }
}

/// Sums the groups kept for one year or all, one commune or all.
fn summed(g: &PathGroups, year: Option<i32>, commune: Option<&str>) -> PathDashboard {
    let (files, barriers, referrals) = (&g.files, &g.barriers, &g.referrals);
    let year_of = |y: &str| y.parse::<i32>().unwrap_or(0);
    let keep = |y: &str, c: &str| {
        year.is_none_or(|want| want == year_of(y)) && commune.is_none_or(|want| want == c)
    };
    let mut d = PathDashboard::default();
    let mut all_years: Vec<i32> = files.iter().map(|g| year_of(&g.0)).collect();
    all_years.sort_unstable_by(|a, b| b.cmp(a));
    all_years.dedup();
    d.all_years = all_years;
    let mut years: BTreeMap<i32, Counts> = BTreeMap::new();
    let mut reasons: BTreeMap<String, i64> = BTreeMap::new();
    for (y, c, referent, reason, n) in files {
        if !keep(y, c) {
            continue;
        }
        d.total.add(*n, reason.as_deref());
        years
            .entry(year_of(y))
            .or_default()
            .add(*n, reason.as_deref());
        d.communes
            .entry(c.clone())
            .or_default()
            .add(*n, reason.as_deref());
        d.referents
            .entry(*referent)
            .or_default()
            .add(*n, reason.as_deref());
        if let Some(r) = reason {
            *reasons.entry(r.clone()).or_default() += n;
        }
    }
    d.years = years.into_iter().rev().collect();
    d.reasons = ExitReason::ALL
        .iter()
        .map(|r| (*r, reasons.get(r.code()).copied().unwrap_or(0)))
        .collect();
    let mut found: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for (y, c, barrier, n, lifted) in barriers {
        if keep(y, c) {
            let e = found.entry(barrier.clone()).or_default();
            e.0 += n;
            e.1 += lifted;
        }
    }
    d.barriers = Barrier::ALL
        .iter()
        .map(|b| {
            let (n, l) = found.get(b.code()).copied().unwrap_or_default();
            (*b, n, l)
        })
        .collect();
    let mut states: BTreeMap<&'static str, i64> = BTreeMap::new();
    for (y, c, state, expired, n) in referrals {
        if !keep(y, c) {
            continue;
        }
        let s = match ReferralState::from_code(state) {
            Some(ReferralState::Sent) if *expired == 1 => ReferralState::Expired,
            Some(s) => s,
            None => continue,
        };
        *states.entry(s.code()).or_default() += n;
    }
    d.referrals = ReferralState::ALL
        .iter()
        .map(|s| (*s, states.get(s.code()).copied().unwrap_or(0)))
        .collect();
    d
}
