//! Organisations of a territory and the people who act for them.

use crate::audit::{self, Entry};
use crate::entities::{organisation, organisation_member, person};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use trame_domain::audit::action;
use trame_domain::organisation::Organisation;

pub use crate::entities::organisation::Model as OrganisationRow;

/// Checks, inside the write transaction, that no other organisation of the territory has
/// the same SIRET or RNA; a conflict names the field.
async fn check_unique<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    org: &Organisation,
    except: Option<i64>,
) -> Result<(), StoreError> {
    let others = |col: organisation::Column, value: String| {
        let mut q = organisation::Entity::find()
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .filter(col.eq(value));
        if let Some(id) = except {
            q = q.filter(organisation::Column::Id.ne(id));
        }
        q
    };
    let keys = [
        (
            organisation::Column::Siret,
            org.siret.as_ref().map(ToString::to_string),
            "siret",
            "Ce SIRET",
        ),
        (
            organisation::Column::Rna,
            org.rna.as_ref().map(ToString::to_string),
            "rna",
            "Ce numéro RNA",
        ),
    ];
    for (col, value, field, what) in keys {
        let Some(value) = value else { continue };
        if let Some(o) = others(col, value).first(tx).await? {
            return Err(StoreError::Conflict {
                field,
                message: format!("{what} est déjà celui de l'organisation « {} ».", o.name),
            });
        }
    }
    Ok(())
}

fn fill(am: &mut organisation::ActiveModel, org: &Organisation) {
    am.name = Set(org.name.clone());
    am.siret = Set(org.siret.as_ref().map(ToString::to_string));
    am.rna = Set(org.rna.as_ref().map(ToString::to_string));
    am.legal_form = Set(org.legal_form.code().to_owned());
    am.siae_kind = Set(org.insertion_kind.map(|k| k.code().to_owned()));
    am.esus_approved_on = Set(org.esus_approved_on);
    am.address = Set(org.address.clone());
    am.commune_code = Set(org.commune_code.as_ref().map(ToString::to_string));
}

impl Store {
    /// Creates an organisation in the territory.
    pub async fn create_organisation(
        &self,
        actor_id: Option<i64>,
        scope: Scope,
        org: &Organisation,
    ) -> Result<OrganisationRow, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        check_unique(&tx, scope, org, None).await?;
        let mut am = organisation::ActiveModel {
            territory_id: Set(scope.territory_id()),
            created_at: Set(now),
            ..Default::default()
        };
        fill(&mut am, org);
        let row = am.insert(&tx).await.map_err(|e| {
            StoreError::unique_as(e, "siret", "Ce SIRET ou ce numéro RNA est déjà enregistré.")
        })?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                actor_id,
                scope.territory_id(),
                action::ORGANISATION_CREATE,
                "organisation",
                row.id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Replaces an organisation's data.
    pub async fn update_organisation(
        &self,
        actor_id: Option<i64>,
        scope: Scope,
        id: i64,
        org: &Organisation,
    ) -> Result<OrganisationRow, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let current = organisation::Entity::find_by_id(id)
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        check_unique(&tx, scope, org, Some(id)).await?;
        let mut am = current.into_active_model();
        fill(&mut am, org);
        let row = am.update(&tx).await.map_err(|e| {
            StoreError::unique_as(e, "siret", "Ce SIRET ou ce numéro RNA est déjà enregistré.")
        })?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                actor_id,
                scope.territory_id(),
                action::ORGANISATION_UPDATE,
                "organisation",
                id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// The organisations of a territory, by name.
    pub async fn organisations(&self, scope: Scope) -> Result<Vec<OrganisationRow>, StoreError> {
        Ok(organisation::Entity::find()
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_asc(organisation::Column::Name)
            .all(&self.db)
            .await?)
    }

    /// One organisation; `NotFound` for another territory's.
    pub async fn organisation(&self, scope: Scope, id: i64) -> Result<OrganisationRow, StoreError> {
        organisation::Entity::find_by_id(id)
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The people acting for an organisation: (person, manager, hosted entrepreneur).
    pub async fn organisation_members(
        &self,
        scope: Scope,
        organisation_id: i64,
    ) -> Result<Vec<(person::Model, bool, bool)>, StoreError> {
        let rows = organisation_member::Entity::find()
            .filter(organisation_member::Column::TerritoryId.eq(scope.territory_id()))
            .filter(organisation_member::Column::OrganisationId.eq(organisation_id))
            .find_also_related(person::Entity)
            .all(&self.db)
            .await?;
        let mut out: Vec<_> = rows
            .into_iter()
            .filter_map(|(m, p)| p.map(|p| (p, m.manager, m.hosted_entrepreneur)))
            .collect();
        out.sort_by(|a, b| a.0.display_name.cmp(&b.0.display_name));
        Ok(out)
    }

    /// Sets the two flags of a person acting for an organisation: manager, and entrepreneur
    /// hosted by a CAE (only for an organisation whose legal form is CAE).
    pub async fn set_organisation_member_flags(
        &self,
        actor_id: i64,
        scope: Scope,
        organisation_id: i64,
        person_id: i64,
        manager: bool,
        hosted_entrepreneur: bool,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let org = organisation::Entity::find_by_id(organisation_id)
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if hosted_entrepreneur
            && org.legal_form != trame_domain::organisation::LegalForm::Cae.code()
        {
            return Err(StoreError::Conflict {
                field: "hosted_entrepreneur",
                message:
                    "Seule une coopérative d'activité et d'emploi (CAE) héberge des entrepreneurs."
                        .into(),
            });
        }
        let m = organisation_member::Entity::find()
            .filter(organisation_member::Column::TerritoryId.eq(scope.territory_id()))
            .filter(organisation_member::Column::OrganisationId.eq(organisation_id))
            .filter(organisation_member::Column::PersonId.eq(person_id))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let id = m.id;
        let mut am = m.into_active_model();
        am.manager = Set(manager);
        am.hosted_entrepreneur = Set(hosted_entrepreneur);
        am.update(&tx).await?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                action::ORGANISATION_MEMBER_UPDATE,
                "organisation_member",
                id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes a member of the territory act for one of its organisations.
    pub async fn add_organisation_member(
        &self,
        actor_id: i64,
        scope: Scope,
        organisation_id: i64,
        person_id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        organisation::Entity::find_by_id(organisation_id)
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let id =
            Store::join_organisation(&tx, now, scope, organisation_id, person_id, false).await?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                action::ORGANISATION_MEMBER_ADD,
                "organisation_member",
                id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes a person act for an organisation (within the caller's transaction).
    pub(crate) async fn join_organisation<C: ConnectionTrait>(
        tx: &C,
        now: time::OffsetDateTime,
        scope: Scope,
        organisation_id: i64,
        person_id: i64,
        hosted_entrepreneur: bool,
    ) -> Result<i64, StoreError> {
        let m = organisation_member::ActiveModel {
            territory_id: Set(scope.territory_id()),
            organisation_id: Set(organisation_id),
            person_id: Set(person_id),
            manager: Set(false),
            hosted_entrepreneur: Set(hosted_entrepreneur),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await
        .map_err(|e| {
            StoreError::unique_as(
                e,
                "email",
                "Cette personne agit déjà pour cette organisation.",
            )
        })?;
        Ok(m.id)
    }
}
