//! Conventions: awards the territory grants directly, without a call, to a partner
//! organisation or to a commune, under the territory's « conventions » scheme. Each has
//! its years (an amount and a report each) and its indicators; a convention with a
//! commune is visaed by the commune's referent before the territory records it signed.

use super::awards::{AwardLine, AwardRow, paris_day};
use super::reports::{add_indicators, add_years};
use super::{conflict, journal};
use crate::entities::award;
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter,
};
use trame_domain::audit::action;
use trame_domain::funding::award::Schedule;
use trame_domain::funding::convention::Convention;

/// The kind of the conventions scheme.
pub const KIND_CONVENTION: &str = "convention";

impl Store {
    /// The territory's conventions scheme, created on first use.
    pub async fn convention_scheme(
        &self,
        actor_id: Option<i64>,
        scope: Scope,
    ) -> Result<super::editions::SchemeRow, StoreError> {
        self.ensure_scheme(
            actor_id,
            scope,
            KIND_CONVENTION,
            "Conventions avec les partenaires et les communes",
            "Les subventions accordées par convention, annuelle ou pluriannuelle, aux partenaires de l'insertion et de l'emploi et aux communes.",
        )
        .await
    }

    /// Records a convention decided by the territory: the award, its years with their
    /// reports to come, its indicators. A convention always has a convention to sign.
    pub async fn create_convention(
        &self,
        actor_id: Option<i64>,
        scope: Scope,
        c: &Convention,
    ) -> Result<AwardRow, StoreError> {
        let scheme = self.convention_scheme(actor_id, scope).await?;
        let now = self.now();
        let first_year = c.years.first().map_or(c.decided_on.year(), |(y, _)| *y);
        let last_year = c.years.last().map_or(first_year, |(y, _)| *y);
        let tx = self.begin_write().await?;
        let taken = award::Entity::find()
            .filter(award::Column::TerritoryId.eq(scope.territory_id()))
            .filter(award::Column::Reference.starts_with(format!("CONV-{first_year}-")))
            .count(&tx)
            .await?;
        let total = c.total();
        let row = award::ActiveModel {
            territory_id: Set(scope.territory_id()),
            scheme_id: Set(scheme.id),
            organisation_id: Set(c.organisation_id),
            commune_code: Set(c.commune_code.clone()),
            dossier_id: Set(None),
            reference: Set(format!("CONV-{first_year}-{:03}", taken + 1)),
            title: Set(c.title.clone()),
            amount_cents: Set(total.cents()),
            budget_cents: Set(total.cents()),
            decided_on: Set(c.decided_on),
            deliberation_ref: Set(c.deliberation.clone()),
            siege: Set(c.siege),
            schedule: Set(Schedule::parse(&scheme.schedule)
                .unwrap_or_default()
                .stored()),
            convention_required: Set(true),
            convention_signed_on: Set(None),
            starts_on: Set(time::Date::from_ordinal_date(first_year, 1).ok()),
            ends_on: Set(time::Date::from_calendar_date(last_year, time::Month::December, 31).ok()),
            created_at: Set(now),
            category: Set(c.category.code().into()),
            commune_visa_on: Set(None),
            commune_visa_by: Set(None),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        add_years(&tx, now, scope, row.id, &c.years).await?;
        add_indicators(&tx, scope, row.id, &c.indicators).await?;
        journal(
            &tx,
            now,
            actor_id,
            scope,
            action::AWARD_CREATE,
            "award",
            row.id,
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// The territory's conventions (awards without a dossier), latest first.
    pub async fn conventions(&self, scope: Scope) -> Result<Vec<AwardLine>, StoreError> {
        self.awards_where(scope, award::Column::DossierId.is_null())
            .await
    }

    /// The conventions with the communes a referent answers for.
    pub async fn referent_conventions(
        &self,
        scope: Scope,
        person_id: i64,
    ) -> Result<Vec<AwardLine>, StoreError> {
        let communes = self.referent_communes(scope, person_id).await?;
        self.awards_where(scope, award::Column::CommuneCode.is_in(communes))
            .await
    }

    /// One convention with a commune the referent answers for; `NotFound` otherwise.
    pub async fn referent_convention(
        &self,
        scope: Scope,
        person_id: i64,
        id: i64,
    ) -> Result<AwardLine, StoreError> {
        self.referent_conventions(scope, person_id)
            .await?
            .into_iter()
            .find(|a| a.row.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// The commune's referent puts their visa on a convention with their commune.
    pub async fn visa_convention(
        &self,
        person_id: i64,
        scope: Scope,
        id: i64,
    ) -> Result<(), StoreError> {
        self.referent_convention(scope, person_id, id).await?;
        let now = self.now();
        let tx = self.begin_write().await?;
        let a = award::Entity::find_by_id(id)
            .filter(award::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if a.commune_visa_on.is_some() {
            return Err(conflict("visa", "La commune a déjà visé cette convention."));
        }
        let mut am = a.into_active_model();
        am.commune_visa_on = Set(Some(paris_day(now)));
        am.commune_visa_by = Set(Some(person_id));
        am.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(person_id),
            scope,
            action::AWARD_VISA,
            "award",
            id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
