//! The directory's search index: a tantivy index held in memory, a cache of the
//! database's published services, never the source of truth.
//!
//! Text goes through a French analyser (words, lower case, accents folded, French Snowball
//! stemmer), so « epicerie solidaire » finds « Épiceries solidaires ». Filters are exact
//! codes (thématique, public, type, frais, mode d'accueil, zone); within one kind any
//! value matches, across kinds all must. Without words, results come in name order; with
//! words, by relevance (BM25, the name weighing more than the description).
//!
//! The index remembers the directory revision it reflects; the web layer brings it up to
//! date from the database ([`Index::apply`]) before it answers.

mod lists;

use lists::Lists;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenStream,
};
use tantivy::{Index as Tantivy, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

const ANALYZER: &str = "fr";

/// What went wrong in the index.
#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct SearchError(String);

impl SearchError {
    /// A lock poisoned by a panic elsewhere.
    pub fn poisoned() -> SearchError {
        SearchError("lock poisoned".into())
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError(e.to_string())
    }
}

/// One service as the index sees it.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// Trame's id.
    pub id: i64,
    /// The name (searched with more weight, and the sort order).
    pub name: String,
    /// Everything else searched: description, structure, labels of its codes.
    pub text: String,
    /// Filter codes: (kind letter, code).
    pub codes: Vec<(String, String)>,
}

/// A search: words and filters.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// Words typed; empty for a filtered list.
    pub words: String,
    /// Filters: (kind letter, accepted codes). A service must match one code of each.
    pub filters: Vec<(String, Vec<String>)>,
    /// Results skipped.
    pub offset: usize,
    /// Results returned.
    pub limit: usize,
}

/// A page of results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hits {
    /// How many services match.
    pub total: usize,
    /// The ids of this page, in order.
    pub ids: Vec<i64>,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    name: Field,
    text: Field,
    code: Field,
}

/// The in-memory index of one territory's published services.
pub struct Index {
    /// The lists without words (see [`lists`]): tantivy's own sort on a text fast field
    /// resolves each hit's term, and collecting its matches hashes each one, so a
    /// filtered list in name order and a count are answered from bitsets instead.
    lists: std::sync::RwLock<Lists>,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    f: Fields,
    revision: AtomicI64,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("revision", &self.revision())
            .finish_non_exhaustive()
    }
}

/// The French analyser.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::French))
        .build()
}

