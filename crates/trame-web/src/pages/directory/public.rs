//! `/{territoire}/annuaire`: finding help. A search in French with filters by thématique
//! (category or sub-theme), public, type, frais, mode d'accueil and commune (the services
//! open to its residents through their zone d'éligibilité). The URL carries the whole
//! search, so it can be shared; the form works without JavaScript, and htmx swaps only
//! the results as the filters change.

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::pages::funding::path_id;
use crate::pages::render;
use crate::search::{Card, card_of, commune_zone};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;
use trame_domain::directory::record::{Service, Structure};
use trame_domain::directory::vocab::{CATEGORIES, Entry, Vocabulary, category_of, thematiques_of};
use trame_search::Search;
use trame_store::directory::ListedService;
use trame_store::territories::Commune;

/// Results per page.
pub const PAGE_SIZE: usize = 20;

/// The search, as the URL carries it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DirQuery {
    /// Words.
    #[serde(default)]
    pub q: String,
    /// Thématique: a category or a `category--sub-theme` code.
    #[serde(default)]
    pub thematique: String,
    /// Public.
    #[serde(default)]
    pub public: String,
    /// Type of service.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// Frais.
    #[serde(default)]
    pub frais: String,
    /// Mode d'accueil.
    #[serde(default)]
    pub accueil: String,
    /// Commune (INSEE code).
    #[serde(default)]
    pub commune: String,
    /// Page, from 1.
    #[serde(default)]
    pub page: Option<String>,
}

impl DirQuery {
    fn page(&self) -> usize {
        self.page
            .as_deref()
            .and_then(|p| p.parse().ok())
            .filter(|p: &usize| (1..=10_000).contains(p))
            .unwrap_or(1)
    }

    /// The query string without the page, to build page links.
    pub fn without_page(&self) -> String {
        let pairs = [
            ("q", &self.q),
            ("thematique", &self.thematique),
            ("public", &self.public),
            ("type", &self.kind),
            ("frais", &self.frais),
            ("accueil", &self.accueil),
            ("commune", &self.commune),
        ];
        let kept: Vec<(&str, &String)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        serde_urlencoded::to_string(kept).unwrap_or_default()
    }
}

fn label(v: Vocabulary, code: &str) -> String {
    v.get(code)
        .map_or_else(|| code.to_owned(), |e| e.label.clone())
}

fn labels(v: Vocabulary, codes: Option<&Vec<String>>) -> Vec<String> {
    codes.into_iter().flatten().map(|c| label(v, c)).collect()
}

/// A filter's choices, their labels escaped once: the options of a `<select>` are then
/// written by copying (escaping them on every request was a tenth of the page's time).
pub struct Options(Vec<(String, String)>);

/// HTML-escapes text for an element's content or a quoted attribute.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Options {
    fn of(entries: impl IntoIterator<Item = (String, String, bool)>) -> Options {
        Options(
            entries
                .into_iter()
                .map(|(value, label, sub)| {
                    let indent = if sub { "&#8195;" } else { "" };
                    (
                        value.clone(),
                        format!("{}\">{indent}{}</option>", escaped(&value), escaped(&label)),
                    )
                })
                .collect(),
        )
    }

    fn vocabulary(v: Vocabulary) -> Options {
        Options::of(
            v.entries()
                .iter()
                .map(|e: &Entry| (e.value.clone(), e.label.clone(), false)),
        )
    }

    /// The `<option>` elements, `selected` on the chosen value.
    pub fn html(&self, selected: &str) -> String {
        let mut out = String::with_capacity(self.0.len() * 64);
        for (value, rest) in &self.0 {
            out.push_str("<option value=\"");
            if value == selected {
                out.push_str(&rest.replacen("\">", "\" selected>", 1));
            } else {
                out.push_str(rest);
            }
        }
        out
    }
}

/// The search form's fixed choices, built once.
struct Filters {
    themes: Options,
    publics: Options,
    types: Options,
    frais: Options,
    accueils: Options,
}

fn filters() -> &'static Filters {
    static FILTERS: std::sync::OnceLock<Filters> = std::sync::OnceLock::new();
    FILTERS.get_or_init(|| {
        let mut themes = Vec::new();
        for (cat, cat_label) in CATEGORIES {
            themes.push((cat.to_owned(), cat_label.to_owned(), false));
            for e in thematiques_of(cat) {
                themes.push((e.value.clone(), e.label.clone(), true));
            }
        }
        Filters {
            themes: Options::of(themes),
            publics: Options::vocabulary(Vocabulary::Publics),
            types: Options::vocabulary(Vocabulary::TypesDeServices),
            frais: Options::vocabulary(Vocabulary::Frais),
            accueils: Options::vocabulary(Vocabulary::ModesAccueil),
        }
    })
}

