//! What the equity dashboard reads from the database: the funding awarded to projects in
//! each commune. A call-for-projects award is shared equally among the communes its
//! dossier concerns (the remainder, in cents, to the first in code order); a convention
//! with a commune counts for that commune; a convention with a partner counts for the
//! partner's commune when known.

use crate::entities::{award, dossier_commune, organisation};
use crate::{Scope, Store, StoreError};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, HashMap};

impl Store {
    /// Cents awarded per commune code (every year, or the given year of decision).
    pub async fn funding_by_commune(
        &self,
        scope: Scope,
        year: Option<i32>,
    ) -> Result<BTreeMap<String, i64>, StoreError> {
        let t = scope.territory_id();
        let awards: Vec<award::Model> = award::Entity::find()
            .filter(award::Column::TerritoryId.eq(t))
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|a| year.is_none_or(|y| a.decided_on.year() == y))
            .collect();
        let mut communes_of: HashMap<i64, Vec<String>> = HashMap::new();
        for dc in dossier_commune::Entity::find()
            .filter(dossier_commune::Column::TerritoryId.eq(t))
            .all(&self.db)
            .await?
        {
            communes_of
                .entry(dc.dossier_id)
                .or_default()
                .push(dc.commune_code);
        }
        let org_commune: HashMap<i64, String> = organisation::Entity::find()
            .filter(organisation::Column::TerritoryId.eq(t))
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|o| o.commune_code.map(|c| (o.id, c)))
            .collect();
        let mut out: BTreeMap<String, i64> = BTreeMap::new();
        for a in awards {
            let mut places: Vec<String> = match (&a.commune_code, a.dossier_id, a.organisation_id) {
                (Some(c), _, _) => vec![c.clone()],
                (None, Some(d), _) => communes_of.get(&d).cloned().unwrap_or_default(),
                (None, None, Some(o)) => org_commune.get(&o).cloned().into_iter().collect(),
                _ => Vec::new(),
            };
            places.sort();
            places.dedup();
            let n = places.len() as i64;
            if n == 0 {
                continue;
            }
            let share = a.amount_cents / n;
            let rest = a.amount_cents - share * n;
            for (i, c) in places.into_iter().enumerate() {
                *out.entry(c).or_default() += share + if i == 0 { rest } else { 0 };
            }
        }
        Ok(out)
    }
}
