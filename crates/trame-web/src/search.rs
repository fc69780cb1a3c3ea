//! The directory's search caches, one tantivy index per territory and process, kept in
//! step with the database: a search reads the territory's directory revision (one
//! indexed row) and, when the database is ahead, applies the services changed since
//! (published ones indexed, the others dropped). Every directory write moves the revision
//! in its own transaction. The revision is read again whenever this process has
//! committed a directory write since the last read, and at least every [`RECHECK`]
//! otherwise: a write of this process shows at once, a write of another server (or of a
//! command run beside this one) within [`RECHECK`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use trame_domain::directory::listing::{Place, Status};
use trame_domain::directory::vocab::{Vocabulary, category_label, category_of};
use trame_search::{Doc, Index, SearchError};
use trame_store::directory::ListedService;
use trame_store::{Scope, Store, StoreError};

/// Why a search could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The database.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The index.
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// What a result line shows, kept beside the index so that a page of results needs no
/// further read of the database.
#[derive(Debug, Clone)]
pub struct Card {
    /// The service's id.
    pub id: i64,
    /// Its structure's id.
    pub structure_id: i64,
    /// Name.
    pub nom: String,
    /// Its structure's name.
    pub structure_nom: String,
    /// Commune name.
    pub commune: Option<String>,
    /// Labels of its thématiques.
    pub themes: Vec<String>,
    /// Free or paid, in words.
    pub frais: String,
    /// The description's start.
    pub excerpt: String,
}

fn excerpt(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(chars).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(a, _)| a)
        .to_owned();
    format!("{cut}…")
}

fn label(v: Vocabulary, code: &str) -> String {
    v.get(code)
        .map_or_else(|| code.to_owned(), |e| e.label.clone())
}

/// The card of a service.
pub fn card_of(s: &ListedService) -> Card {
    let r = &s.record;
    Card {
        id: s.id,
        structure_id: s.structure_id,
        nom: r.nom.clone(),
        structure_nom: s.structure_nom.clone(),
        commune: r.commune.clone(),
        themes: r
            .thematiques
            .iter()
            .flatten()
            .map(|t| label(Vocabulary::Thematiques, t))
            .collect(),
        frais: r
            .frais
            .as_deref()
            .map(|f| label(Vocabulary::Frais, f))
            .unwrap_or_default(),
        excerpt: excerpt(&r.description, 220),
    }
}

/// How long a search trusts the revision it read, when this process wrote nothing to the
/// directory since: the most a write of another process waits to show. One read of the
/// revision per territory and tenth of a second, instead of one per request (measured: a
/// database round trip and two thread wake-ups, a third of the list page's time).
pub const RECHECK: std::time::Duration = std::time::Duration::from_millis(100);

struct Entry {
    index: Index,
    /// When the revision was last read, and this process's directory writes then.
    checked: Mutex<Option<(u64, std::time::Instant)>>,
    cards: std::sync::RwLock<HashMap<i64, Arc<Card>>>,
    /// Held while the index is being brought forward, so two requests do not both apply
    /// the same changes.
    sync: tokio::sync::Mutex<()>,
}

/// The per-territory indexes of this process.
#[derive(Default)]
pub struct Indexes {
    map: Mutex<HashMap<i64, Arc<Entry>>>,
}

impl std::fmt::Debug for Indexes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Indexes").finish_non_exhaustive()
    }
}

/// The document a service becomes: searched on its name, and on its description, its
/// structure, its commune and the labels of its thématiques and publics.
pub fn doc_of(s: &ListedService) -> Doc {
    let r = &s.record;
    let mut text = vec![r.description.clone(), s.structure_nom.clone()];
    text.extend(r.commune.clone());
    for t in r.thematiques.iter().flatten() {
        text.extend(category_label(category_of(t)).map(str::to_owned));
        text.extend(Vocabulary::Thematiques.get(t).map(|e| e.label.clone()));
    }
    for p in r.publics.iter().flatten() {
        text.extend(Vocabulary::Publics.get(p).map(|e| e.label.clone()));
    }
    text.extend(r.publics_precisions.clone());
    Doc {
        id: s.id,
        name: r.nom.clone(),
        text: text.join("\n"),
        codes: r
            .codes()
            .into_iter()
            .map(|(k, c)| (k.as_str().to_owned(), c))
            .collect(),
    }
}

