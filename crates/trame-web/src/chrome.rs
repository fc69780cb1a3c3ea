//! What every page's frame needs (header, navigation, anti-forgery token), extracted once
//! per request from what the middleware found.

use crate::access::TerritoryCtx;
use crate::middleware::{CsrfToken, CurrentUser};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::convert::Infallible;
use trame_domain::role::Role;

/// A link of the territory's navigation.
#[derive(Debug, Clone)]
pub struct NavLink {
    /// Target.
    pub href: String,
    /// Label.
    pub label: &'static str,
    /// Whether it is the current page.
    pub current: bool,
}

/// The frame of a page.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// Anti-forgery token for the page's forms.
    pub csrf: String,
    /// Name of the logged-in person.
    pub user_name: Option<String>,
    /// The territory the page belongs to: slug and name.
    pub territory: Option<(String, String)>,
    /// Whether the territory has a logo to show in the header.
    pub has_logo: bool,
    /// The territory's navigation, by the viewer's roles.
    pub nav: Vec<NavLink>,
    /// Path of the page.
    pub path: String,
}

impl Chrome {
    /// Whether someone is logged in.
    pub fn logged_in(&self) -> bool {
        self.user_name.is_some()
    }

    /// A fresh idempotency key for one form (`crate::idempotency`).
    pub fn key(&self) -> String {
        crate::idempotency::fresh()
    }
}

fn nav_for(slug: &str, roles: &[Role], path: &str) -> Vec<NavLink> {
    let mut links = vec![(format!("/{slug}"), "Accueil du territoire")];
    if !roles.is_empty() {
        links.push((format!("/{slug}/espace"), "Mon espace"));
    }
    links.push((format!("/{slug}/annuaire"), "Trouver de l'aide"));
    links.push((format!("/{slug}/equite"), "Équité territoriale"));
    links.push((
        format!("/{slug}/interet-territorial"),
        "Intérêt territorial",
    ));
    links.push((format!("/{slug}/projets-soutenus"), "Projets soutenus"));
    links.push((format!("/{slug}/appels"), "Appels à projets"));
    links.push((format!("/{slug}/accompagnement"), "Accompagnement ESS"));
    links.push((format!("/{slug}/forums"), "Forums de l'emploi"));
    if roles.contains(&Role::Applicant) {
        links.push((format!("/{slug}/mes-dossiers"), "Mes dossiers"));
        links.push((format!("/{slug}/mes-subventions"), "Mes subventions"));
        links.push((format!("/{slug}/ma-structure"), "Ma structure"));
        links.push((format!("/{slug}/mon-accompagnement"), "Mon accompagnement"));
    }
    if roles.contains(&Role::CommuneReferent) {
        links.push((format!("/{slug}/avis"), "Avis des communes"));
        links.push((
            format!("/{slug}/conventions-commune"),
            "Conventions de mes communes",
        ));
    }
    if roles.contains(&Role::CommitteeMember) {
        links.push((format!("/{slug}/evaluation"), "Mes évaluations"));
        links.push((
            format!("/{slug}/jury-accompagnement"),
            "Jury de l'accompagnement",
        ));
    }
    if roles.contains(&Role::Company) {
        links.push((format!("/{slug}/mes-marches"), "Mes marchés (clauses)"));
    }
    if roles
        .iter()
        .any(|r| r.is_staff() || *r == Role::Facilitator)
    {
        links.push((format!("/{slug}/clauses"), "Clauses d'insertion"));
    }
    if roles
        .iter()
        .any(|r| r.is_staff() || matches!(r, Role::Facilitator | Role::Partner))
    {
        links.push((
            format!("/{slug}/suivi-accompagnement"),
            "Suivi de l'accompagnement",
        ));
    }
    if roles.contains(&Role::Partner) {
        links.push((format!("/{slug}/parcours"), "Parcours d'insertion"));
    }
    if roles.iter().any(|r| r.is_staff() || *r == Role::Partner) {
        links.push((
            format!("/{slug}/parcours/tableau-de-bord"),
            "Tableau de bord des parcours",
        ));
    }
    if roles
        .iter()
        .any(|r| r.is_staff() || *r == Role::Facilitator)
    {
        links.push((format!("/{slug}/gestion-forums"), "Gestion des forums"));
    }
    if roles
        .iter()
        .any(|r| matches!(r, Role::Partner | Role::Applicant))
    {
        links.push((
            format!("/{slug}/ma-structure/orientations"),
            "Orientations reçues",
        ));
    }
    if roles.contains(&Role::Partner)
        && !roles
            .iter()
            .any(|r| r.is_staff() || *r == Role::Facilitator)
    {
        links.push((
            format!("/{slug}/clauses/personnes"),
            "Personnes orientées (clauses)",
        ));
    }
    if roles.iter().any(|r| r.is_staff()) {
        links.push((format!("/{slug}/instruction"), "Instruction"));
        links.push((format!("/{slug}/admin/appels"), "Éditions"));
        links.push((format!("/{slug}/subventions"), "Subventions"));
        links.push((format!("/{slug}/conventions"), "Conventions"));
        links.push((format!("/{slug}/comptes-rendus"), "Comptes rendus"));
        links.push((format!("/{slug}/jetons"), "Mes jetons d'API"));
        links.push((format!("/{slug}/admin/annuaire"), "Annuaire"));
        links.push((
            format!("/{slug}/admin/interet-territorial"),
            "Registre de l'intérêt territorial",
        ));
        links.push((
            format!("/{slug}/admin/projets-soutenus"),
            "Vitrine des projets",
        ));
        links.push((format!("/{slug}/admin/organisations"), "Organisations"));
    }
    if roles.contains(&Role::TerritoryAdmin) {
        links.push((format!("/{slug}/admin/membres"), "Membres"));
        links.push((format!("/{slug}/admin/invitations"), "Invitations"));
        links.push((format!("/{slug}/admin/courriels"), "Courriels"));
        links.push((format!("/{slug}/admin/communes"), "Communes"));
        links.push((format!("/{slug}/admin/parametres"), "Paramètres"));
        links.push((format!("/{slug}/admin/journal"), "Journal d'audit"));
        links.push((
            format!("/{slug}/admin/parcours/eliminations"),
            "Registre des éliminations",
        ));
    }
    // The page's own link, or else the longest link it lies under (« Tableau de bord des
    // parcours » rather than « Parcours d'insertion » on the dashboard).
    let matches = |href: &str| {
        href == path || (href != format!("/{slug}") && path.starts_with(&format!("{href}/")))
    };
    let current = links
        .iter()
        .filter(|(href, _)| matches(href))
        .map(|(href, _)| href.len())
        .max();
    links
        .into_iter()
        .map(|(href, label)| NavLink {
            current: matches(&href) && Some(href.len()) == current,
            href,
            label,
        })
        .collect()
}

impl<S: Send + Sync> FromRequestParts<S> for Chrome {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let path = parts.uri.path().to_owned();
        let ctx = parts.extensions.get::<TerritoryCtx>();
        Ok(Chrome {
            csrf: parts
                .extensions
                .get::<CsrfToken>()
                .map(|t| t.0.clone())
                .unwrap_or_default(),
            user_name: parts
                .extensions
                .get::<CurrentUser>()
                .map(|u| u.display_name.clone()),
            territory: ctx.map(|c| (c.territory.slug.clone(), c.territory.name.clone())),
            has_logo: ctx.is_some_and(|c| c.territory.logo_mime.is_some()),
            nav: ctx
                .map(|c| nav_for(&c.territory.slug, &c.roles, &path))
                .unwrap_or_default(),
            path,
        })
    }
}
