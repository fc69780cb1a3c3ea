//! The one table of routes. Each row: method, path, who may call it, handler. The router
//! is built from this table only, and `specs()` gives the authorization-matrix test the
//! same rows.

use crate::AppState;
use crate::access::{Access, enforce};
use crate::middleware;
use crate::pages::accompaniment as acc;
use crate::pages::admin::{
    communes, invitations, journal, members, organisations, outbox, settings, tokens,
};
use crate::pages::clauses;
use crate::pages::funding::{
    apply, awards, calls, committee, conventions, documents, editions, exports, instruction,
    opinions, reports, review,
};
use crate::pages::{
    account, agent_tokens, auth, directory, forums, home, invitation, pathways, proconnect,
    register, showcase, space, territories,
};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};
use trame_domain::role::Role;

/// One route and its rule.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    /// HTTP method.
    pub method: Method,
    /// Path, axum syntax (`/{territoire}/…`).
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
}

const ADMIN: &[Role] = &[Role::TerritoryAdmin];
const STAFF: &[Role] = &[Role::TerritoryAdmin, Role::Agent];
const ANY_ROLE: &[Role] = &[];
const APPLICANT: &[Role] = &[Role::Applicant];
const REFERENT: &[Role] = &[Role::CommuneReferent];
const REVIEWER: &[Role] = &[Role::CommitteeMember];
const CLAUSES: &[Role] = &[Role::TerritoryAdmin, Role::Agent, Role::Facilitator];
const CLAUSE_PEOPLE: &[Role] = &[
    Role::TerritoryAdmin,
    Role::Agent,
    Role::Facilitator,
    Role::Partner,
];
const COMPANY: &[Role] = &[Role::Company];
const ACC_STAFF: &[Role] = &[Role::TerritoryAdmin, Role::Agent, Role::Facilitator];
const ACC_TEAM: &[Role] = &[
    Role::TerritoryAdmin,
    Role::Agent,
    Role::Facilitator,
    Role::Partner,
];
const COUNSELLOR: &[Role] = &[Role::Partner];
const PATH_FIGURES: &[Role] = &[Role::TerritoryAdmin, Role::Agent, Role::Partner];
const FORUM_TEAM: &[Role] = &[Role::TerritoryAdmin, Role::Agent, Role::Facilitator];
const RECEIVER: &[Role] = &[Role::Applicant, Role::Partner];
const ACC_READERS: &[Role] = &[
    Role::TerritoryAdmin,
    Role::Agent,
    Role::Facilitator,
    Role::CommitteeMember,
];

/// Room for one 10 MB attachment and the form around it.
const UPLOAD_LIMIT: usize = trame_domain::funding::attachment::MAX_BYTES + 64 * 1024;

/// A data·inclusion file uploaded from the browser (larger ones go through
/// `trame import data-inclusion`).
const DIRECTORY_FILE_LIMIT: usize = 50 * 1024 * 1024;

