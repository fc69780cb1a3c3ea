//! Invitations: a territory admin invites an email address to take a role (and optionally
//! to act for an organisation). The link carries a random token; the table keeps its
//! SHA-256. Accepting creates the account when the address has none, in one transaction.

use crate::audit::{self, Entry};
use crate::entities::{invitation, membership, organisation, person};
use crate::outbox::{self, NewEmail};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use trame_domain::audit::action;
use trame_domain::email::Email;
use trame_domain::role::Role;

pub use crate::entities::invitation::Model as Invitation;

/// How long an invitation stays valid by default.
pub const DEFAULT_VALIDITY: Duration = Duration::days(14);

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// What an invitation link leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvitationState {
    /// Valid until the instant.
    Pending(OffsetDateTime),
    /// Past its expiry.
    Expired,
    /// Already used.
    Accepted,
    /// Withdrawn by an admin.
    Revoked,
}

/// An invitation as its link shows it.
#[derive(Debug, Clone)]
pub struct InvitationView {
    /// The row.
    pub invitation: Invitation,
    /// Territory name and slug.
    pub territory: (String, String),
    /// Organisation name, when the invitation names one.
    pub organisation: Option<String>,
    /// State.
    pub state: InvitationState,
    /// Whether an account already exists for the address.
    pub account_exists: bool,
}

/// A new invitation.
#[derive(Debug, Clone)]
pub struct NewInvitation<'a> {
    /// Address invited.
    pub email: &'a Email,
    /// Role given on acceptance.
    pub role: Role,
    /// Organisation the person will act for.
    pub organisation_id: Option<i64>,
    /// Base of the link, such as `https://trame.gpsea.fr`.
    pub link_base: &'a str,
}

