//! Local accounts: people, their passwords (argon2id), their memberships of territories,
//! and the login rule (6 failures lock the account for an hour).

use crate::audit::{self, Entry};
use crate::entities::{membership, person, territory};
use crate::hasher::{hash_password, verify_password};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};
use trame_domain::audit::action;
use trame_domain::email::Email;
use trame_domain::role::Role;

pub use crate::entities::person::Model as Person;

/// Failed logins in a row that lock an account.
pub const MAX_FAILED_LOGINS: i32 = 6;
/// How long a locked account stays locked.
pub const LOCK_DURATION: Duration = Duration::hours(1);

/// What a login attempt gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// The password matched.
    Success(Person),
    /// Unknown email or wrong password (indistinguishable to the person).
    BadCredentials,
    /// Too many failures: locked until this instant.
    Locked(OffsetDateTime),
    /// The account was disabled by an administrator.
    Disabled,
}

/// A territory and the roles a person holds there.
#[derive(Debug, Clone, PartialEq)]
pub struct MembershipView {
    /// The territory.
    pub territory: territory::Model,
    /// The roles, in [`Role::ALL`] order.
    pub roles: Vec<Role>,
}

/// Gives a role in a territory to a person and journals it, within the caller's write
/// transaction; a role the person already holds there is a conflict on `role`.
pub(crate) async fn grant_role<C: sea_orm::ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
    actor_id: Option<i64>,
    territory_id: i64,
    person_id: i64,
    role_code: &str,
    disabled_at: Option<OffsetDateTime>,
) -> Result<(), StoreError> {
    let m = membership::ActiveModel {
        territory_id: Set(territory_id),
        person_id: Set(person_id),
        role: Set(role_code.to_owned()),
        created_at: Set(now),
        disabled_at: Set(disabled_at),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(|e| {
        StoreError::unique_as(
            e,
            "role",
            "Cette personne a déjà ce rôle dans ce territoire.",
        )
    })?;
    audit::record(
        tx,
        now,
        Entry::territory(
            actor_id,
            territory_id,
            action::MEMBERSHIP_CREATE,
            "membership",
            m.id,
        ),
    )
    .await
}

/// A member of a territory as the admin pages show it.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberView {
    /// The person.
    pub person: Person,
    /// Roles held in the territory.
    pub roles: Vec<Role>,
    /// Deactivated in this territory.
    pub disabled: bool,
}