// One route per line reads as a table: keep rustfmt from folding it.
#[rustfmt::skip]
fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Access::*;
    let r = |method: Method, path: &'static str, access: Access, mr: MethodRouter<AppState>| {
        (RouteSpec { method, path, access }, mr)
    };
    vec![
        r(Method::GET, "/", Public, get(home::index)),
        r(Method::GET, "/healthz", Public, get(home::healthz)),
        r(Method::GET, "/readyz", Public, get(home::readyz)),
        r(Method::GET, "/static/{file}", Public, get(crate::assets::serve)),
        r(Method::GET, "/connexion", Public, get(auth::login_form)),
        r(Method::POST, "/connexion", Public, post(auth::login_submit)),
        r(Method::GET, "/connexion/proconnect", Public, get(proconnect::start)),
        r(Method::GET, "/connexion/proconnect/retour", Public, get(proconnect::callback)),
        r(Method::POST, "/deconnexion", Authenticated, post(auth::logout)),
        r(Method::GET, "/compte", Authenticated, get(account::show)),
        r(Method::POST, "/compte/territoire", Authenticated, post(account::switch)),
        r(Method::GET, "/territoires/nouveau", AnyTerritoryAdmin, get(territories::new_form)),
        r(Method::POST, "/territoires/nouveau", AnyTerritoryAdmin, post(territories::create)),
        r(Method::GET, "/api/v1/territoire", ApiToken, get(crate::api::v1::territory)),
        r(Method::GET, "/api/v1/communes", ApiToken, get(crate::api::v1::communes)),
        r(Method::GET, "/api/v1/organisations", ApiToken, get(crate::api::v1::organisations)),
        r(Method::GET, "/api/v1/organisations/{id}", ApiToken, get(crate::api::v1::organisation)),
        r(Method::GET, "/api/v1/editions", ApiToken, get(crate::api::v1::editions)),
        r(Method::GET, "/api/v1/dossiers", ApiToken, get(crate::api::v1::dossiers)),
        r(Method::GET, "/api/v1/dossiers/{id}", ApiToken, get(crate::api::v1::dossier)),
        r(Method::GET, "/api/v1/subventions", ApiToken, get(crate::api::v1::awards)),
        r(Method::GET, "/api/v1/subventions/{id}", ApiToken, get(crate::api::v1::award)),
        r(Method::GET, "/api/v1/instruction/dossiers", StaffToken, get(crate::api::staff::dossiers)),
        r(Method::GET, "/api/v1/instruction/dossiers/{id}", StaffToken, get(crate::api::staff::dossier)),
        r(Method::GET, "/api/v1/instruction/subventions", StaffToken, get(crate::api::staff::awards)),
        r(Method::GET, "/api/v1/instruction/subventions/{id}", StaffToken, get(crate::api::staff::award)),
        r(Method::GET, "/api/v1/instruction/versements", StaffToken, get(crate::api::staff::payments)),
        r(Method::GET, "/invitation/{token}", Public, get(invitation::show)),
        r(Method::POST, "/invitation/{token}", Public, post(invitation::accept)),
        r(Method::GET, "/{territoire}", TerritoryPublic, get(home::territory)),
        r(Method::GET, "/{territoire}/communes.csv", TerritoryPublic, get(home::communes_csv)),
        r(Method::GET, "/{territoire}/donnees/subventions.csv", TerritoryPublic, get(home::scdl_csv)),
        r(Method::GET, "/{territoire}/theme.css", TerritoryPublic, get(home::theme_css)),
        r(Method::GET, "/{territoire}/logo", TerritoryPublic, get(home::logo)),
        r(Method::GET, "/{territoire}/espace", TerritoryMember(ANY_ROLE), get(space::show)),
        r(Method::GET, "/{territoire}/admin/parametres", TerritoryMember(ADMIN), get(settings::show)),
        r(Method::POST, "/{territoire}/admin/parametres", TerritoryMember(ADMIN), post(settings::save)),
        r(Method::POST, "/{territoire}/admin/parametres/logo", TerritoryMember(ADMIN), post(settings::upload_logo)),
        r(Method::POST, "/{territoire}/admin/parametres/logo/retirer", TerritoryMember(ADMIN), post(settings::remove_logo)),
        r(Method::GET, "/{territoire}/admin/communes", TerritoryMember(ADMIN), get(communes::list)),
        r(Method::POST, "/{territoire}/admin/communes", TerritoryMember(ADMIN), post(communes::add)),
        r(Method::POST, "/{territoire}/admin/communes/{id}/retirer", TerritoryMember(ADMIN), post(communes::remove)),
        r(Method::GET, "/{territoire}/admin/membres", TerritoryMember(ADMIN), get(members::list)),
        r(Method::GET, "/{territoire}/admin/membres/{id}", TerritoryMember(ADMIN), get(members::show)),
        r(Method::POST, "/{territoire}/admin/membres/{id}/roles", TerritoryMember(ADMIN), post(members::set_roles)),
        r(Method::POST, "/{territoire}/admin/membres/{id}/desactiver", TerritoryMember(ADMIN), post(members::disable)),
        r(Method::POST, "/{territoire}/admin/membres/{id}/reactiver", TerritoryMember(ADMIN), post(members::enable)),
        r(Method::GET, "/{territoire}/appels", TerritoryPublic, get(calls::list)),
        r(Method::GET, "/{territoire}/annuaire", TerritoryPublic, get(directory::public::search)),
        r(Method::GET, "/{territoire}/carte", TerritoryPublic, get(directory::equity::map)),
        r(Method::GET, "/{territoire}/equite", TerritoryPublic, get(directory::equity::dashboard)),
        r(Method::GET, "/{territoire}/equite.csv", TerritoryPublic, get(directory::equity::dashboard_csv)),
        r(Method::GET, "/{territoire}/annuaire/services/{id}", TerritoryPublic, get(directory::public::service)),
        r(Method::GET, "/{territoire}/annuaire/structures/{id}", TerritoryPublic, get(directory::public::structure)),
        r(Method::GET, "/{territoire}/annuaire/api/services", TerritoryPublic, get(directory::public::services_json)),
        r(Method::GET, "/{territoire}/annuaire/api/services/{id}", TerritoryPublic, get(directory::public::service_json)),
        r(Method::GET, "/{territoire}/annuaire/api/structures/{id}", TerritoryPublic, get(directory::public::structure_json)),
        r(Method::GET, "/{territoire}/interet-territorial", TerritoryPublic, get(register::public)),
        r(Method::GET, "/{territoire}/interet-territorial/deliberations/{id}/document", TerritoryPublic, get(register::document)),
        r(Method::GET, "/{territoire}/projets-soutenus", TerritoryPublic, get(showcase::public)),
        r(Method::GET, "/{territoire}/appels/{id}", TerritoryPublic, get(calls::show)),
        r(Method::POST, "/{territoire}/appels/{id}/deposer", TerritoryMember(APPLICANT), post(apply::open)),
        r(Method::GET, "/{territoire}/mes-dossiers", TerritoryMember(APPLICANT), get(apply::list)),
        r(Method::GET, "/{territoire}/mes-dossiers/{id}", TerritoryMember(APPLICANT), get(apply::show)),
        r(Method::POST, "/{territoire}/mes-dossiers/{id}", TerritoryMember(APPLICANT), post(apply::save)),
        r(Method::POST, "/{territoire}/mes-dossiers/{id}/deposer", TerritoryMember(APPLICANT), post(apply::submit)),
        r(Method::GET, "/{territoire}/mes-dossiers/{id}/recepisse", TerritoryMember(APPLICANT), get(apply::receipt)),
        r(Method::GET, "/{territoire}/mes-dossiers/{id}/recepisse.pdf", TerritoryMember(APPLICANT), get(documents::receipt)),
        r(Method::POST, "/{territoire}/mes-dossiers/{id}/pieces", TerritoryMember(APPLICANT), post(apply::upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT))),
        r(Method::GET, "/{territoire}/mes-dossiers/{id}/pieces/{piece}", TerritoryMember(APPLICANT), get(apply::attachment)),
        r(Method::POST, "/{territoire}/mes-dossiers/{id}/pieces/{piece}/retirer", TerritoryMember(APPLICANT), post(apply::remove_attachment)),
        r(Method::POST, "/{territoire}/mes-dossiers/{id}/messages", TerritoryMember(APPLICANT), post(apply::message)),
        r(Method::GET, "/{territoire}/instruction", TerritoryMember(STAFF), get(instruction::list)),
        r(Method::POST, "/{territoire}/instruction/lot", TerritoryMember(STAFF), post(instruction::bulk)),
        r(Method::GET, "/{territoire}/instruction/{id}", TerritoryMember(STAFF), get(instruction::show)),
        r(Method::POST, "/{territoire}/instruction/{id}/action", TerritoryMember(STAFF), post(instruction::act)),
        r(Method::POST, "/{territoire}/instruction/{id}/messages", TerritoryMember(STAFF), post(instruction::message)),
        r(Method::POST, "/{territoire}/instruction/{id}/etiquettes", TerritoryMember(STAFF), post(instruction::labels)),
        r(Method::POST, "/{territoire}/instruction/{id}/controle", TerritoryMember(STAFF), post(instruction::checklist)),
        r(Method::POST, "/{territoire}/instruction/{id}/evaluateurs", TerritoryMember(STAFF), post(instruction::assign)),
        r(Method::POST, "/{territoire}/instruction/{id}/evaluateurs/{review}/retirer", TerritoryMember(STAFF), post(instruction::unassign)),
        r(Method::GET, "/{territoire}/instruction/{id}/pieces/{piece}", TerritoryMember(STAFF), get(instruction::attachment)),
        r(Method::GET, "/{territoire}/subventions", TerritoryMember(STAFF), get(awards::list)),
        r(Method::GET, "/{territoire}/subventions/export/{format}", TerritoryMember(STAFF), get(exports::awards)),
        r(Method::GET, "/{territoire}/versements/export/{format}", TerritoryMember(STAFF), get(exports::payments)),
        r(Method::GET, "/{territoire}/instruction/export/{format}", TerritoryMember(STAFF), get(exports::dossiers)),
        r(Method::GET, "/{territoire}/subventions/{id}", TerritoryMember(STAFF), get(awards::show)),
        r(Method::POST, "/{territoire}/subventions/{id}/versements", TerritoryMember(STAFF), post(awards::pay)),
        r(Method::POST, "/{territoire}/subventions/{id}/convention", TerritoryMember(STAFF), post(awards::sign)),
        r(Method::GET, "/{territoire}/subventions/{id}/comptes-rendus/{annee}", TerritoryMember(STAFF), get(reports::review)),
        r(Method::POST, "/{territoire}/subventions/{id}/comptes-rendus/{annee}", TerritoryMember(STAFF), post(reports::decide)),
        r(Method::GET, "/{territoire}/comptes-rendus", TerritoryMember(STAFF), get(reports::list)),
        r(Method::GET, "/{territoire}/jetons", TerritoryMember(STAFF), get(agent_tokens::list)),
        r(Method::POST, "/{territoire}/jetons", TerritoryMember(STAFF), post(agent_tokens::create)),
        r(Method::POST, "/{territoire}/jetons/{id}/retirer", TerritoryMember(STAFF), post(agent_tokens::revoke)),
        r(Method::GET, "/{territoire}/conventions", TerritoryMember(STAFF), get(conventions::list)),
        r(Method::GET, "/{territoire}/conventions/nouvelle", TerritoryMember(STAFF), get(conventions::new_form)),
        r(Method::POST, "/{territoire}/conventions/nouvelle", TerritoryMember(STAFF), post(conventions::create)),
        r(Method::GET, "/{territoire}/dispositifs", TerritoryMember(STAFF), get(conventions::schemes)),
        r(Method::POST, "/{territoire}/dispositifs/{id}", TerritoryMember(STAFF), post(conventions::update_scheme)),
        r(Method::GET, "/{territoire}/conventions-commune", TerritoryMember(REFERENT), get(conventions::of_communes)),
        r(Method::GET, "/{territoire}/conventions-commune/{id}", TerritoryMember(REFERENT), get(reports::commune_award)),
        r(Method::POST, "/{territoire}/conventions-commune/{id}/visa", TerritoryMember(REFERENT), post(reports::visa)),
        r(Method::GET, "/{territoire}/conventions-commune/{id}/convention.pdf", TerritoryMember(REFERENT), get(documents::commune_convention)),
        r(Method::GET, "/{territoire}/conventions-commune/{id}/comptes-rendus/{annee}", TerritoryMember(REFERENT), get(reports::commune_report)),
        r(Method::POST, "/{territoire}/conventions-commune/{id}/comptes-rendus/{annee}", TerritoryMember(REFERENT), post(reports::submit_commune)),
        r(Method::GET, "/{territoire}/mes-subventions", TerritoryMember(APPLICANT), get(awards::mine)),
        r(Method::GET, "/{territoire}/mes-subventions/{id}", TerritoryMember(APPLICANT), get(reports::my_award)),
        r(Method::GET, "/{territoire}/mes-subventions/{id}/comptes-rendus/{annee}", TerritoryMember(APPLICANT), get(reports::my_report)),
        r(Method::POST, "/{territoire}/mes-subventions/{id}/comptes-rendus/{annee}", TerritoryMember(APPLICANT), post(reports::submit_mine)),
        r(Method::GET, "/{territoire}/mes-subventions/{id}/convention.pdf", TerritoryMember(APPLICANT), get(documents::my_convention)),
        r(Method::GET, "/{territoire}/subventions/{id}/convention.pdf", TerritoryMember(STAFF), get(documents::convention)),
        r(Method::GET, "/{territoire}/subventions/{id}/lettre.pdf", TerritoryMember(STAFF), get(documents::acceptance)),
        r(Method::GET, "/{territoire}/instruction/{id}/lettre-refus.pdf", TerritoryMember(STAFF), get(documents::refusal)),
        r(Method::GET, "/{territoire}/avis", TerritoryMember(REFERENT), get(opinions::list)),
        r(Method::GET, "/{territoire}/avis/{id}", TerritoryMember(REFERENT), get(opinions::show)),
        r(Method::POST, "/{territoire}/avis/{id}", TerritoryMember(REFERENT), post(opinions::answer)),
        r(Method::GET, "/{territoire}/evaluation", TerritoryMember(REVIEWER), get(review::list)),
        r(Method::GET, "/{territoire}/evaluation/{id}", TerritoryMember(REVIEWER), get(review::show)),
        r(Method::POST, "/{territoire}/evaluation/{id}/declaration", TerritoryMember(REVIEWER), post(review::declare)),
        r(Method::POST, "/{territoire}/evaluation/{id}/notes", TerritoryMember(REVIEWER), post(review::score)),
        r(Method::GET, "/{territoire}/evaluation/{id}/pieces/{piece}", TerritoryMember(REVIEWER), get(review::attachment)),
        r(Method::GET, "/{territoire}/admin/annuaire", TerritoryMember(STAFF), get(directory::admin::list)),
        r(Method::GET, "/{territoire}/admin/annuaire/import", TerritoryMember(STAFF), get(directory::admin::import_form)),
        r(Method::POST, "/{territoire}/admin/annuaire/import", TerritoryMember(STAFF), post(directory::admin::import).layer(DefaultBodyLimit::max(DIRECTORY_FILE_LIMIT))),
        r(Method::GET, "/{territoire}/admin/annuaire/services/{id}", TerritoryMember(STAFF), get(directory::admin::edit_form)),
        r(Method::POST, "/{territoire}/admin/annuaire/services/{id}", TerritoryMember(STAFF), post(directory::admin::update)),
        r(Method::POST, "/{territoire}/admin/annuaire/services/{id}/etat", TerritoryMember(STAFF), post(directory::admin::set_status)),
        r(Method::GET, "/{territoire}/admin/annuaire/structures/{id}", TerritoryMember(STAFF), get(directory::structures::admin_form)),
        r(Method::POST, "/{territoire}/admin/annuaire/structures/{id}", TerritoryMember(STAFF), post(directory::structures::admin_update)),
        r(Method::POST, "/{territoire}/admin/annuaire/structures/{id}/etat", TerritoryMember(STAFF), post(directory::structures::admin_status)),
        r(Method::POST, "/{territoire}/admin/annuaire/structures/{id}/organisation", TerritoryMember(STAFF), post(directory::structures::admin_link)),
        r(Method::GET, "/{territoire}/ma-structure", TerritoryMember(APPLICANT), get(directory::structures::mine)),
        r(Method::GET, "/{territoire}/ma-structure/orientations", TerritoryMember(RECEIVER), get(pathways::referrals::received)),
        r(Method::POST, "/{territoire}/ma-structure/orientations/{id}", TerritoryMember(RECEIVER), post(pathways::referrals::answer)),
        r(Method::GET, "/{territoire}/ma-structure/{id}", TerritoryMember(APPLICANT), get(directory::structures::member_form)),
        r(Method::POST, "/{territoire}/ma-structure/{id}", TerritoryMember(APPLICANT), post(directory::structures::member_update)),
        r(Method::GET, "/{territoire}/ma-structure/services/{id}", TerritoryMember(APPLICANT), get(directory::structures::member_service_form)),
        r(Method::POST, "/{territoire}/ma-structure/services/{id}", TerritoryMember(APPLICANT), post(directory::structures::member_service_update)),
        r(Method::POST, "/{territoire}/ma-structure/services/{id}/etat", TerritoryMember(APPLICANT), post(directory::structures::member_service_status)),
        r(Method::GET, "/{territoire}/admin/interet-territorial", TerritoryMember(STAFF), get(register::admin)),
        r(Method::POST, "/{territoire}/admin/interet-territorial", TerritoryMember(STAFF), post(register::create).layer(DefaultBodyLimit::max(UPLOAD_LIMIT))),
        r(Method::GET, "/{territoire}/admin/interet-territorial/{id}", TerritoryMember(STAFF), get(register::entry)),
        r(Method::POST, "/{territoire}/admin/interet-territorial/{id}", TerritoryMember(STAFF), post(register::update).layer(DefaultBodyLimit::max(UPLOAD_LIMIT))),
        r(Method::POST, "/{territoire}/admin/interet-territorial/{id}/politiques", TerritoryMember(STAFF), post(register::add_policy)),
        r(Method::GET, "/{territoire}/admin/interet-territorial/{id}/politiques/{politique}", TerritoryMember(STAFF), get(register::policy_form)),
        r(Method::POST, "/{territoire}/admin/interet-territorial/{id}/politiques/{politique}", TerritoryMember(STAFF), post(register::update_policy)),
        r(Method::GET, "/{territoire}/admin/projets-soutenus", TerritoryMember(STAFF), get(showcase::admin)),
        r(Method::POST, "/{territoire}/admin/projets-soutenus/laureats", TerritoryMember(STAFF), post(showcase::propose)),
        r(Method::GET, "/{territoire}/admin/projets-soutenus/nouveau", TerritoryMember(STAFF), get(showcase::new_form)),
        r(Method::POST, "/{territoire}/admin/projets-soutenus/nouveau", TerritoryMember(STAFF), post(showcase::create)),
        r(Method::GET, "/{territoire}/admin/projets-soutenus/{id}", TerritoryMember(STAFF), get(showcase::edit_form)),
        r(Method::POST, "/{territoire}/admin/projets-soutenus/{id}", TerritoryMember(STAFF), post(showcase::update)),
        r(Method::GET, "/{territoire}/clauses", TerritoryMember(CLAUSES), get(clauses::contracts::list)),
        r(Method::POST, "/{territoire}/clauses/acheteurs", TerritoryMember(CLAUSES), post(clauses::contracts::create_buyer)),
        r(Method::GET, "/{territoire}/clauses/marches/nouveau", TerritoryMember(CLAUSES), get(clauses::contracts::new_form)),
        r(Method::POST, "/{territoire}/clauses/marches/nouveau", TerritoryMember(CLAUSES), post(clauses::contracts::create)),
        r(Method::GET, "/{territoire}/clauses/marches/{id}", TerritoryMember(CLAUSES), get(clauses::contracts::show)),
        r(Method::POST, "/{territoire}/clauses/marches/{id}/heures", TerritoryMember(CLAUSES), post(clauses::contracts::declare)),
        r(Method::POST, "/{territoire}/clauses/marches/{id}/decision", TerritoryMember(CLAUSES), post(clauses::contracts::decide)),
        r(Method::GET, "/{territoire}/clauses/bilan", TerritoryMember(CLAUSES), get(clauses::report::page)),
        r(Method::GET, "/{territoire}/clauses/bilan.pdf", TerritoryMember(CLAUSES), get(clauses::report::report_pdf)),
        r(Method::GET, "/{territoire}/clauses/bilan/export/{format}", TerritoryMember(CLAUSES), get(clauses::report::export)),
        r(Method::GET, "/{territoire}/clauses/parametres", TerritoryMember(CLAUSES), get(clauses::settings::show)),
        r(Method::POST, "/{territoire}/clauses/parametres", TerritoryMember(CLAUSES), post(clauses::settings::save)),
        r(Method::GET, "/{territoire}/clauses/import-decp", TerritoryMember(CLAUSES), get(clauses::decp::form)),
        r(Method::POST, "/{territoire}/clauses/import-decp", TerritoryMember(CLAUSES), post(clauses::decp::import).layer(DefaultBodyLimit::max(DIRECTORY_FILE_LIMIT))),
        r(Method::GET, "/{territoire}/clauses/import", TerritoryMember(CLAUSES), get(clauses::import::facilitator_form)),
        r(Method::POST, "/{territoire}/clauses/import", TerritoryMember(CLAUSES), post(clauses::import::facilitator_import).layer(DefaultBodyLimit::max(UPLOAD_LIMIT))),
        r(Method::GET, "/{territoire}/mes-marches/import", TerritoryMember(COMPANY), get(clauses::import::company_form)),
        r(Method::POST, "/{territoire}/mes-marches/import", TerritoryMember(COMPANY), post(clauses::import::company_import).layer(DefaultBodyLimit::max(UPLOAD_LIMIT))),
        r(Method::GET, "/{territoire}/clauses/personnes", TerritoryMember(CLAUSE_PEOPLE), get(clauses::people::list)),
        r(Method::POST, "/{territoire}/clauses/personnes", TerritoryMember(CLAUSES), post(clauses::people::create)),
        r(Method::GET, "/{territoire}/clauses/personnes/{id}", TerritoryMember(CLAUSE_PEOPLE), get(clauses::people::show)),
        r(Method::POST, "/{territoire}/clauses/personnes/{id}/situations", TerritoryMember(CLAUSES), post(clauses::people::record_outcome)),
        r(Method::GET, "/{territoire}/accompagnement", TerritoryPublic, get(acc::public::index)),
        r(Method::GET, "/{territoire}/accompagnement/appels/{id}", TerritoryPublic, get(acc::public::show)),
        r(Method::POST, "/{territoire}/accompagnement/appels/{id}", TerritoryPublic, post(acc::public::apply)),
        r(Method::GET, "/{territoire}/suivi-accompagnement", TerritoryMember(ACC_TEAM), get(acc::manage::index)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/promotions", TerritoryMember(ACC_STAFF), post(acc::manage::create_cohort)),
        r(Method::GET, "/{territoire}/suivi-accompagnement/promotions/{id}", TerritoryMember(ACC_TEAM), get(acc::manage::cohort)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/promotions/{id}/ateliers", TerritoryMember(ACC_TEAM), post(acc::manage::create_workshop)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/appels", TerritoryMember(ACC_STAFF), post(acc::manage::create_call)),
        r(Method::GET, "/{territoire}/suivi-accompagnement/appels/{id}", TerritoryMember(ACC_STAFF), get(acc::selection::call)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/appels/{id}/jury", TerritoryMember(ACC_STAFF), post(acc::selection::assign_jury)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/appels/{id}/cloture", TerritoryMember(ACC_STAFF), post(acc::selection::close_call)),
        r(Method::GET, "/{territoire}/suivi-accompagnement/candidatures/{id}", TerritoryMember(ACC_READERS), get(acc::selection::application)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/candidatures/{id}/note", TerritoryMember(REVIEWER), post(acc::selection::score)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/candidatures/{id}/decision", TerritoryMember(ACC_STAFF), post(acc::selection::decide)),
        r(Method::GET, "/{territoire}/suivi-accompagnement/projets/{id}", TerritoryMember(ACC_TEAM), get(acc::projects::show)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/projets/{id}/seances", TerritoryMember(ACC_TEAM), post(acc::projects::record_session)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/projets/{id}/etape", TerritoryMember(ACC_TEAM), post(acc::projects::move_stage)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/projets/{id}/jalons", TerritoryMember(ACC_TEAM), post(acc::projects::record_milestone)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/projets/{id}/resultats", TerritoryMember(ACC_TEAM), post(acc::projects::record_outcome)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/projets/{id}/participants", TerritoryMember(ACC_TEAM), post(acc::projects::add_participant)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/projets/{id}/vitrine", TerritoryMember(ACC_STAFF), post(acc::projects::propose_showcase)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/projets/{id}/porteur", TerritoryMember(ACC_TEAM), post(acc::projects::update_people)),
        r(Method::GET, "/{territoire}/suivi-accompagnement/participants/{id}", TerritoryMember(ACC_TEAM), get(acc::fse::show)),
        r(Method::POST, "/{territoire}/suivi-accompagnement/participants/{id}/situation", TerritoryMember(ACC_TEAM), post(acc::fse::record_result)),
        r(Method::GET, "/{territoire}/suivi-accompagnement/fse/export/{format}", TerritoryMember(ACC_STAFF), get(acc::fse::export)),
        r(Method::GET, "/{territoire}/suivi-accompagnement/tableau-de-bord", TerritoryMember(ACC_STAFF), get(acc::dashboard::page)),
        r(Method::GET, "/{territoire}/admin/parcours/eliminations", TerritoryMember(ADMIN), get(pathways::eliminations::page)),
        r(Method::GET, "/{territoire}/forums", TerritoryPublic, get(forums::public::index)),
        r(Method::GET, "/{territoire}/forums/{id}", TerritoryPublic, get(forums::public::show)),
        r(Method::POST, "/{territoire}/forums/{id}", TerritoryPublic, post(forums::public::register)),
        r(Method::GET, "/{territoire}/gestion-forums", TerritoryMember(FORUM_TEAM), get(forums::manage::index)),
        r(Method::POST, "/{territoire}/gestion-forums", TerritoryMember(FORUM_TEAM), post(forums::manage::create)),
        r(Method::GET, "/{territoire}/gestion-forums/{id}", TerritoryMember(FORUM_TEAM), get(forums::manage::show)),
        r(Method::POST, "/{territoire}/gestion-forums/{id}/employeurs", TerritoryMember(FORUM_TEAM), post(forums::manage::add_employer)),
        r(Method::POST, "/{territoire}/gestion-forums/{id}/offres", TerritoryMember(FORUM_TEAM), post(forums::manage::add_offer)),
        r(Method::POST, "/{territoire}/gestion-forums/{id}/presence", TerritoryMember(FORUM_TEAM), post(forums::manage::check_in)),
        r(Method::POST, "/{territoire}/gestion-forums/{id}/resultats", TerritoryMember(FORUM_TEAM), post(forums::manage::record_result)),
        r(Method::POST, "/{territoire}/parcours/{id}/forum", TerritoryMember(COUNSELLOR), post(pathways::actions::register_to_forum)),
        r(Method::GET, "/{territoire}/parcours", TerritoryMember(COUNSELLOR), get(pathways::list::index)),
        r(Method::GET, "/{territoire}/parcours/tableau-de-bord", TerritoryMember(PATH_FIGURES), get(pathways::dashboard::page)),
        r(Method::GET, "/{territoire}/parcours/export/{format}", TerritoryMember(PATH_FIGURES), get(pathways::dashboard::export)),
        r(Method::GET, "/{territoire}/parcours/nouveau", TerritoryMember(COUNSELLOR), get(pathways::list::new_form)),
        r(Method::POST, "/{territoire}/parcours/nouveau", TerritoryMember(COUNSELLOR), post(pathways::list::create)),
        r(Method::GET, "/{territoire}/parcours/{id}", TerritoryMember(COUNSELLOR), get(pathways::file::show)),
        r(Method::POST, "/{territoire}/parcours/{id}/freins", TerritoryMember(COUNSELLOR), post(pathways::actions::add_barrier)),
        r(Method::POST, "/{territoire}/parcours/{id}/freins/lever", TerritoryMember(COUNSELLOR), post(pathways::actions::lift_barrier)),
        r(Method::POST, "/{territoire}/parcours/{id}/etapes", TerritoryMember(COUNSELLOR), post(pathways::actions::add_step)),
        r(Method::POST, "/{territoire}/parcours/{id}/etapes/modifier", TerritoryMember(COUNSELLOR), post(pathways::actions::update_step)),
        r(Method::POST, "/{territoire}/parcours/{id}/sortie", TerritoryMember(COUNSELLOR), post(pathways::actions::record_exit)),
        r(Method::POST, "/{territoire}/parcours/{id}/suivi", TerritoryMember(COUNSELLOR), post(pathways::actions::record_follow_up)),
        r(Method::POST, "/{territoire}/parcours/{id}/partage", TerritoryMember(COUNSELLOR), post(pathways::actions::share)),
        r(Method::POST, "/{territoire}/parcours/{id}/partage/retirer", TerritoryMember(COUNSELLOR), post(pathways::actions::unshare)),
        r(Method::GET, "/{territoire}/parcours/{id}/orientation", TerritoryMember(COUNSELLOR), get(pathways::referrals::find)),
        r(Method::POST, "/{territoire}/parcours/{id}/orientation", TerritoryMember(COUNSELLOR), post(pathways::referrals::send)),
        r(Method::GET, "/{territoire}/jury-accompagnement", TerritoryMember(REVIEWER), get(acc::selection::jury)),
        r(Method::GET, "/{territoire}/mon-accompagnement", TerritoryMember(APPLICANT), get(acc::holder::index)),
        r(Method::GET, "/{territoire}/mon-accompagnement/{id}", TerritoryMember(APPLICANT), get(acc::holder::show)),
        r(Method::POST, "/{territoire}/mon-accompagnement/{id}/appel-a-projets", TerritoryMember(APPLICANT), post(acc::holder::pass_to_call)),
        r(Method::GET, "/{territoire}/mes-marches", TerritoryMember(COMPANY), get(clauses::company::list)),
        r(Method::GET, "/{territoire}/mes-marches/{id}", TerritoryMember(COMPANY), get(clauses::company::show)),
        r(Method::POST, "/{territoire}/mes-marches/{id}/heures", TerritoryMember(COMPANY), post(clauses::company::declare)),
        r(Method::GET, "/{territoire}/admin/appels", TerritoryMember(STAFF), get(editions::list)),
        r(Method::GET, "/{territoire}/admin/appels/nouvelle", TerritoryMember(STAFF), get(editions::new_form)),
        r(Method::POST, "/{territoire}/admin/appels/nouvelle", TerritoryMember(STAFF), post(editions::create)),
        r(Method::GET, "/{territoire}/admin/appels/{id}", TerritoryMember(STAFF), get(editions::edit_form)),
        r(Method::POST, "/{territoire}/admin/appels/{id}", TerritoryMember(STAFF), post(editions::update)),
        r(Method::POST, "/{territoire}/admin/appels/{id}/publier", TerritoryMember(STAFF), post(editions::publish)),
        r(Method::POST, "/{territoire}/admin/appels/{id}/copier", TerritoryMember(STAFF), post(editions::copy)),
        r(Method::GET, "/{territoire}/admin/appels/{id}/comite", TerritoryMember(STAFF), get(committee::show)),
        r(Method::POST, "/{territoire}/admin/appels/{id}/scenarios", TerritoryMember(STAFF), post(committee::create)),
        r(Method::POST, "/{territoire}/admin/appels/{id}/scenarios/{scenario}/montant", TerritoryMember(STAFF), post(committee::override_amount)),
        r(Method::POST, "/{territoire}/admin/appels/{id}/scenarios/{scenario}/decider", TerritoryMember(STAFF), post(committee::decide)),
        r(Method::POST, "/{territoire}/admin/membres/{id}/communes", TerritoryMember(ADMIN), post(members::set_communes)),
        r(Method::GET, "/{territoire}/admin/invitations", TerritoryMember(ADMIN), get(invitations::list)),
        r(Method::POST, "/{territoire}/admin/invitations", TerritoryMember(ADMIN), post(invitations::create)),
        r(Method::POST, "/{territoire}/admin/invitations/{id}/retirer", TerritoryMember(ADMIN), post(invitations::revoke)),
        r(Method::GET, "/{territoire}/admin/organisations", TerritoryMember(STAFF), get(organisations::list)),
        r(Method::GET, "/{territoire}/admin/organisations/nouvelle", TerritoryMember(ADMIN), get(organisations::new_form)),
        r(Method::POST, "/{territoire}/admin/organisations/nouvelle", TerritoryMember(ADMIN), post(organisations::create)),
        r(Method::GET, "/{territoire}/admin/organisations/{id}", TerritoryMember(STAFF), get(organisations::show)),
        r(Method::GET, "/{territoire}/admin/organisations/{id}/modifier", TerritoryMember(ADMIN), get(organisations::edit_form)),
        r(Method::POST, "/{territoire}/admin/organisations/{id}/modifier", TerritoryMember(ADMIN), post(organisations::update)),
        r(Method::POST, "/{territoire}/admin/organisations/{id}/membres/{person}", TerritoryMember(ADMIN), post(organisations::set_member_flags)),
        r(Method::POST, "/{territoire}/admin/organisations/{id}/jetons", TerritoryMember(ADMIN), post(tokens::create_token)),
        r(Method::POST, "/{territoire}/admin/organisations/{id}/jetons/{token}/retirer", TerritoryMember(ADMIN), post(tokens::revoke_token)),
        r(Method::GET, "/{territoire}/admin/courriels", TerritoryMember(ADMIN), get(outbox::list)),
        r(Method::GET, "/{territoire}/admin/courriels/{id}", TerritoryMember(ADMIN), get(outbox::show)),
        r(Method::GET, "/{territoire}/admin/journal", TerritoryMember(ADMIN), get(journal::journal)),
        r(Method::GET, "/{territoire}/admin/journal/{id}", TerritoryMember(ADMIN), get(journal::journal_entry)),
    ]
}

