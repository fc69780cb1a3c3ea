//! A territory's clause settings: the labour share of each trade (the code's defaults
//! until the territory sets its own), the reference hourly cost and the convention by
//! which a SIAE's hours are counted (hours worked, or the invoice converted).

use crate::audit::journal;
use crate::entities::{clause_setting, clause_trade};
use crate::{Scope, Store, StoreError};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use trame_domain::audit::action;
use trame_domain::clauses::target::{Percent, TRADES};
use trame_domain::clauses::vocab::InvoiceConvention;
use trame_domain::money::Euros;

/// The reference hourly cost before a territory sets its own.
pub const DEFAULT_REFERENCE_COST: Euros = Euros::from_cents(2_800);

/// A trade with the territory's labour share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradeShare {
    /// Code.
    pub code: &'static str,
    /// Label.
    pub label: &'static str,
    /// The territory's share (or the default).
    pub labour_share: Percent,
    /// Whether the territory changed the default.
    pub changed: bool,
}

/// The settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseSettings {
    /// Labour shares, one per trade.
    pub trades: Vec<TradeShare>,
    /// The reference hourly cost of invoice conversion.
    pub reference_cost: Euros,
    /// How SIAE hours are counted.
    pub convention: InvoiceConvention,
}

impl ClauseSettings {
    /// The labour share of a trade, if known.
    pub fn share_of(&self, code: &str) -> Option<Percent> {
        self.trades
            .iter()
            .find(|t| t.code == code)
            .map(|t| t.labour_share)
    }
}

impl Store {
    /// The territory's clause settings.
    pub async fn clause_settings(&self, scope: Scope) -> Result<ClauseSettings, StoreError> {
        let t = scope.territory_id();
        let set = clause_trade::Entity::find()
            .filter(clause_trade::Column::TerritoryId.eq(t))
            .all(&self.db)
            .await?;
        let setting = clause_setting::Entity::find()
            .filter(clause_setting::Column::TerritoryId.eq(t))
            .one(&self.db)
            .await?;
        Ok(ClauseSettings {
            trades: TRADES
                .iter()
                .map(|d| {
                    let own = set.iter().find(|s| s.code == d.code);
                    TradeShare {
                        code: d.code,
                        label: d.label,
                        labour_share: own.map_or(d.labour_share, |s| {
                            Percent::from_bp(u32::try_from(s.labour_share_bp).unwrap_or(0))
                        }),
                        changed: own.is_some_and(|s| {
                            i64::from(s.labour_share_bp) != i64::from(d.labour_share.bp())
                        }),
                    }
                })
                .collect(),
            reference_cost: setting.as_ref().map_or(DEFAULT_REFERENCE_COST, |s| {
                Euros::from_cents(s.reference_hourly_cost_cents)
            }),
            convention: setting
                .as_ref()
                .and_then(|s| InvoiceConvention::from_code(&s.invoice_convention))
                .unwrap_or(InvoiceConvention::Hours),
        })
    }

    /// Saves the settings (shares of the known trades only), journaled.
    pub async fn save_clause_settings(
        &self,
        actor_id: i64,
        scope: Scope,
        shares: &[(String, Percent)],
        reference_cost: Euros,
        convention: InvoiceConvention,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let t = scope.territory_id();
        let tx = self.begin_write().await?;
        for (code, share) in shares {
            if !TRADES.iter().any(|d| d.code == code) {
                continue;
            }
            let bp = i32::try_from(share.bp()).unwrap_or(0);
            match clause_trade::Entity::find()
                .filter(clause_trade::Column::TerritoryId.eq(t))
                .filter(clause_trade::Column::Code.eq(code.as_str()))
                .one(&tx)
                .await?
            {
                Some(row) => {
                    let mut am: clause_trade::ActiveModel = row.into();
                    am.labour_share_bp = Set(bp);
                    am.updated_at = Set(now);
                    am.update(&tx).await?;
                }
                None => {
                    clause_trade::ActiveModel {
                        territory_id: Set(t),
                        code: Set(code.clone()),
                        labour_share_bp: Set(bp),
                        updated_at: Set(now),
                        ..Default::default()
                    }
                    .insert(&tx)
                    .await?;
                }
            }
        }
        let id = match clause_setting::Entity::find()
            .filter(clause_setting::Column::TerritoryId.eq(t))
            .one(&tx)
            .await?
        {
            Some(row) => {
                let mut am: clause_setting::ActiveModel = row.into();
                am.reference_hourly_cost_cents = Set(reference_cost.cents());
                am.invoice_convention = Set(convention.code().to_owned());
                am.updated_at = Set(now);
                am.update(&tx).await?.id
            }
            None => {
                clause_setting::ActiveModel {
                    territory_id: Set(t),
                    reference_hourly_cost_cents: Set(reference_cost.cents()),
                    invoice_convention: Set(convention.code().to_owned()),
                    updated_at: Set(now),
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
            action::CLAUSE_SETTINGS_UPDATE,
            "clause_setting",
            id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