impl Store {
    /// Creates a person with a password already checked against the policy.
    pub async fn create_person(
        &self,
        actor_id: Option<i64>,
        email: &Email,
        display_name: &str,
        password: &str,
    ) -> Result<Person, StoreError> {
        let hash = hash_password(password.to_owned()).await?;
        let now = self.now();
        let tx = self.begin_write().await?;
        let p = person::ActiveModel {
            email: Set(email.as_str().to_owned()),
            display_name: Set(display_name.trim().to_owned()),
            password_hash: Set(hash),
            failed_logins: Set(0),
            locked_until: Set(None),
            disabled: Set(false),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await
        .map_err(|e| {
            StoreError::unique_as(
                e,
                "email",
                "Un compte existe déjà avec cette adresse électronique.",
            )
        })?;
        audit::record(
            &tx,
            now,
            Entry::platform(actor_id, action::PERSON_CREATE, "person", p.id),
        )
        .await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Gives `role` in the territory of `scope` to a person.
    pub async fn add_membership(
        &self,
        actor_id: Option<i64>,
        scope: Scope,
        person_id: i64,
        role: Role,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        grant_role(
            &tx,
            now,
            actor_id,
            scope.territory_id(),
            person_id,
            role.code(),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The person with this id.
    pub async fn person(&self, id: i64) -> Result<Person, StoreError> {
        person::Entity::find_by_id(id)
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The person with this email.
    pub async fn person_by_email(&self, email: &Email) -> Result<Person, StoreError> {
        person::Entity::find()
            .filter(person::Column::Email.eq(email.as_str()))
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The roles of a person in one territory.
    pub async fn roles_in(&self, scope: Scope, person_id: i64) -> Result<Vec<Role>, StoreError> {
        let rows = membership::Entity::find()
            .filter(membership::Column::TerritoryId.eq(scope.territory_id()))
            .filter(membership::Column::PersonId.eq(person_id))
            .filter(membership::Column::DisabledAt.is_null())
            .all(&self.db)
            .await?;
        let mut roles: Vec<Role> = rows
            .iter()
            .filter_map(|m| Role::from_code(&m.role))
            .collect();
        roles.sort();
        Ok(roles)
    }

    /// Every territory a person belongs to, with the roles held there.
    pub async fn memberships_of(&self, person_id: i64) -> Result<Vec<MembershipView>, StoreError> {
        let rows = membership::Entity::find()
            .filter(membership::Column::PersonId.eq(person_id))
            .filter(membership::Column::DisabledAt.is_null())
            .find_also_related(territory::Entity)
            .order_by_asc(membership::Column::TerritoryId)
            .all(&self.db)
            .await?;
        let mut by_territory: BTreeMap<i64, MembershipView> = BTreeMap::new();
        for (m, t) in rows {
            let (Some(t), Some(role)) = (t, Role::from_code(&m.role)) else {
                continue;
            };
            by_territory
                .entry(t.id)
                .or_insert_with(|| MembershipView {
                    territory: t,
                    roles: Vec::new(),
                })
                .roles
                .push(role);
        }
        let mut out: Vec<MembershipView> = by_territory.into_values().collect();
        for v in &mut out {
            v.roles.sort();
        }
        out.sort_by(|a, b| a.territory.name.cmp(&b.territory.name));
        Ok(out)
    }

    /// The members of a territory with their roles, by name.
    pub async fn members(&self, scope: Scope) -> Result<Vec<MemberView>, StoreError> {
        let rows = membership::Entity::find()
            .filter(membership::Column::TerritoryId.eq(scope.territory_id()))
            .find_also_related(person::Entity)
            .all(&self.db)
            .await?;
        let mut by_person: BTreeMap<i64, MemberView> = BTreeMap::new();
        for (m, p) in rows {
            let (Some(p), Some(role)) = (p, Role::from_code(&m.role)) else {
                continue;
            };
            let disabled = m.disabled_at.is_some();
            let v = by_person.entry(p.id).or_insert_with(|| MemberView {
                person: p,
                roles: Vec::new(),
                disabled,
            });
            v.roles.push(role);
            v.disabled &= disabled;
        }
        let mut out: Vec<MemberView> = by_person.into_values().collect();
        for v in &mut out {
            v.roles.sort();
        }
        out.sort_by(|a, b| a.person.display_name.cmp(&b.person.display_name));
        Ok(out)
    }

    /// Checks an email and password, applying the lock rule. Every change of the failure
    /// counter and every lock is journaled.
    pub async fn authenticate(
        &self,
        email: &Email,
        password: &str,
    ) -> Result<LoginOutcome, StoreError> {
        let now = self.now();
        let found = match self.person_by_email(email).await {
            Ok(p) => Some(p),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e),
        };
        let Some(p) = found else {
            crate::hasher::verify_against_decoy(password.to_owned()).await;
            return Ok(LoginOutcome::BadCredentials);
        };
        if let Some(until) = p.locked_until.filter(|u| *u > now) {
            return Ok(LoginOutcome::Locked(until));
        }
        let ok = verify_password(password.to_owned(), p.password_hash.clone()).await;
        if ok && p.disabled {
            return Ok(LoginOutcome::Disabled);
        }
        let tx = self.begin_write().await?;
        // Re-read inside the write transaction: a concurrent failure may have counted.
        let current = person::Entity::find_by_id(p.id)
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let failed = current.failed_logins;
        let mut am = current.into_active_model();
        let (outcome, action) = if ok {
            am.failed_logins = Set(0);
            am.locked_until = Set(None);
            (LoginOutcome::Success(p.clone()), action::PERSON_LOGIN)
        } else if failed + 1 >= MAX_FAILED_LOGINS {
            let until = now + LOCK_DURATION;
            am.failed_logins = Set(0);
            am.locked_until = Set(Some(until));
            (LoginOutcome::Locked(until), action::PERSON_LOCK)
        } else {
            am.failed_logins = Set(failed + 1);
            (LoginOutcome::BadCredentials, action::PERSON_LOGIN_FAILED)
        };
        am.update(&tx).await?;
        audit::record(
            &tx,
            now,
            Entry {
                actor_id: if ok { Some(p.id) } else { None },
                territory_id: None,
                action,
                object_type: "person",
                object_id: p.id.to_string(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }
}
