//! The register of the intérêt territorial: the council's deliberations with their PDF,
//! and the policies a deliberation declares of territorial interest, with their dates.
//! Every change is journaled in the same transaction.

use crate::audit::journal;
use crate::entities::{interest_deliberation, interest_document, interest_policy};
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use sha2::{Digest, Sha256};
use trame_domain::audit::action;
use trame_domain::interest::{Deliberation, Interest, Policy};

/// A deliberation as stored.
pub type DeliberationRow = interest_deliberation::Model;
/// A policy as stored.
pub type PolicyRow = interest_policy::Model;

/// A deliberation's PDF, described without its bytes.
#[derive(Debug, Clone)]
pub struct DocumentInfo {
    /// File name.
    pub filename: String,
    /// Size in bytes.
    pub size_bytes: i64,
}

/// A deliberation with its document and the policies it declares.
#[derive(Debug, Clone)]
pub struct RegisterEntry {
    /// The deliberation.
    pub deliberation: DeliberationRow,
    /// Its PDF, if deposited.
    pub document: Option<DocumentInfo>,
    /// Its policies, by effective date.
    pub policies: Vec<PolicyRow>,
}

impl RegisterEntry {
    /// What it says of the interest.
    pub fn interest(&self) -> Interest {
        Interest::from_code(&self.deliberation.interest).unwrap_or(Interest::Pending)
    }
}

/// A PDF to keep with a deliberation (its format checked by the caller).
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// Clean file name.
    pub filename: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

