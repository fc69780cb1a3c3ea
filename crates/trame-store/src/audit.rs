//! The audit journal: every state change appends an entry in the same transaction as the
//! change. Entries are hash-chained per territory (and one platform chain); the chain head
//! row is locked for the write so two writers cannot fork a chain. The database refuses
//! updates and deletes of entries (triggers in the core migration).

use crate::entities::{audit_chain_head, audit_event};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use trame_domain::audit::{EntryContent, PLATFORM_CHAIN, entry_hash, territory_chain};

/// A state change to record. No personal data: ids and codes only.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The person who acted, `None` for the system or the command line.
    pub actor_id: Option<i64>,
    /// The territory concerned; `None` for platform-wide changes (accounts).
    pub territory_id: Option<i64>,
    /// Action code, `object.verb` (`person.create`, `session.login`…).
    pub action: &'static str,
    /// Object type (`person`, `membership`…).
    pub object_type: &'static str,
    /// Object id.
    pub object_id: String,
}

impl Entry {
    /// A change to a territory's data, on that territory's chain.
    pub fn territory(
        actor_id: Option<i64>,
        territory_id: i64,
        action: &'static str,
        object_type: &'static str,
        object_id: impl ToString,
    ) -> Entry {
        Entry {
            actor_id,
            territory_id: Some(territory_id),
            action,
            object_type,
            object_id: object_id.to_string(),
        }
    }

    /// A platform-wide change (accounts, sessions, jobs), on the platform chain.
    pub fn platform(
        actor_id: Option<i64>,
        action: &'static str,
        object_type: &'static str,
        object_id: impl ToString,
    ) -> Entry {
        Entry {
            actor_id,
            territory_id: None,
            action,
            object_type,
            object_id: object_id.to_string(),
        }
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// Appends `entry` within the caller's write transaction `tx`.
pub async fn record<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
    entry: Entry,
) -> Result<(), StoreError> {
    crate::idempotency::claim(tx, now).await?;
    let chain = match entry.territory_id {
        Some(t) => territory_chain(t),
        None => PLATFORM_CHAIN.to_owned(),
    };
    let mut q = audit_chain_head::Entity::find_by_id(chain.clone());
    if tx.get_database_backend() == sea_orm::DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    let head = q
        .first(tx)
        .await?
        .ok_or_else(|| StoreError::Internal(format!("audit chain {chain} has no head")))?;
    let seq = head.seq + 1;
    let at = rfc3339(now);
    let hash = entry_hash(
        &head.hash,
        &EntryContent {
            chain: &chain,
            seq,
            occurred_at: &at,
            actor_id: entry.actor_id,
            territory_id: entry.territory_id,
            action: entry.action,
            object_type: entry.object_type,
            object_id: &entry.object_id,
        },
    );
    audit_event::ActiveModel {
        chain: Set(chain.clone()),
        seq: Set(seq),
        occurred_at: Set(now),
        actor_id: Set(entry.actor_id),
        territory_id: Set(entry.territory_id),
        action: Set(entry.action.to_owned()),
        object_type: Set(entry.object_type.to_owned()),
        object_id: Set(entry.object_id),
        prev_hash: Set(head.hash.clone()),
        hash: Set(hash.clone()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit_chain_head::ActiveModel {
        chain: Set(chain),
        seq: Set(seq),
        hash: Set(hash),
    }
    .update(tx)
    .await?;
    Ok(())
}

/// Creates the chain head of a new territory, within its creation transaction.
pub(crate) async fn open_chain<C: ConnectionTrait>(
    tx: &C,
    territory_id: i64,
) -> Result<(), StoreError> {
    audit_chain_head::ActiveModel {
        chain: Set(territory_chain(territory_id)),
        seq: Set(0),
        hash: Set(trame_domain::audit::GENESIS_HASH.to_owned()),
    }
    .insert(tx)
    .await?;
    Ok(())
}

/// The result of checking one chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    /// Chain key.
    pub chain: String,
    /// Entries read.
    pub entries: u64,
    /// `None` when the chain is intact, else what is wrong and where.
    pub broken: Option<String>,
}

impl Store {
    /// The latest entries of a territory's journal, newest first.
    pub async fn audit_list(
        &self,
        scope: Scope,
        limit: u64,
    ) -> Result<Vec<audit_event::Model>, StoreError> {
        Ok(audit_event::Entity::find()
            .filter(audit_event::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_desc(audit_event::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// One entry of a territory's journal; `NotFound` for another territory's entry.
    pub async fn audit_get(&self, scope: Scope, id: i64) -> Result<audit_event::Model, StoreError> {
        audit_event::Entity::find_by_id(id)
            .filter(audit_event::Column::TerritoryId.eq(scope.territory_id()))
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Recomputes every chain from its first entry and compares with the stored hashes
    /// and the chain heads.
    pub async fn audit_verify(&self) -> Result<Vec<ChainCheck>, StoreError> {
        let heads = audit_chain_head::Entity::find()
            .order_by_asc(audit_chain_head::Column::Chain)
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(heads.len());
        for head in heads {
            out.push(self.verify_chain(&head).await?);
        }
        Ok(out)
    }

    async fn verify_chain(&self, head: &audit_chain_head::Model) -> Result<ChainCheck, StoreError> {
        const PAGE: u64 = 1000;
        let mut prev = trame_domain::audit::GENESIS_HASH.to_owned();
        let mut expected_seq = 1i64;
        let mut entries = 0u64;
        let mut broken = None;
        'pages: loop {
            let page = audit_event::Entity::find()
                .filter(audit_event::Column::Chain.eq(head.chain.clone()))
                .filter(audit_event::Column::Seq.gte(expected_seq))
                .order_by_asc(audit_event::Column::Seq)
                .limit(PAGE)
                .all(&self.db)
                .await?;
            let n = page.len();
            for e in page {
                entries += 1;
                if e.seq != expected_seq {
                    broken = Some(format!("entrée manquante avant le rang {}", e.seq));
                    break 'pages;
                }
                let at = rfc3339(e.occurred_at);
                let h = entry_hash(
                    &prev,
                    &EntryContent {
                        chain: &e.chain,
                        seq: e.seq,
                        occurred_at: &at,
                        actor_id: e.actor_id,
                        territory_id: e.territory_id,
                        action: &e.action,
                        object_type: &e.object_type,
                        object_id: &e.object_id,
                    },
                );
                if e.prev_hash != prev || e.hash != h {
                    broken = Some(format!("entrée n° {} (rang {}) modifiée", e.id, e.seq));
                    break 'pages;
                }
                prev = h;
                expected_seq += 1;
            }
            if (n as u64) < PAGE {
                break;
            }
        }
        if broken.is_none() && (head.seq != expected_seq - 1 || head.hash != prev) {
            broken = Some(format!(
                "la tête de chaîne (rang {}) ne correspond pas à la dernière entrée (rang {})",
                head.seq,
                expected_seq - 1
            ));
        }
        Ok(ChainCheck {
            chain: head.chain.clone(),
            entries,
            broken,
        })
    }
}

/// Journals a change to a territory's data, inside the caller's transaction.
pub(crate) async fn journal<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor_id: Option<i64>,
    scope: crate::Scope,
    act: &'static str,
    object_type: &'static str,
    id: i64,
) -> Result<(), StoreError> {
    record(
        tx,
        now,
        Entry::territory(actor_id, scope.territory_id(), act, object_type, id),
    )
    .await
}
