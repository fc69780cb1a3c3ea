//! The commune outlines a territory imports for its map (`trame territory geometry
//! import`): one row per commune, its rings as JSON `[[[lon, lat], …], …]` in WGS 84. An
//! import replaces the territory's outlines in one transaction, journaled.

use crate::entities::commune_outline;
use crate::{Scope, Store, StoreError};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use trame_domain::audit::action;
use trame_domain::geometry::{Outline, Reading};

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutlineReport {
    /// Communes of the territory now outlined.
    pub stored: usize,
    /// Codes in the file that are not communes of the territory (set aside).
    pub ignored: Vec<String>,
    /// Communes of the territory the file does not outline (drawn as discs).
    pub missing: Vec<String>,
}

impl Store {
    /// Replaces the territory's outlines with those of the file's communes that belong to
    /// it. Refused when the file outlines none of them.
    pub async fn import_outlines(
        &self,
        actor_id: Option<i64>,
        scope: Scope,
        reading: &Reading,
    ) -> Result<OutlineReport, StoreError> {
        let communes = self.communes(scope).await?;
        let mut report = OutlineReport::default();
        let mut rows = Vec::new();
        let now = self.now();
        for (code, rings) in &reading.outlines {
            if !communes.iter().any(|c| &c.code_insee == code) {
                report.ignored.push(code.clone());
                continue;
            }
            let json: Vec<Vec<[f64; 2]>> = rings
                .iter()
                .map(|r| r.iter().map(|&(x, y)| [x, y]).collect())
                .collect();
            rows.push(commune_outline::ActiveModel {
                territory_id: Set(scope.territory_id()),
                code_insee: Set(code.clone()),
                geometry: Set(serde_json::to_string(&json)
                    .map_err(|e| StoreError::Internal(e.to_string()))?),
                created_at: Set(now),
                ..Default::default()
            });
        }
        report.missing = communes
            .iter()
            .filter(|c| !reading.outlines.contains_key(&c.code_insee))
            .map(|c| c.code_insee.clone())
            .collect();
        if rows.is_empty() {
            return Err(StoreError::Conflict {
                field: "fichier",
                message: "Le fichier ne contient le contour d'aucune commune du territoire.".into(),
            });
        }
        report.stored = rows.len();
        let tx = self.begin_write().await?;
        commune_outline::Entity::delete_many()
            .filter(commune_outline::Column::TerritoryId.eq(scope.territory_id()))
            .exec(&tx)
            .await?;
        commune_outline::Entity::insert_many(rows).exec(&tx).await?;
        crate::audit::journal(
            &tx,
            now,
            actor_id,
            scope,
            action::OUTLINES_IMPORT,
            "territory",
            scope.territory_id(),
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    /// The territory's outlines, by INSEE code; empty when none was imported.
    pub async fn outlines(&self, scope: Scope) -> Result<Vec<Outline>, StoreError> {
        commune_outline::Entity::find()
            .filter(commune_outline::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_asc(commune_outline::Column::CodeInsee)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| {
                let rings: Vec<Vec<[f64; 2]>> = serde_json::from_str(&r.geometry)
                    .map_err(|e| StoreError::Internal(format!("outline {}: {e}", r.code_insee)))?;
                Ok(Outline {
                    code: r.code_insee,
                    rings: rings
                        .into_iter()
                        .map(|ring| ring.into_iter().map(|[x, y]| (x, y)).collect())
                        .collect(),
                })
            })
            .collect()
    }
}