impl Store {
    /// Creates an invitation and queues its email; returns the link's token.
    pub async fn invite(
        &self,
        actor_id: i64,
        scope: Scope,
        new: NewInvitation<'_>,
    ) -> Result<String, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let territory = crate::entities::territory::Entity::find_by_id(scope.territory_id())
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let org_name = match new.organisation_id {
            Some(id) => Some(
                organisation::Entity::find_by_id(id)
                    .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
                    .first(&tx)
                    .await?
                    .ok_or(StoreError::Conflict {
                        field: "organisation",
                        message: "Cette organisation n'existe pas dans ce territoire.".into(),
                    })?
                    .name,
            ),
            None => None,
        };
        if let Some(p) = person::Entity::find()
            .filter(person::Column::Email.eq(new.email.as_str()))
            .first(&tx)
            .await?
        {
            let has = membership::Entity::find()
                .filter(membership::Column::TerritoryId.eq(scope.territory_id()))
                .filter(membership::Column::PersonId.eq(p.id))
                .filter(membership::Column::Role.eq(new.role.code()))
                .first(&tx)
                .await?;
            if has.is_some() && new.organisation_id.is_none() {
                return Err(StoreError::Conflict {
                    field: "email",
                    message: "Cette personne a déjà ce rôle dans le territoire.".into(),
                });
            }
        }
        let pending = invitation::Entity::find()
            .filter(invitation::Column::TerritoryId.eq(scope.territory_id()))
            .filter(invitation::Column::Email.eq(new.email.as_str()))
            .filter(invitation::Column::Role.eq(new.role.code()))
            .filter(invitation::Column::AcceptedAt.is_null())
            .filter(invitation::Column::RevokedAt.is_null())
            .filter(invitation::Column::ExpiresAt.gt(now))
            .first(&tx)
            .await?;
        if pending.is_some() {
            return Err(StoreError::Conflict {
                field: "email",
                message: "Une invitation est déjà en attente pour cette adresse et ce rôle.".into(),
            });
        }
        let token = hex::encode(rand::random::<[u8; 32]>());
        let expires_at = now + DEFAULT_VALIDITY;
        let row = invitation::ActiveModel {
            territory_id: Set(scope.territory_id()),
            email: Set(new.email.as_str().to_owned()),
            role: Set(new.role.code().to_owned()),
            organisation_id: Set(new.organisation_id),
            token_hash: Set(token_hash(&token)),
            created_by: Set(Some(actor_id)),
            created_at: Set(now),
            expires_at: Set(expires_at),
            accepted_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                action::INVITATION_CREATE,
                "invitation",
                row.id,
            ),
        )
        .await?;
        let for_org = org_name
            .map(|n| format!(" pour l'organisation « {n} »"))
            .unwrap_or_default();
        let body = format!(
            "Bonjour,\n\nVous êtes invité(e) à rejoindre la plateforme Trame du territoire {} en tant que {}{}.\n\nPour accepter, ouvrez ce lien avant le {} :\n{}/invitation/{}\n\nSi vous n'attendiez pas ce message, ignorez-le.\n",
            territory.name,
            new.role.label().to_lowercase(),
            for_org,
            trame_domain::format::paris_datetime(expires_at),
            new.link_base.trim_end_matches('/'),
            token
        );
        outbox::queue(
            &tx,
            now,
            Some(actor_id),
            NewEmail {
                territory_id: Some(scope.territory_id()),
                to: new.email.as_str(),
                subject: format!("Invitation à rejoindre {} sur Trame", territory.name),
                body,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The invitations of a territory, newest first.
    pub async fn invitations(
        &self,
        scope: Scope,
        limit: u64,
    ) -> Result<Vec<Invitation>, StoreError> {
        Ok(invitation::Entity::find()
            .filter(invitation::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_desc(invitation::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// What the link with `token` leads to.
    pub async fn invitation_by_token(&self, token: &str) -> Result<InvitationView, StoreError> {
        let inv = invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(token_hash(token)))
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let t = self.territory_by_id(inv.territory_id).await?;
        let organisation = match inv.organisation_id {
            Some(id) => organisation::Entity::find_by_id(id)
                .first(&self.db)
                .await?
                .map(|o| o.name),
            None => None,
        };
        let state = state_of(&inv, self.now());
        let account_exists = person::Entity::find()
            .filter(person::Column::Email.eq(inv.email.clone()))
            .first(&self.db)
            .await?
            .is_some();
        Ok(InvitationView {
            invitation: inv,
            territory: (t.name, t.slug),
            organisation,
            state,
            account_exists,
        })
    }

    /// Accepts an invitation: for `existing_person` (logged in with the invited address),
    /// or by creating the account with `new_account` (name, password already checked).
    /// Returns the person id.
    pub async fn accept_invitation(
        &self,
        token: &str,
        existing_person: Option<i64>,
        new_account: Option<(&str, &str)>,
    ) -> Result<i64, StoreError> {
        let password_hash = match new_account {
            Some((_, password)) => Some(crate::hasher::hash_password(password.to_owned()).await?),
            None => None,
        };
        let now = self.now();
        let tx = self.begin_write().await?;
        let inv = invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(token_hash(token)))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        match state_of(&inv, now) {
            InvitationState::Pending(_) => {}
            InvitationState::Expired => {
                return Err(StoreError::Conflict {
                    field: "invitation",
                    message: "Cette invitation a expiré. Demandez à l'administrateur du territoire de vous en envoyer une nouvelle.".into(),
                });
            }
            InvitationState::Accepted => {
                return Err(StoreError::Conflict {
                    field: "invitation",
                    message: "Cette invitation a déjà été acceptée.".into(),
                });
            }
            InvitationState::Revoked => {
                return Err(StoreError::Conflict {
                    field: "invitation",
                    message: "Cette invitation a été retirée par l'administrateur du territoire."
                        .into(),
                });
            }
        }
        let scope = Scope {
            territory_id: inv.territory_id,
        };
        let person_id = match (existing_person, new_account, password_hash) {
            (Some(id), _, _) => {
                let p = person::Entity::find_by_id(id)
                    .first(&tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                if p.email != inv.email {
                    return Err(StoreError::Conflict {
                        field: "invitation",
                        message: format!(
                            "Cette invitation est adressée à {} : connectez-vous avec ce compte pour l'accepter.",
                            inv.email
                        ),
                    });
                }
                id
            }
            (None, Some((name, _)), Some(hash)) => {
                let p = person::ActiveModel {
                    email: Set(inv.email.clone()),
                    display_name: Set(name.trim().to_owned()),
                    password_hash: Set(hash),
                    failed_logins: Set(0),
                    locked_until: Set(None),
                    disabled: Set(false),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await
                .map_err(|e| StoreError::unique_as(e, "email", "Un compte existe déjà avec cette adresse : connectez-vous pour accepter l'invitation."))?;
                audit::record(
                    &tx,
                    now,
                    Entry::platform(Some(p.id), action::PERSON_CREATE, "person", p.id),
                )
                .await?;
                p.id
            }
            _ => {
                return Err(StoreError::Internal(
                    "accept_invitation without a person".into(),
                ));
            }
        };
        let already = membership::Entity::find()
            .filter(membership::Column::TerritoryId.eq(inv.territory_id))
            .filter(membership::Column::PersonId.eq(person_id))
            .filter(membership::Column::Role.eq(inv.role.clone()))
            .first(&tx)
            .await?;
        if already.is_none() {
            crate::accounts::grant_role(
                &tx,
                now,
                Some(person_id),
                inv.territory_id,
                person_id,
                &inv.role,
                None,
            )
            .await?;
        }
        if let Some(org) = inv.organisation_id {
            let id = Store::join_organisation(&tx, now, scope, org, person_id, false).await?;
            audit::record(
                &tx,
                now,
                Entry::territory(
                    Some(person_id),
                    inv.territory_id,
                    action::ORGANISATION_MEMBER_ADD,
                    "organisation_member",
                    id,
                ),
            )
            .await?;
        }
        let inv_id = inv.id;
        let mut am = inv.into_active_model();
        am.accepted_at = Set(Some(now));
        am.update(&tx).await?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(person_id),
                scope.territory_id(),
                action::INVITATION_ACCEPT,
                "invitation",
                inv_id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(person_id)
    }

    /// Withdraws a pending invitation.
    pub async fn revoke_invitation(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let inv = invitation::Entity::find_by_id(id)
            .filter(invitation::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !matches!(state_of(&inv, now), InvitationState::Pending(_)) {
            return Err(StoreError::Conflict {
                field: "invitation",
                message: "Seule une invitation en attente peut être retirée.".into(),
            });
        }
        let mut am = inv.into_active_model();
        am.revoked_at = Set(Some(now));
        am.update(&tx).await?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                action::INVITATION_REVOKE,
                "invitation",
                id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The state of an invitation at `now`.
pub fn state_of(inv: &Invitation, now: OffsetDateTime) -> InvitationState {
    if inv.accepted_at.is_some() {
        InvitationState::Accepted
    } else if inv.revoked_at.is_some() {
        InvitationState::Revoked
    } else if inv.expires_at <= now {
        InvitationState::Expired
    } else {
        InvitationState::Pending(inv.expires_at)
    }
}
