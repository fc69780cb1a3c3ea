//! The OpenAPI description of `/api/v1` and of the public directory's JSON, and the Swagger UI that shows it (vendored: no
//! download at build or run time).

use super::{ErrorBody, ErrorDetail, staff, v1};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// Declares the bearer-token scheme.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "jeton",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("Jeton d'API d'une organisation, créé par l'administrateur du territoire.")).build()),
            );
            components.add_security_scheme(
                "jeton_agent",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("Jeton d'API personnel d'un agent ou d'un administrateur du territoire (trame_agent_…), créé par lui-même ; il agit avec ses rôles, vérifiés à chaque appel.")).build()),
            );
        }
    }
}

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Trame — API", version = "1", description = "Données d'un territoire et de l'organisation du jeton. Erreurs : enveloppe { error: { code, message, fields } }."),
    paths(v1::territory, v1::communes, v1::organisations, v1::organisation, v1::editions, v1::dossiers, v1::dossier, v1::awards, v1::award, staff::dossiers, staff::dossier, staff::awards, staff::award, staff::payments, crate::pages::directory::public::services_json, crate::pages::directory::public::service_json, crate::pages::directory::public::structure_json),
    components(schemas(ErrorBody, ErrorDetail, v1::TerritoryOut, v1::CommuneOut, v1::OrganisationOut, v1::EditionOut, v1::DossierOut, v1::AwardOut, v1::AwardYearOut, staff::InstructionDossierOut, staff::InstructionDossierDetail, staff::InstructionAwardOut, staff::PaymentOut, staff::DeMinimisOut, crate::pages::directory::public::ServicesPage)),
    modifiers(&BearerToken),
    tags((name = "territoire", description = "Le territoire et ses communes"), (name = "organisations", description = "L'organisation du jeton"), (name = "financements", description = "Les appels publiés, les dossiers et les subventions de l'organisation du jeton"), (name = "instruction", description = "Vue des agents (jeton personnel) : tous les dossiers, subventions, versements et aides de minimis du territoire"), (name = "annuaire", description = "Annuaire public « Trouver de l'aide » (sans jeton) : services et structures au format data·inclusion v1"))
)]
pub struct ApiDoc;

/// Where the Swagger UI is served.
pub const DOCS_PATH: &str = "/api/docs";
/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// The Swagger UI router, serving the UI and the document.
pub fn swagger<S: Clone + Send + Sync + 'static>() -> axum::Router<S> {
    utoipa_swagger_ui::SwaggerUi::new(DOCS_PATH)
        .url(OPENAPI_PATH, ApiDoc::openapi())
        .into()
}