/// Whether the public sees a service.
pub fn is_public(s: &ListedService) -> bool {
    s.status == Status::Publie && s.structure_status == Status::Publie
}

impl Indexes {
    fn entry(&self, territory_id: i64) -> Result<Arc<Entry>, CacheError> {
        let mut map = self.map.lock().map_err(|_| SearchError::poisoned())?;
        if let Some(e) = map.get(&territory_id) {
            return Ok(e.clone());
        }
        let e = Arc::new(Entry {
            index: Index::new()?,
            checked: Mutex::new(None),
            cards: std::sync::RwLock::new(HashMap::new()),
            sync: tokio::sync::Mutex::new(()),
        });
        map.insert(territory_id, e.clone());
        Ok(e)
    }

    /// The territory's index, brought up to the database's revision.
    pub async fn fresh(&self, store: &Store, scope: Scope) -> Result<EntryRef, CacheError> {
        let entry = self.entry(scope.territory_id())?;
        // Read before the revision: a write committed after this read moves the count.
        let writes = store.directory_writes();
        let started = std::time::Instant::now();
        let trusted = entry
            .checked
            .lock()
            .map_err(|_| SearchError::poisoned())?
            .is_some_and(|(w, at)| w == writes && at.elapsed() < RECHECK);
        if trusted {
            return Ok(EntryRef(entry));
        }
        let revision = store.directory_revision(scope).await?;
        if entry.index.revision() < revision {
            let _guard = entry.sync.lock().await;
            let since = entry.index.revision();
            if since < revision {
                let changed = store.services_changed_since(scope, since).await?;
                let to = changed.iter().map(|s| s.revision).max().unwrap_or(revision);
                let (public, hidden): (Vec<_>, Vec<_>) = changed.iter().partition(|s| is_public(s));
                let docs: Vec<Doc> = public.iter().map(|s| doc_of(s)).collect();
                let removed: Vec<i64> = hidden.into_iter().map(|s| s.id).collect();
                {
                    let mut cards = entry.cards.write().map_err(|_| SearchError::poisoned())?;
                    for id in &removed {
                        cards.remove(id);
                    }
                    for s in public {
                        cards.insert(s.id, Arc::new(card_of(s)));
                    }
                }
                // Indexing is CPU work: off the async threads.
                let e = entry.clone();
                tokio::task::spawn_blocking(move || {
                    e.index.apply(&docs, &removed, to.max(revision))
                })
                .await
                .map_err(|_| SearchError::poisoned())??;
            }
        }
        *entry.checked.lock().map_err(|_| SearchError::poisoned())? = Some((writes, started));
        Ok(EntryRef(entry))
    }
}

/// A handle on a territory's index.
pub struct EntryRef(Arc<Entry>);

impl EntryRef {
    /// The cards of these services, in the order given.
    pub fn cards(&self, ids: &[i64]) -> Vec<Arc<Card>> {
        match self.0.cards.read() {
            Ok(cards) => ids.iter().filter_map(|id| cards.get(id).cloned()).collect(),
            Err(_) => Vec::new(),
        }
    }
}

impl std::ops::Deref for EntryRef {
    type Target = Index;
    fn deref(&self) -> &Index {
        &self.0.index
    }
}

/// The zone codes a commune filter looks for.
pub fn commune_zone(code_insee: &str, siren: Option<&str>, territory_siren: &str) -> Vec<String> {
    Place {
        code_insee,
        siren,
        territory_siren,
    }
    .zone_codes()
}
