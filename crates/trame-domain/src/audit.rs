//! The audit journal's hash chain. Each territory (and the platform itself) has one chain;
//! each entry's hash covers its content and the previous entry's hash, so any edit or
//! deletion of a past entry breaks every hash after it.
//!
//! Entries carry no personal data: an actor id, an action code, an object type and id.

use sha2::{Digest, Sha256};

/// The hash before the first entry of every chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The key of the platform-wide chain (entries without a territory).
pub const PLATFORM_CHAIN: &str = "platform";

/// The chain key of a territory.
pub fn territory_chain(territory_id: i64) -> String {
    format!("territory:{territory_id}")
}

/// What an entry says, in the order the hash covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryContent<'a> {
    /// Chain the entry belongs to.
    pub chain: &'a str,
    /// Position in the chain, from 1.
    pub seq: i64,
    /// Instant, as RFC 3339 UTC with seconds precision.
    pub occurred_at: &'a str,
    /// Person who acted; `None` for the system.
    pub actor_id: Option<i64>,
    /// Territory concerned.
    pub territory_id: Option<i64>,
    /// Action code, such as `person.create`.
    pub action: &'a str,
    /// Object type, such as `person`.
    pub object_type: &'a str,
    /// Object id.
    pub object_id: &'a str,
}

/// The hash of an entry given its predecessor's hash.
pub fn entry_hash(prev_hash: &str, e: &EntryContent<'_>) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        e.chain,
        &e.seq.to_string(),
        e.occurred_at,
        &e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
        &e.territory_id.map(|t| t.to_string()).unwrap_or_default(),
        e.action,
        e.object_type,
        e.object_id,
    ] {
        h.update(part.as_bytes());
        // A separator that cannot occur in the parts keeps ("ab","c") apart from ("a","bc").
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample<'a>(action: &'a str) -> EntryContent<'a> {
        EntryContent {
            chain: "territory:1",
            seq: 1,
            occurred_at: "2026-11-26T12:00:00Z",
            actor_id: Some(3),
            territory_id: Some(1),
            action,
            object_type: "person",
            object_id: "3",
        }
    }

    #[test]
    fn any_change_changes_the_hash() {
        let a = entry_hash(GENESIS_HASH, &sample("person.create"));
        let b = entry_hash(GENESIS_HASH, &sample("person.update"));
        let c = entry_hash(&a, &sample("person.create"));
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 64);
    }
}
