//! Territories and their communes.

use crate::audit::{self, Entry};
use crate::entities::{commune, territory};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use trame_domain::audit::action;
use trame_domain::territory::{TerritoryRef, TerritorySlug};

pub use crate::entities::commune::Model as Commune;

/// What a territory admin may change in the settings.
#[derive(Debug, Clone)]
pub struct TerritorySettings {
    /// Name shown on every page.
    pub name: String,
    /// URL prefix.
    pub slug: TerritorySlug,
    /// Accent colour.
    pub color: trame_domain::brand::BrandColor,
    /// SIRET of the body that awards grants.
    pub awarding_siret: Option<trame_domain::identifiers::Siret>,
}
pub use crate::entities::territory::Model as Territory;

impl Territory {
    /// The scope that restricts repository calls to this territory.
    pub fn scope(&self) -> Scope {
        Scope {
            territory_id: self.id,
        }
    }
}

impl Store {
    /// Creates a territory with its communes, opens its audit chain and records the
    /// creation, in one transaction.
    pub async fn create_territory(
        &self,
        actor_id: Option<i64>,
        slug: &TerritorySlug,
        reference: &TerritoryRef,
    ) -> Result<Territory, StoreError> {
        self.create_territory_with_admin(actor_id, slug, reference, None)
            .await
    }