#[derive(Template)]
#[template(path = "directory/search.html")]
struct SearchPage {
    chrome: Chrome,
    slug: String,
    territory_name: String,
    query: DirQuery,
    results: Results,
    themes: String,
    publics: String,
    types: String,
    frais: String,
    accueils: String,
    communes: Vec<Commune>,
}

#[derive(Template)]
#[template(path = "directory/_results.html")]
struct Results {
    slug: String,
    total: usize,
    page: usize,
    pages: usize,
    cards: Vec<Arc<Card>>,
    prev: Option<String>,
    next: Option<String>,
    summary: String,
    query_string: String,
}

/// The search's filters for the index; `Err` with the field when a value is unknown.
pub(crate) fn search_of(q: &DirQuery, communes: &[Commune], territory_siren: &str) -> Search {
    let mut filters: Vec<(String, Vec<String>)> = Vec::new();
    let mut one = |kind: &str, value: &str, ok: bool| {
        if !value.is_empty() && ok {
            filters.push((kind.to_owned(), vec![value.to_owned()]));
        }
    };
    let theme_ok = Vocabulary::Thematiques.contains(&q.thematique)
        || CATEGORIES.iter().any(|(c, _)| *c == q.thematique);
    one("t", &q.thematique, theme_ok);
    one("p", &q.public, Vocabulary::Publics.contains(&q.public));
    one("y", &q.kind, Vocabulary::TypesDeServices.contains(&q.kind));
    one("f", &q.frais, Vocabulary::Frais.contains(&q.frais));
    one(
        "a",
        &q.accueil,
        Vocabulary::ModesAccueil.contains(&q.accueil),
    );
    if let Some(c) = communes.iter().find(|c| c.code_insee == q.commune) {
        filters.push((
            "z".to_owned(),
            commune_zone(&c.code_insee, c.siren.as_deref(), territory_siren),
        ));
    }
    let page = q.page();
    Search {
        words: q.q.chars().take(200).collect(),
        filters,
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    }
}

pub(crate) fn summary(q: &DirQuery, communes: &[Commune]) -> String {
    let mut parts = Vec::new();
    if !q.q.is_empty() {
        parts.push(format!("« {} »", q.q));
    }
    if !q.thematique.is_empty() {
        let l = Vocabulary::Thematiques
            .get(&q.thematique)
            .map(|e| e.label.clone())
            .or_else(|| {
                trame_domain::directory::vocab::category_label(category_of(&q.thematique))
                    .map(str::to_owned)
            });
        parts.extend(l);
    }
    if let Some(c) = communes.iter().find(|c| c.code_insee == q.commune) {
        parts.push(format!("ouverts aux habitants de {}", c.name));
    }
    parts.join(", ")
}

async fn results(
    state: &AppState,
    ctx: &TerritoryCtx,
    q: &DirQuery,
    communes: &[Commune],
) -> Result<Results, AppError> {
    let scope = ctx.territory.scope();
    let index = state.search.fresh(&state.store, scope).await?;
    let search = search_of(q, communes, &ctx.territory.siren);
    let hits = index
        .search(&search)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let cards = index.cards(&hits.ids);
    let page = q.page();
    let pages = hits.total.div_ceil(PAGE_SIZE).max(1);
    let base = q.without_page();
    let link = |p: usize| {
        if base.is_empty() {
            format!("page={p}")
        } else {
            format!("{base}&page={p}")
        }
    };
    Ok(Results {
        slug: ctx.territory.slug.clone(),
        total: hits.total,
        page,
        pages,
        cards,
        prev: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
        summary: summary(q, communes),
        query_string: base.clone(),
    })
}

/// `GET /{territoire}/annuaire`: the search page, or only its results for htmx.
pub async fn search(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    headers: HeaderMap,
    Query(query): Query<DirQuery>,
) -> Result<Response, AppError> {
    let communes = state.store.communes(ctx.territory.scope()).await?;
    let results = results(&state, &ctx, &query, &communes).await?;
    if crate::pages::funding::is_htmx(&headers) {
        return render(&results);
    }
    let f = filters();
    let (themes, publics, types, frais, accueils) = (
        f.themes.html(&query.thematique),
        f.publics.html(&query.public),
        f.types.html(&query.kind),
        f.frais.html(&query.frais),
        f.accueils.html(&query.accueil),
    );
    render(&SearchPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        territory_name: ctx.territory.name.clone(),
        query,
        results,
        themes,
        publics,
        types,
        frais,
        accueils,
        communes,
    })
}

