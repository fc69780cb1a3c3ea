//! ProConnect logins: the pending login (state, nonce, PKCE verifier) is kept server-side
//! and used once; an identity (issuer, subject) is linked to the account it was matched to.

use crate::audit::{self, Entry};
use crate::entities::{oidc_login, person, person_identity};
use crate::query::First;
use crate::{Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use sha2::{Digest, Sha256};
use time::Duration;
use trame_domain::audit::action;
use trame_domain::email::Email;

/// How long a login may wait between the redirect and the callback.
pub const LOGIN_VALIDITY: Duration = Duration::minutes(10);

fn hash(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// What the callback gets back for its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogin {
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier.
    pub pkce_verifier: String,
    /// Where to go afterwards.
    pub next: String,
}

/// Why a ProConnect identity could not be matched to an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchError {
    /// The identity's email is not verified by the provider.
    EmailNotVerified,
    /// No account has this identity nor this email.
    NoAccount,
    /// The account is disabled.
    Disabled,
}

impl Store {
    /// Records a login in progress.
    pub async fn begin_oidc_login(
        &self,
        state: &str,
        pending: &PendingLogin,
    ) -> Result<(), StoreError> {
        oidc_login::ActiveModel {
            state_hash: Set(hash(state)),
            nonce: Set(pending.nonce.clone()),
            pkce_verifier: Set(pending.pkce_verifier.clone()),
            next: Set(pending.next.clone()),
            created_at: Set(self.now()),
            used_at: Set(None),
        }
        .insert(&self.db)
        .await?;
        Ok(())
    }

    /// Takes the login in progress for `state`, once: `NotFound` for an unknown, used or
    /// expired state.
    pub async fn take_oidc_login(&self, state: &str) -> Result<PendingLogin, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = oidc_login::Entity::find_by_id(hash(state))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if row.used_at.is_some() || row.created_at + LOGIN_VALIDITY < now {
            return Err(StoreError::NotFound);
        }
        let pending = PendingLogin {
            nonce: row.nonce.clone(),
            pkce_verifier: row.pkce_verifier.clone(),
            next: row.next.clone(),
        };
        let mut am = row.into_active_model();
        am.used_at = Set(Some(now));
        am.update(&tx).await?;
        tx.commit().await?;
        Ok(pending)
    }

    /// The account of a ProConnect identity: by (issuer, subject), else by a verified
    /// email, in which case the identity is linked to the account (journaled).
    pub async fn match_identity(
        &self,
        issuer: &str,
        subject: &str,
        email: Option<&Email>,
        email_verified: bool,
    ) -> Result<Result<i64, MatchError>, StoreError> {
        let linked = person_identity::Entity::find()
            .filter(person_identity::Column::Issuer.eq(issuer))
            .filter(person_identity::Column::Subject.eq(subject))
            .first(&self.db)
            .await?;
        let person_id = match linked {
            Some(l) => l.person_id,
            None => {
                let Some(email) = email else {
                    return Ok(Err(MatchError::NoAccount));
                };
                if !email_verified {
                    return Ok(Err(MatchError::EmailNotVerified));
                }
                let Some(p) = person::Entity::find()
                    .filter(person::Column::Email.eq(email.as_str()))
                    .first(&self.db)
                    .await?
                else {
                    return Ok(Err(MatchError::NoAccount));
                };
                let now = self.now();
                let tx = self.begin_write().await?;
                let row = person_identity::ActiveModel {
                    person_id: Set(p.id),
                    issuer: Set(issuer.to_owned()),
                    subject: Set(subject.to_owned()),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
                audit::record(
                    &tx,
                    now,
                    Entry::platform(
                        Some(p.id),
                        action::PERSON_LINK_IDENTITY,
                        "person_identity",
                        row.id,
                    ),
                )
                .await?;
                tx.commit().await?;
                p.id
            }
        };
        let p = self.person(person_id).await?;
        if p.disabled {
            return Ok(Err(MatchError::Disabled));
        }
        Ok(Ok(person_id))
    }
}
