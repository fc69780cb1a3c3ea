//! Managing the members of a territory: roles, deactivation (the person's sessions end at
//! once) and reactivation. A territory always keeps one active administrator.

use crate::audit::{self, Entry};
use crate::entities::{membership, session};
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter,
};
use trame_domain::audit::action;
use trame_domain::role::Role;

async fn active_admins_other_than<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    person_id: i64,
) -> Result<u64, StoreError> {
    Ok(membership::Entity::find()
        .filter(membership::Column::TerritoryId.eq(scope.territory_id()))
        .filter(membership::Column::Role.eq(Role::TerritoryAdmin.code()))
        .filter(membership::Column::DisabledAt.is_null())
        .filter(membership::Column::PersonId.ne(person_id))
        .count(tx)
        .await?)
}

fn last_admin() -> StoreError {
    StoreError::Conflict {
        field: "roles",
        message: "Le territoire doit garder au moins un administrateur actif : nommez-en un autre d'abord.".into(),
    }
}

impl Store {
    /// Gives a member exactly `roles` in the territory (adds and removes the difference).
    pub async fn set_member_roles(
        &self,
        actor_id: i64,
        scope: Scope,
        person_id: i64,
        roles: &[Role],
    ) -> Result<(), StoreError> {
        if roles.is_empty() {
            return Err(StoreError::Conflict {
                field: "roles",
                message: "Cochez au moins un rôle. Pour retirer l'accès, désactivez le membre."
                    .into(),
            });
        }
        let now = self.now();
        let tx = self.begin_write().await?;
        let current = membership::Entity::find()
            .filter(membership::Column::TerritoryId.eq(scope.territory_id()))
            .filter(membership::Column::PersonId.eq(person_id))
            .all(&tx)
            .await?;
        if current.is_empty() {
            return Err(StoreError::NotFound);
        }
        let disabled_at = current.iter().find_map(|m| m.disabled_at);
        if !roles.contains(&Role::TerritoryAdmin)
            && current
                .iter()
                .any(|m| m.role == Role::TerritoryAdmin.code())
            && active_admins_other_than(&tx, scope, person_id).await? == 0
        {
            return Err(last_admin());
        }
        for m in &current {
            if !roles.iter().any(|r| r.code() == m.role) {
                membership::Entity::delete_by_id(m.id).exec(&tx).await?;
                audit::record(
                    &tx,
                    now,
                    Entry::territory(
                        Some(actor_id),
                        scope.territory_id(),
                        action::MEMBERSHIP_DELETE,
                        "membership",
                        m.id,
                    ),
                )
                .await?;
            }
        }
        for role in roles {
            if !current.iter().any(|m| m.role == role.code()) {
                crate::accounts::grant_role(
                    &tx,
                    now,
                    Some(actor_id),
                    scope.territory_id(),
                    person_id,
                    role.code(),
                    disabled_at,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deactivates a member in the territory and ends all the person's sessions at once.
    pub async fn disable_member(
        &self,
        actor_id: i64,
        scope: Scope,
        person_id: i64,
    ) -> Result<(), StoreError> {
        if actor_id == person_id {
            return Err(StoreError::Conflict {
                field: "person",
                message: "Vous ne pouvez pas désactiver votre propre accès.".into(),
            });
        }
        self.toggle_member(actor_id, scope, person_id, true).await
    }

    /// Reactivates a member in the territory.
    pub async fn enable_member(
        &self,
        actor_id: i64,
        scope: Scope,
        person_id: i64,
    ) -> Result<(), StoreError> {
        self.toggle_member(actor_id, scope, person_id, false).await
    }

    async fn toggle_member(
        &self,
        actor_id: i64,
        scope: Scope,
        person_id: i64,
        disable: bool,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let rows = membership::Entity::find()
            .filter(membership::Column::TerritoryId.eq(scope.territory_id()))
            .filter(membership::Column::PersonId.eq(person_id))
            .all(&tx)
            .await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound);
        }
        if disable
            && rows.iter().any(|m| m.role == Role::TerritoryAdmin.code())
            && active_admins_other_than(&tx, scope, person_id).await? == 0
        {
            return Err(last_admin());
        }
        for m in rows {
            let mut am = m.into_active_model();
            am.disabled_at = Set(if disable { Some(now) } else { None });
            am.update(&tx).await?;
        }
        if disable {
            session::Entity::delete_many()
                .filter(session::Column::PersonId.eq(person_id))
                .exec(&tx)
                .await?;
        }
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                if disable {
                    action::MEMBERSHIP_DISABLE
                } else {
                    action::MEMBERSHIP_ENABLE
                },
                "person",
                person_id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