/// A service's page, with every field a person needs to be referred.
pub struct ServiceView {
    /// The service.
    pub s: ListedService,
    /// Thématiques, by category.
    pub themes: Vec<String>,
    /// Publics.
    pub publics: Vec<String>,
    /// Type.
    pub kind: String,
    /// Frais.
    pub frais: String,
    /// Modes d'accueil.
    pub accueils: Vec<String>,
    /// How to mobilise it.
    pub mobilisation: Vec<String>,
    /// Who may mobilise it.
    pub mobilisable_par: Vec<String>,
    /// The places it is open to, in words.
    pub zone: Vec<String>,
}

fn zone_words(zone: Option<&Vec<String>>, communes: &[Commune], ctx: &TerritoryCtx) -> Vec<String> {
    zone.into_iter()
        .flatten()
        .map(|z| {
            if z == "france" {
                "Toute la France".to_owned()
            } else if *z == ctx.territory.siren {
                format!("Tout le territoire ({})", ctx.territory.name)
            } else if let Some(c) = communes.iter().find(|c| c.code_insee == *z) {
                c.name.clone()
            } else if z.len() <= 3 {
                format!("Département {z}")
            } else {
                z.clone()
            }
        })
        .collect()
}

fn service_view(s: ListedService, communes: &[Commune], ctx: &TerritoryCtx) -> ServiceView {
    let r: &Service = &s.record;
    ServiceView {
        themes: labels(Vocabulary::Thematiques, r.thematiques.as_ref()),
        publics: labels(Vocabulary::Publics, r.publics.as_ref()),
        kind: r
            .kind
            .as_deref()
            .map(|k| label(Vocabulary::TypesDeServices, k))
            .unwrap_or_default(),
        frais: r
            .frais
            .as_deref()
            .map(|f| label(Vocabulary::Frais, f))
            .unwrap_or_default(),
        accueils: labels(Vocabulary::ModesAccueil, r.modes_accueil.as_ref()),
        mobilisation: labels(Vocabulary::ModesMobilisation, r.modes_mobilisation.as_ref()),
        mobilisable_par: labels(
            Vocabulary::PersonnesMobilisatrices,
            r.mobilisable_par.as_ref(),
        ),
        zone: zone_words(r.zone_eligibilite.as_ref(), communes, ctx),
        s,
    }
}

#[derive(Template)]
#[template(path = "directory/service.html")]
struct ServicePage {
    chrome: Chrome,
    slug: String,
    v: ServiceView,
}

/// `GET /{territoire}/annuaire/services/{id}`.
pub async fn service(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let s = state
        .store
        .directory_service(scope, path_id(&id)?, true)
        .await?;
    let communes = state.store.communes(scope).await?;
    render(&ServicePage {
        chrome,
        slug: ctx.territory.slug.clone(),
        v: service_view(s, &communes, &ctx),
    })
}

#[derive(Template)]
#[template(path = "directory/structure.html")]
struct StructurePage {
    chrome: Chrome,
    slug: String,
    s: Structure,
    networks: Vec<String>,
    services: Vec<Card>,
}

/// `GET /{territoire}/annuaire/structures/{id}`.
pub async fn structure(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let id = path_id(&id)?;
    let s = state.store.directory_structure(scope, id, true).await?;
    let services = state
        .store
        .structure_services(scope, id, true)
        .await?
        .iter()
        .map(card_of)
        .collect();
    render(&StructurePage {
        chrome,
        slug: ctx.territory.slug.clone(),
        networks: labels(
            Vocabulary::ReseauxPorteurs,
            s.record.reseaux_porteurs.as_ref(),
        ),
        s: s.record,
        services,
    })
}

/// One page of results as JSON.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ServicesPage {
    /// How many services match.
    pub total: usize,
    /// This page, from 1.
    pub page: usize,
    /// The services, as data·inclusion v1 records, with Trame's id.
    #[schema(value_type = Vec<Object>)]
    pub services: Vec<serde_json::Value>,
}

fn with_trame_id<T: serde::Serialize>(id: i64, record: &T, page: String) -> serde_json::Value {
    let mut v = serde_json::to_value(record).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("trame_id".into(), id.into());
        o.insert("page".into(), page.into());
    }
    v
}