/// Routes served by a mounted router rather than a handler of ours: the Swagger UI and
/// the OpenAPI document, public.
fn mounted() -> Vec<RouteSpec> {
    vec![
        RouteSpec {
            method: Method::GET,
            path: "/api/docs/",
            access: Access::Public,
        },
        RouteSpec {
            method: Method::GET,
            path: crate::api::doc::OPENAPI_PATH,
            access: Access::Public,
        },
    ]
}

/// Every route with its rule, for the authorization-matrix test and the docs.
pub fn specs() -> Vec<RouteSpec> {
    table()
        .into_iter()
        .map(|(spec, _)| spec)
        .chain(mounted())
        .collect()
}

/// Builds the router: each route wrapped in its rule, then the layers common to all.
pub fn router(state: AppState) -> Router {
    let mut router: Router<AppState> = Router::new();
    for (spec, mr) in table() {
        let guarded = mr.route_layer(axum::middleware::from_fn_with_state(
            (state.clone(), spec.access),
            enforce,
        ));
        router = router.route(spec.path, guarded);
    }
    router
        .merge(crate::api::doc::swagger())
        .fallback(|| async { crate::error::AppError::NotFound })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::idempotency::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::csrf,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(axum::middleware::from_fn(middleware::request_id))
        .with_state(state)
}