    /// Creates a territory as [`Store::create_territory`] does and, in the same
    /// transaction, makes `admin` its administrator.
    pub async fn create_territory_with_admin(
        &self,
        actor_id: Option<i64>,
        slug: &TerritorySlug,
        reference: &TerritoryRef,
        admin: Option<i64>,
    ) -> Result<Territory, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let t = territory::ActiveModel {
            slug: Set(slug.as_str().to_owned()),
            name: Set(reference.nom.clone()),
            siren: Set(reference.code.clone()),
            departement: Set(reference.departement.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await
        .map_err(|e| {
            StoreError::unique_as(e, "slug", "Un territoire porte déjà cet identifiant.")
        })?;
        audit::open_chain(&tx, t.id).await?;
        for c in &reference.communes {
            commune::ActiveModel {
                territory_id: Set(t.id),
                code_insee: Set(c.code_insee.as_str().to_owned()),
                name: Set(c.nom.clone()),
                population: Set(i64::from(c.population)),
                lat: Set(c.centroide.map(|p| p.lat)),
                lon: Set(c.centroide.map(|p| p.lon)),
                siren: Set(c.siren.as_ref().map(|s| s.as_str().to_owned())),
                postal_codes: Set(c.codes_postaux.join(",")),
                ..Default::default()
            }
            .insert(&tx)
            .await
            .map_err(|e| {
                StoreError::unique_as(
                    e,
                    "communes",
                    &format!("La commune {} figure deux fois.", c.code_insee),
                )
            })?;
        }
        audit::record(
            &tx,
            now,
            Entry::territory(actor_id, t.id, action::TERRITORY_CREATE, "territory", t.id),
        )
        .await?;
        if let Some(person_id) = admin {
            let admin_role = trame_domain::role::Role::TerritoryAdmin.code();
            crate::accounts::grant_role(&tx, now, actor_id, t.id, person_id, admin_role, None)
                .await?;
        }
        tx.commit().await?;
        self.cache.forget(t.id);
        Ok(t)
    }

    /// Changes the territory's name, colour and awarding body.
    pub async fn update_territory_settings(
        &self,
        actor_id: i64,
        scope: Scope,
        settings: &TerritorySettings,
    ) -> Result<Territory, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let t = territory::Entity::find_by_id(scope.territory_id())
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am = t.into_active_model();
        am.name = Set(settings.name.clone());
        am.slug = Set(settings.slug.as_str().to_owned());
        am.primary_color = Set(settings.color.as_str().to_owned());
        am.awarding_siret = Set(settings.awarding_siret.as_ref().map(ToString::to_string));
        let t = am.update(&tx).await.map_err(|e| {
            StoreError::unique_as(e, "slug", "Un territoire porte déjà cet identifiant.")
        })?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                action::TERRITORY_UPDATE,
                "territory",
                t.id,
            ),
        )
        .await?;
        tx.commit().await?;
        self.cache.forget(scope.territory_id());
        Ok(t)
    }

    /// Adds a commune to the territory.
    pub async fn add_commune(
        &self,
        actor_id: i64,
        scope: Scope,
        c: &trame_domain::territory::CommuneRef,
    ) -> Result<Commune, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = commune::ActiveModel {
            territory_id: Set(scope.territory_id()),
            code_insee: Set(c.code_insee.as_str().to_owned()),
            name: Set(c.nom.clone()),
            population: Set(i64::from(c.population)),
            lat: Set(c.centroide.map(|p| p.lat)),
            lon: Set(c.centroide.map(|p| p.lon)),
            siren: Set(c.siren.as_ref().map(|s| s.as_str().to_owned())),
            postal_codes: Set(c.codes_postaux.join(",")),
            ..Default::default()
        }
        .insert(&tx)
        .await
        .map_err(|e| {
            StoreError::unique_as(
                e,
                "code_insee",
                "Cette commune fait déjà partie du territoire.",
            )
        })?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                action::COMMUNE_ADD,
                "commune",
                row.id,
            ),
        )
        .await?;
        tx.commit().await?;
        self.cache.forget(scope.territory_id());
        Ok(row)
    }

    /// Removes a commune from the territory.
    pub async fn remove_commune(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = commune::Entity::find_by_id(id)
            .filter(commune::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        commune::Entity::delete_by_id(row.id).exec(&tx).await?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                action::COMMUNE_REMOVE,
                "commune",
                id,
            ),
        )
        .await?;
        tx.commit().await?;
        self.cache.forget(scope.territory_id());
        Ok(())
    }

    /// Replaces the territory's logo (bytes already checked by `trame_domain::image`).
    pub async fn set_logo(
        &self,
        actor_id: i64,
        scope: Scope,
        mime: &str,
        bytes: Vec<u8>,
    ) -> Result<(), StoreError> {
        use crate::entities::territory_logo;
        let now = self.now();
        let tx = self.begin_write().await?;
        territory_logo::Entity::delete_by_id(scope.territory_id())
            .exec(&tx)
            .await?;
        // Without RETURNING: the bytes are not read back.
        territory_logo::Entity::insert(territory_logo::ActiveModel {
            territory_id: Set(scope.territory_id()),
            mime: Set(mime.to_owned()),
            bytes: Set(bytes),
            updated_at: Set(now),
        })
        .exec_without_returning(&tx)
        .await?;
        self.mark_logo(&tx, actor_id, scope, Some(mime)).await?;
        tx.commit().await?;
        self.cache.forget(scope.territory_id());
        Ok(())
    }

    /// Removes the territory's logo.
    pub async fn remove_logo(&self, actor_id: i64, scope: Scope) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        crate::entities::territory_logo::Entity::delete_by_id(scope.territory_id())
            .exec(&tx)
            .await?;
        self.mark_logo(&tx, actor_id, scope, None).await?;
        tx.commit().await?;
        self.cache.forget(scope.territory_id());
        Ok(())
    }

    async fn mark_logo(
        &self,
        tx: &sea_orm::DatabaseTransaction,
        actor_id: i64,
        scope: Scope,
        mime: Option<&str>,
    ) -> Result<(), StoreError> {
        let t = territory::Entity::find_by_id(scope.territory_id())
            .first(tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am = t.into_active_model();
        am.logo_mime = Set(mime.map(str::to_owned));
        am.update(tx).await?;
        audit::record(
            tx,
            self.now(),
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                action::TERRITORY_UPDATE,
                "territory",
                scope.territory_id(),
            ),
        )
        .await
    }

    /// The territory's logo: media type and bytes.
    pub async fn logo(&self, scope: Scope) -> Result<(String, Vec<u8>), StoreError> {
        let l = crate::entities::territory_logo::Entity::find_by_id(scope.territory_id())
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((l.mime, l.bytes))
    }

    /// Every territory, by name.
    pub async fn territories(&self) -> Result<Vec<Territory>, StoreError> {
        Ok(territory::Entity::find()
            .order_by_asc(territory::Column::Name)
            .all(&self.db)
            .await?)
    }

    /// The territory with this slug (a per-process copy, see `crate::cache`).
    pub async fn territory_by_slug(&self, slug: &str) -> Result<Territory, StoreError> {
        if let Some(t) = self.cache.territory(slug) {
            return Ok(t);
        }
        let ticket = self.cache.ticket();
        let t = territory::Entity::find()
            .filter(territory::Column::Slug.eq(slug))
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.cache.keep_territory(ticket, &t);
        Ok(t)
    }

    /// The territory with this id.
    pub async fn territory_by_id(&self, id: i64) -> Result<Territory, StoreError> {
        territory::Entity::find_by_id(id)
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The communes of a territory, by name (a per-process copy, see `crate::cache`).
    pub async fn communes(&self, scope: Scope) -> Result<Vec<Commune>, StoreError> {
        if let Some(c) = self.cache.communes(scope.territory_id()) {
            return Ok(c);
        }
        let ticket = self.cache.ticket();
        let communes = commune::Entity::find()
            .filter(commune::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_asc(commune::Column::Name)
            .all(&self.db)
            .await?;
        self.cache
            .keep_communes(ticket, scope.territory_id(), &communes);
        Ok(communes)
    }
}