/// `GET /{territoire}/annuaire/api/services`: the same search as the page, as JSON.
#[utoipa::path(get, path = "/{territoire}/annuaire/api/services", tag = "annuaire",
    params(
        ("territoire" = String, Path, description = "Identifiant du territoire dans les adresses (gpsea)"),
        ("q" = Option<String>, Query, description = "Mots cherchés, en français (accents et pluriels indifférents)"),
        ("thematique" = Option<String>, Query, description = "Thématique data·inclusion : catégorie (mobilite) ou sous-thématique (mobilite--preparer-un-permis)"),
        ("commune" = Option<String>, Query, description = "Code INSEE d'une commune du territoire : les services ouverts à ses habitants"),
        ("public" = Option<String>, Query, description = "Public data·inclusion (jeunes, familles…)"),
        ("type" = Option<String>, Query, description = "Type de service data·inclusion"),
        ("frais" = Option<String>, Query, description = "Frais : gratuit, payant…"),
        ("accueil" = Option<String>, Query, description = "Mode d'accueil : en-presentiel, a-distance"),
        ("page" = Option<u32>, Query, description = "Page, à partir de 1 (20 services par page)"),
    ),
    responses((status = 200, description = "Les services publiés qui répondent, classés", body = ServicesPage), (status = 404, description = "Territoire inconnu")))]
pub async fn services_json(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Query(query): Query<DirQuery>,
) -> Result<Response, AppError> {
    let communes = state.store.communes(ctx.territory.scope()).await?;
    let r = results(&state, &ctx, &query, &communes).await?;
    let ids: Vec<i64> = r.cards.iter().map(|c| c.id).collect();
    let records = state
        .store
        .services_by_ids(ctx.territory.scope(), &ids)
        .await?;
    let slug = &ctx.territory.slug;
    Ok(axum::Json(ServicesPage {
        total: r.total,
        page: r.page,
        services: records
            .iter()
            .map(|s| {
                with_trame_id(
                    s.id,
                    &s.record,
                    format!("/{slug}/annuaire/services/{}", s.id),
                )
            })
            .collect(),
    })
    .into_response())
}

/// `GET /{territoire}/annuaire/api/services/{id}`.
#[utoipa::path(get, path = "/{territoire}/annuaire/api/services/{id}", tag = "annuaire",
    params(("territoire" = String, Path, description = "Identifiant du territoire dans les adresses"), ("id" = i64, Path, description = "Identifiant Trame du service (trame_id)")),
    responses((status = 200, description = "Le service au format data·inclusion v1, avec trame_id et page", body = Object), (status = 404, description = "Service inconnu, en brouillon, archivé, ou d'une structure non publiée")))]
pub async fn service_json(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let s = state
        .store
        .directory_service(ctx.territory.scope(), path_id(&id)?, true)
        .await?;
    let page = format!("/{}/annuaire/services/{}", ctx.territory.slug, s.id);
    Ok(axum::Json(with_trame_id(s.id, &s.record, page)).into_response())
}

/// `GET /{territoire}/annuaire/api/structures/{id}`.
#[utoipa::path(get, path = "/{territoire}/annuaire/api/structures/{id}", tag = "annuaire",
    params(("territoire" = String, Path, description = "Identifiant du territoire dans les adresses"), ("id" = i64, Path, description = "Identifiant Trame de la structure (trame_id)")),
    responses((status = 200, description = "La structure au format data·inclusion v1, avec trame_id et page", body = Object), (status = 404, description = "Structure inconnue ou non publiée")))]
pub async fn structure_json(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let s = state
        .store
        .directory_structure(ctx.territory.scope(), path_id(&id)?, true)
        .await?;
    let page = format!("/{}/annuaire/structures/{}", ctx.territory.slug, s.id);
    Ok(axum::Json(with_trame_id(s.id, &s.record, page)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_escaped_once_and_the_chosen_one_is_selected() {
        let o = Options::of([
            ("a".to_owned(), "Aide & accès".to_owned(), false),
            ("b".to_owned(), "L'<enfant>".to_owned(), true),
        ]);
        assert_eq!(
            o.html("b"),
            "<option value=\"a\">Aide &amp; accès</option><option value=\"b\" selected>&#8195;L&#39;&lt;enfant&gt;</option>"
        );
        assert!(!o.html("").contains("selected"));
        // Every thématique is offered, categories first.
        let themes = filters().themes.html("mobilite");
        assert!(themes.contains("<option value=\"mobilite\" selected>"));
        assert!(themes.contains("<option value=\"mobilite--preparer-un-permis\">&#8195;"));
    }
}
