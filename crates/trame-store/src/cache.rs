//! Per-process copies of what nearly every page reads and the staff rarely change: a
//! territory by its slug, its communes, its editions.
//!
//! A write through this store forgets the territory's copies once it is committed. A
//! copy also expires after [`TTL`], so that a change made by another process (a second
//! server on the same PostgreSQL database, a command run beside the server) shows within
//! that time. A read that began before a write cannot put its stale copy back: every
//! forget moves a generation counter, and a copy read under an older generation is not
//! kept. Members, roles and sessions are never cached: they decide access. The pathways'
//! dashboard groups are kept the same way, per territory and viewer, and forgotten by
//! every pathways write of this process.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::funding::editions::EditionRow;
use crate::pathways::PathGroups;
use crate::territories::{Commune, Territory};
use std::sync::Arc;

/// How long a copy is trusted without a write seen by this process.
pub const TTL: Duration = Duration::from_secs(5);

/// Copies keyed by `K`, each with the instant it was read.
#[derive(Debug)]
struct Copies<K, V> {
    map: RwLock<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash, V: Clone> Copies<K, V> {
    fn new() -> Self {
        Self {
            map: RwLock::new(HashMap::new()),
        }
    }

    fn get(&self, key: &K) -> Option<V> {
        let map = self.map.read().ok()?;
        let (at, v) = map.get(key)?;
        (at.elapsed() < TTL).then(|| v.clone())
    }

    fn put(&self, key: K, value: V, read_at: Instant) {
        if let Ok(mut map) = self.map.write() {
            map.insert(key, (read_at, value));
        }
    }

    fn forget(&self, keep: impl Fn(&K, &V) -> bool) {
        if let Ok(mut map) = self.map.write() {
            map.retain(|k, (_, v)| keep(k, v));
        }
    }
}

/// The store's copies.
#[derive(Debug)]
pub(crate) struct Cache {
    generation: AtomicU64,
    /// Directory writes committed by this process.
    directory_writes: AtomicU64,
    territories: Copies<String, Territory>,
    communes: Copies<i64, Vec<Commune>>,
    editions: Copies<i64, Vec<EditionRow>>,
    pathway_groups: Copies<(i64, i64), Arc<PathGroups>>,
    /// Held while the pathways' groups are read from the database, so that the requests
    /// that miss them at once wait for one read rather than each making its own.
    pub(crate) pathway_reading: tokio::sync::Mutex<()>,
}

/// Where a read stood when it began; hand it back with what was read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket {
    generation: u64,
    at: Instant,
}

impl Cache {
    pub(crate) fn new() -> Self {
        Self {
            generation: AtomicU64::new(0),
            directory_writes: AtomicU64::new(0),
            territories: Copies::new(),
            communes: Copies::new(),
            editions: Copies::new(),
            pathway_groups: Copies::new(),
            pathway_reading: tokio::sync::Mutex::new(()),
        }
    }

    /// Taken before reading from the database.
    pub(crate) fn ticket(&self) -> Ticket {
        Ticket {
            generation: self.generation.load(Ordering::Acquire),
            at: Instant::now(),
        }
    }

    fn current(&self, t: Ticket) -> bool {
        self.generation.load(Ordering::Acquire) == t.generation
    }

    pub(crate) fn territory(&self, slug: &str) -> Option<Territory> {
        self.territories.get(&slug.to_owned())
    }

    pub(crate) fn keep_territory(&self, t: Ticket, territory: &Territory) {
        if self.current(t) {
            self.territories
                .put(territory.slug.clone(), territory.clone(), t.at);
        }
    }

    pub(crate) fn communes(&self, territory_id: i64) -> Option<Vec<Commune>> {
        self.communes.get(&territory_id)
    }

    pub(crate) fn keep_communes(&self, t: Ticket, territory_id: i64, communes: &[Commune]) {
        if self.current(t) {
            self.communes.put(territory_id, communes.to_vec(), t.at);
        }
    }

    pub(crate) fn editions(&self, territory_id: i64) -> Option<Vec<EditionRow>> {
        self.editions.get(&territory_id)
    }

    pub(crate) fn keep_editions(&self, t: Ticket, territory_id: i64, editions: &[EditionRow]) {
        if self.current(t) {
            self.editions.put(territory_id, editions.to_vec(), t.at);
        }
    }

    /// The pathways' dashboard groups of a territory for a viewer (0: the whole territory).
    pub(crate) fn pathway_groups(&self, key: (i64, i64)) -> Option<Arc<PathGroups>> {
        self.pathway_groups.get(&key)
    }

    pub(crate) fn keep_pathway_groups(&self, t: Ticket, key: (i64, i64), groups: Arc<PathGroups>) {
        if self.current(t) {
            self.pathway_groups.put(key, groups, t.at);
        }
    }

    /// Forgets the pathways' dashboard groups of a territory (every territory: `None`);
    /// called once a pathways write is committed.
    pub(crate) fn forget_pathways(&self, territory_id: Option<i64>) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.pathway_groups
            .forget(|(t, _), _| territory_id.is_some_and(|id| id != *t));
    }

    /// Counts a committed directory write.
    pub(crate) fn directory_written(&self) {
        self.directory_writes.fetch_add(1, Ordering::AcqRel);
    }

    /// Directory writes committed so far.
    pub(crate) fn directory_writes(&self) -> u64 {
        self.directory_writes.load(Ordering::Acquire)
    }

    /// Forgets every copy about a territory; called once a write to it is committed.
    pub(crate) fn forget(&self, territory_id: i64) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.territories.forget(|_, t| t.id != territory_id);
        self.communes.forget(|id, _| *id != territory_id);
        self.editions.forget(|id, _| *id != territory_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn territory(id: i64, slug: &str) -> Territory {
        Territory {
            id,
            slug: slug.into(),
            name: "Territoire".into(),
            siren: "200057941".into(),
            departement: "94".into(),
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            primary_color: "#1f5f8b".into(),
            awarding_siret: None,
            logo: None,
            logo_mime: None,
        }
    }

    #[test]
    fn a_copy_is_kept_then_forgotten_by_a_write() {
        let c = Cache::new();
        let t = c.ticket();
        c.keep_territory(t, &territory(1, "gpsea"));
        assert_eq!(c.territory("gpsea").map(|t| t.id), Some(1));
        c.forget(1);
        assert!(c.territory("gpsea").is_none());
    }

    #[test]
    fn a_read_begun_before_a_write_is_not_kept() {
        let c = Cache::new();
        let before = c.ticket();
        c.forget(2);
        c.keep_territory(before, &territory(1, "gpsea"));
        assert!(c.territory("gpsea").is_none());
    }

    #[test]
    fn forgetting_one_territory_keeps_the_others() {
        let c = Cache::new();
        let t = c.ticket();
        c.keep_territory(t, &territory(1, "gpsea"));
        c.keep_territory(t, &territory(2, "autre"));
        c.forget(1);
        assert!(c.territory("gpsea").is_none());
        assert_eq!(c.territory("autre").map(|t| t.id), Some(2));
    }
}