/// The terms the analyser makes of a text (for tests and for highlighting).
pub fn terms(text: &str) -> Vec<String> {
    let mut a = analyzer();
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// The name's sort key: lower case, accents folded.
pub fn sort_key(name: &str) -> String {
    let mut a = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut stream = a.token_stream(name);
    let mut words = Vec::new();
    while let Some(t) = stream.next() {
        words.push(t.text.clone());
    }
    words.join(" ")
}

impl Index {
    /// An empty index at revision 0.
    pub fn new() -> Result<Index, SearchError> {
        let mut b = Schema::builder();
        let text_options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let f = Fields {
            id: b.add_i64_field("id", INDEXED | FAST),
            name: b.add_text_field("name", text_options.clone()),
            text: b.add_text_field("text", text_options),
            code: b.add_text_field("code", STRING),
        };
        let index = Tantivy::create_in_ram(b.build());
        index.tokenizers().register(ANALYZER, analyzer());
        let writer = index.writer_with_num_threads(1, 30_000_000)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Index {
            lists: std::sync::RwLock::new(Lists::default()),
            reader,
            writer: Mutex::new(writer),
            f,
            revision: AtomicI64::new(0),
        })
    }

    /// The directory revision the index reflects.
    pub fn revision(&self) -> i64 {
        self.revision.load(Ordering::Acquire)
    }

    /// Brings the index to `revision`: `upserts` are (re)indexed, `removed` ids dropped.
    pub fn apply(
        &self,
        upserts: &[Doc],
        removed: &[i64],
        revision: i64,
    ) -> Result<(), SearchError> {
        let mut w = self
            .writer
            .lock()
            .map_err(|_| SearchError("writer lock poisoned".into()))?;
        for id in removed.iter().chain(upserts.iter().map(|d| &d.id)) {
            w.delete_term(Term::from_field_i64(self.f.id, *id));
        }
        for d in upserts {
            let mut doc = TantivyDocument::default();
            doc.add_i64(self.f.id, d.id);
            doc.add_text(self.f.name, &d.name);
            doc.add_text(self.f.text, &d.text);
            for (kind, code) in &d.codes {
                doc.add_text(self.f.code, format!("{kind}:{code}"));
            }
            w.add_document(doc)?;
        }
        w.commit()?;
        self.reader.reload()?;
        let mut lists = self.lists.write().map_err(|_| SearchError::poisoned())?;
        for id in removed.iter().chain(upserts.iter().map(|d| &d.id)) {
            lists.remove(*id);
        }
        for d in upserts {
            lists.add(d.id, sort_key(&d.name), &d.codes);
        }
        lists.reorder();
        self.revision.fetch_max(revision, Ordering::AcqRel);
        Ok(())
    }

    fn query(&self, s: &Search) -> Box<dyn Query> {
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let words = terms(&s.words);
        if !words.is_empty() {
            // Every word must appear, in the name or the text; the name counts double.
            for w in words {
                let in_name: Box<dyn Query> = Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.f.name, &w),
                        IndexRecordOption::WithFreqs,
                    )),
                    2.0,
                ));
                let in_text: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(self.f.text, &w),
                    IndexRecordOption::WithFreqs,
                ));
                must.push((
                    Occur::Must,
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Should, in_name),
                        (Occur::Should, in_text),
                    ])),
                ));
            }
        }
        for (kind, codes) in &s.filters {
            let any: Vec<(Occur, Box<dyn Query>)> = codes
                .iter()
                .map(|c| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(self.f.code, &format!("{kind}:{c}")),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if must.is_empty() {
            Box::new(tantivy::query::AllQuery)
        } else {
            Box::new(BooleanQuery::new(must))
        }
    }

    /// One page of results and the total.
    pub fn search(&self, s: &Search) -> Result<Hits, SearchError> {
        let limit = s.limit.max(1);
        if terms(&s.words).is_empty() {
            return self.in_name_order(s, limit);
        }
        let searcher = self.reader.searcher();
        let q = self.query(s);
        let top = TopDocs::with_limit(limit).and_offset(s.offset);
        let (total, hits) = searcher.search(&q, &(Count, top.order_by_score()))?;
        let mut ids = Vec::with_capacity(hits.len());
        for (_, a) in hits {
            let reader = searcher.segment_reader(a.segment_ord);
            let col = reader
                .fast_fields()
                .i64("id")
                .map_err(|e| SearchError(e.to_string()))?;
            if let Some(id) = col.first(a.doc_id) {
                ids.push(id);
            }
        }
        Ok(Hits { total, ids })
    }

    /// A list without words, in name order.
    fn in_name_order(&self, s: &Search, limit: usize) -> Result<Hits, SearchError> {
        let lists = self.lists.read().map_err(|_| SearchError::poisoned())?;
        let (total, ids) = lists.page(&s.filters, s.offset, limit);
        Ok(Hits { total, ids })
    }

    /// How many services match each code of `kind` under the search's other filters
    /// (for the counts beside each filter choice).
    pub fn count(&self, s: &Search) -> Result<usize, SearchError> {
        if terms(&s.words).is_empty() {
            let lists = self.lists.read().map_err(|_| SearchError::poisoned())?;
            return Ok(lists.count(&s.filters));
        }
        Ok(self.reader.searcher().search(&self.query(s), &Count)?)
    }

    /// How many services the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, name: &str, text: &str, codes: &[(&str, &str)]) -> Doc {
        Doc {
            id,
            name: name.into(),
            text: text.into(),
            codes: codes
                .iter()
                .map(|(k, c)| ((*k).to_owned(), (*c).to_owned()))
                .collect(),
        }
    }

    fn index() -> Index {
        let i = Index::new().expect("index");
        i.apply(
            &[
                doc(
                    1,
                    "Épiceries solidaires",
                    "Des courses à petit prix.",
                    &[("t", "equipement-et-alimentation"), ("z", "94028")],
                ),
                doc(
                    2,
                    "Auto-école sociale",
                    "Préparer le permis de conduire.",
                    &[("t", "mobilite"), ("z", "94")],
                ),
                doc(
                    3,
                    "Atelier vélo",
                    "Apprendre à réparer son vélo, épicerie de pièces.",
                    &[("t", "mobilite"), ("z", "94002")],
                ),
            ],
            &[],
            7,
        )
        .expect("apply");
        i
    }

    #[test]
    fn accents_and_plurals_do_not_matter() {
        let i = index();
        let hits = i
            .search(&Search {
                words: "epicerie solidaire".into(),
                limit: 10,
                ..Search::default()
            })
            .expect("search");
        assert_eq!(
            hits,
            Hits {
                total: 1,
                ids: vec![1]
            }
        );
        assert_eq!(terms("Épiceries"), terms("epicerie"));
        assert_eq!(i.revision(), 7);
    }

    #[test]
    fn the_name_ranks_first_and_filters_narrow() {
        let i = index();
        let hits = i
            .search(&Search {
                words: "épicerie".into(),
                limit: 10,
                ..Search::default()
            })
            .expect("search");
        assert_eq!(hits.ids, vec![1, 3]);
        let mobility = Search {
            filters: vec![("t".into(), vec!["mobilite".into()])],
            limit: 10,
            ..Search::default()
        };
        assert_eq!(i.search(&mobility).expect("s").ids, vec![3, 2]);
        let creteil = Search {
            filters: vec![
                ("t".into(), vec!["mobilite".into()]),
                (
                    "z".into(),
                    vec!["94028".into(), "94".into(), "france".into()],
                ),
            ],
            limit: 10,
            ..Search::default()
        };
        assert_eq!(i.search(&creteil).expect("s").ids, vec![2]);
    }

    #[test]
    fn an_update_replaces_and_a_removal_drops() {
        let i = index();
        i.apply(
            &[doc(2, "Garage solidaire", "Réparer sa voiture.", &[])],
            &[3],
            8,
        )
        .expect("apply");
        let all = i
            .search(&Search {
                limit: 10,
                ..Search::default()
            })
            .expect("s");
        assert_eq!(
            all,
            Hits {
                total: 2,
                ids: vec![1, 2]
            }
        );
        assert_eq!(i.revision(), 8);
    }
}