async fn put_document<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    deliberation_id: i64,
    doc: NewDocument,
) -> Result<(), StoreError> {
    interest_document::Entity::delete_many()
        .filter(interest_document::Column::DeliberationId.eq(deliberation_id))
        .exec(tx)
        .await?;
    // Without RETURNING: the bytes are not read back.
    interest_document::Entity::insert(interest_document::ActiveModel {
        territory_id: Set(scope.territory_id()),
        deliberation_id: Set(deliberation_id),
        filename: Set(doc.filename),
        size_bytes: Set(i64::try_from(doc.bytes.len()).unwrap_or(i64::MAX)),
        sha256: Set(hex::encode(Sha256::digest(&doc.bytes))),
        bytes: Set(doc.bytes),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(tx)
    .await?;
    journal(
        tx,
        now,
        actor,
        scope,
        action::INTEREST_DOCUMENT_SET,
        "interest_deliberation",
        deliberation_id,
    )
    .await
}

/// Writes a new deliberation (and its PDF), journaled; used by the pages and the demo.
pub(crate) async fn insert_deliberation<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    d: &Deliberation,
    document: Option<NewDocument>,
    is_demo: bool,
) -> Result<i64, StoreError> {
    let row = interest_deliberation::ActiveModel {
        territory_id: Set(scope.territory_id()),
        decided_on: Set(d.decided_on.to_string()),
        reference: Set(d.reference.clone()),
        title: Set(d.title.clone()),
        summary: Set(d.summary.clone()),
        interest: Set(d.interest.code().to_owned()),
        is_demo: Set(is_demo),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    journal(
        tx,
        now,
        actor,
        scope,
        action::INTEREST_DELIBERATION_CREATE,
        "interest_deliberation",
        row.id,
    )
    .await?;
    if let Some(doc) = document {
        put_document(tx, now, actor, scope, row.id, doc).await?;
    }
    Ok(row.id)
}

async fn deliberation_in<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    id: i64,
) -> Result<DeliberationRow, StoreError> {
    interest_deliberation::Entity::find_by_id(id)
        .filter(interest_deliberation::Column::TerritoryId.eq(scope.territory_id()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The message when policies are declared by a deliberation that leaves the interest to
/// be specified.
pub const PENDING_HAS_NO_POLICY: &str = "Cette délibération laisse l'intérêt territorial à préciser : les politiques mises en commun sont déclarées par la délibération qui le précise.";

impl Store {
    /// The whole register, latest deliberation first.
    pub async fn interest_register(&self, scope: Scope) -> Result<Vec<RegisterEntry>, StoreError> {
        let t = scope.territory_id();
        let deliberations = interest_deliberation::Entity::find()
            .filter(interest_deliberation::Column::TerritoryId.eq(t))
            .order_by_desc(interest_deliberation::Column::DecidedOn)
            .order_by_desc(interest_deliberation::Column::Id)
            .all(&self.db)
            .await?;
        let docs: Vec<(i64, String, i64)> = interest_document::Entity::find()
            .select_only()
            .column(interest_document::Column::DeliberationId)
            .column(interest_document::Column::Filename)
            .column(interest_document::Column::SizeBytes)
            .filter(interest_document::Column::TerritoryId.eq(t))
            .into_tuple()
            .all(&self.db)
            .await?;
        let policies = interest_policy::Entity::find()
            .filter(interest_policy::Column::TerritoryId.eq(t))
            .order_by_asc(interest_policy::Column::EffectiveFrom)
            .order_by_asc(interest_policy::Column::Title)
            .all(&self.db)
            .await?;
        Ok(deliberations
            .into_iter()
            .map(|d| RegisterEntry {
                document: docs.iter().find(|(id, _, _)| *id == d.id).map(
                    |(_, filename, size_bytes)| DocumentInfo {
                        filename: filename.clone(),
                        size_bytes: *size_bytes,
                    },
                ),
                policies: policies
                    .iter()
                    .filter(|p| p.deliberation_id == d.id)
                    .cloned()
                    .collect(),
                deliberation: d,
            })
            .collect())
    }

    /// One entry of the register.
    pub async fn interest_entry(&self, scope: Scope, id: i64) -> Result<RegisterEntry, StoreError> {
        self.interest_register(scope)
            .await?
            .into_iter()
            .find(|e| e.deliberation.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// A deliberation's PDF: its name and bytes.
    pub async fn interest_document(
        &self,
        scope: Scope,
        deliberation_id: i64,
    ) -> Result<(String, Vec<u8>), StoreError> {
        let d = interest_document::Entity::find()
            .filter(interest_document::Column::TerritoryId.eq(scope.territory_id()))
            .filter(interest_document::Column::DeliberationId.eq(deliberation_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((d.filename, d.bytes))
    }

    /// Registers a deliberation, with its PDF if given.
    pub async fn create_deliberation(
        &self,
        actor_id: i64,
        scope: Scope,
        d: &Deliberation,
        document: Option<NewDocument>,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let id = insert_deliberation(&tx, now, Some(actor_id), scope, d, document, false).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a deliberation, and replaces its PDF if one is given. A deliberation that
    /// declares policies cannot go back to « à préciser ».
    pub async fn update_deliberation(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
        d: &Deliberation,
        document: Option<NewDocument>,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = deliberation_in(&tx, scope, id).await?;
        let policies = interest_policy::Entity::find()
            .filter(interest_policy::Column::DeliberationId.eq(id))
            .all(&tx)
            .await?;
        if d.interest == Interest::Pending && !policies.is_empty() {
            return Err(StoreError::Conflict {
                field: "interest",
                message: format!(
                    "Cette délibération déclare {} politique(s) d'intérêt territorial : elle ne peut pas laisser l'intérêt à préciser.",
                    policies.len()
                ),
            });
        }
        if let Some(p) = policies
            .iter()
            .find(|p| p.effective_from < d.decided_on.to_string())
        {
            return Err(StoreError::Conflict {
                field: "decided_on",
                message: format!(
                    "La politique « {} » prend effet avant cette date : une politique prend effet au plus tôt le jour du vote.",
                    p.title
                ),
            });
        }
        let mut am: interest_deliberation::ActiveModel = row.into();
        am.decided_on = Set(d.decided_on.to_string());
        am.reference = Set(d.reference.clone());
        am.title = Set(d.title.clone());
        am.summary = Set(d.summary.clone());
        am.interest = Set(d.interest.code().to_owned());
        am.updated_at = Set(now);
        am.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::INTEREST_DELIBERATION_UPDATE,
            "interest_deliberation",
            id,
        )
        .await?;
        if let Some(doc) = document {
            put_document(&tx, now, Some(actor_id), scope, id, doc).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Declares a policy of territorial interest under a deliberation that specifies the
    /// interest (checked against its date by [`Policy::parse`]).
    pub async fn add_policy(
        &self,
        actor_id: i64,
        scope: Scope,
        deliberation_id: i64,
        p: &Policy,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let d = deliberation_in(&tx, scope, deliberation_id).await?;
        if d.interest != Interest::Specified.code() {
            return Err(StoreError::Conflict {
                field: "policy_title",
                message: PENDING_HAS_NO_POLICY.into(),
            });
        }
        let row = interest_policy::ActiveModel {
            territory_id: Set(scope.territory_id()),
            deliberation_id: Set(deliberation_id),
            title: Set(p.title.clone()),
            description: Set(p.description.clone()),
            effective_from: Set(p.effective_from.to_string()),
            effective_until: Set(p.effective_until.map(|d| d.to_string())),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::INTEREST_POLICY_CREATE,
            "interest_policy",
            row.id,
        )
        .await?;
        tx.commit().await?;
        Ok(row.id)
    }

    /// Changes a policy (its dates, to end it: the territory hands a policy back by a
    /// later deliberation and records its last day here).
    pub async fn update_policy(
        &self,
        actor_id: i64,
        scope: Scope,
        deliberation_id: i64,
        policy_id: i64,
        p: &Policy,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = interest_policy::Entity::find_by_id(policy_id)
            .filter(interest_policy::Column::TerritoryId.eq(scope.territory_id()))
            .filter(interest_policy::Column::DeliberationId.eq(deliberation_id))
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am: interest_policy::ActiveModel = row.into();
        am.title = Set(p.title.clone());
        am.description = Set(p.description.clone());
        am.effective_from = Set(p.effective_from.to_string());
        am.effective_until = Set(p.effective_until.map(|d| d.to_string()));
        am.updated_at = Set(now);
        am.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::INTEREST_POLICY_UPDATE,
            "interest_policy",
            policy_id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
