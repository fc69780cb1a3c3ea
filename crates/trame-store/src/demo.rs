//! The demonstration territory: GPSEA's 16 communes (reference file copied from the
//! project's shared material, source: INSEE populations via `@etalab/decoupage-administratif`)
//! and one account per role; the funding demo is in [`crate::demo_funding`].

use crate::{Store, StoreError};
use trame_domain::email::Email;
use trame_domain::role::Role;
use trame_domain::territory::{TerritoryRef, TerritorySlug};

/// The GPSEA reference file, embedded in the binary.
pub const GPSEA_JSON: &str = include_str!("../data/territoire-gpsea.json");

/// The password of every demo account. Demo data only: `serve` prints it.
pub const DEMO_PASSWORD: &str = "demo trame gpsea 2026";

/// The demo accounts: email, display name, role.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 8] = [
    (
        "admin@demo.trame.test",
        "Alice Administratrice",
        Role::TerritoryAdmin,
    ),
    ("agent@demo.trame.test", "Bruno Instructeur", Role::Agent),
    (
        "comite@demo.trame.test",
        "Chloé Comité",
        Role::CommitteeMember,
    ),
    (
        "referent@demo.trame.test",
        "David Référent",
        Role::CommuneReferent,
    ),
    (
        "partenaire@demo.trame.test",
        "Emma Partenaire",
        Role::Partner,
    ),
    ("porteur@demo.trame.test", "Fatou Porteuse", Role::Applicant),
    (
        "entreprise@demo.trame.test",
        "Gaël Entreprise",
        Role::Company,
    ),
    (
        "accompagnement@demo.trame.test",
        "Hélène Accompagnement",
        Role::Facilitator,
    ),
];

/// Parses the embedded GPSEA reference file.
pub fn gpsea_reference() -> Result<TerritoryRef, StoreError> {
    serde_json::from_str(GPSEA_JSON)
        .map_err(|e| StoreError::Internal(format!("embedded GPSEA reference: {e}")))
}

/// What [`Store::load_demo`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoOutcome {
    /// The demo territory and accounts were created.
    Loaded,
    /// The database already held a territory: nothing was changed.
    AlreadyPresent,
}

impl Store {
    /// Loads the GPSEA demo territory and one account per role, unless the database
    /// already holds a territory.
    pub async fn load_demo(&self) -> Result<DemoOutcome, StoreError> {
        if !self.territories().await?.is_empty() {
            return Ok(DemoOutcome::AlreadyPresent);
        }
        let slug = TerritorySlug::parse("gpsea").map_err(|e| StoreError::Internal(e.message))?;
        let territory = self
            .create_territory(None, &slug, &gpsea_reference()?)
            .await?;
        let mut ids = std::collections::BTreeMap::new();
        for (email, name, role) in DEMO_ACCOUNTS {
            let email = Email::parse(email).map_err(|e| StoreError::Internal(e.message))?;
            let person = self
                .create_person(None, &email, name, DEMO_PASSWORD)
                .await?;
            self.add_membership(None, territory.scope(), person.id, role)
                .await?;
            ids.insert(role, person.id);
        }
        let id = |role| ids.get(&role).copied().unwrap_or_default();
        // The awarding body's SIRET, for the open data: the territory's SIREN with the
        // NIC 00012 (a demonstration value).
        let admin = id(Role::TerritoryAdmin);
        self.update_territory_settings(
            admin,
            territory.scope(),
            &crate::territories::TerritorySettings {
                name: territory.name.clone(),
                slug: slug.clone(),
                color: trame_domain::brand::BrandColor::parse(&territory.primary_color)
                    .map_err(|e| StoreError::Internal(e.message))?,
                awarding_siret: Some(
                    trame_domain::identifiers::Siret::parse("20005800600012")
                        .map_err(|e| StoreError::Internal(e.message))?,
                ),
            },
        )
        .await?;
        self.load_demo_funding(
            territory.scope(),
            crate::demo_funding::DemoPeople {
                agent: id(Role::Agent),
                applicant: id(Role::Applicant),
                referent: id(Role::CommuneReferent),
                reviewer: id(Role::CommitteeMember),
            },
        )
        .await?;
        self.load_demo_directory(territory.scope(), &territory.siren)
            .await?;
        self.load_demo_register(territory.scope()).await?;
        self.load_demo_clauses(
            territory.scope(),
            id(Role::Facilitator),
            id(Role::Company),
            id(Role::Partner),
        )
        .await?;
        self.load_demo_accompaniment(
            territory.scope(),
            crate::demo_accompaniment::AccPeople {
                facilitator: id(Role::Facilitator),
                jury: id(Role::CommitteeMember),
                partner: id(Role::Partner),
            },
        )
        .await?;
        self.load_demo_pathways(
            territory.scope(),
            crate::demo_pathways::PathPeople {
                admin,
                partner: id(Role::Partner),
                applicant: id(Role::Applicant),
            },
        )
        .await?;
        Ok(DemoOutcome::Loaded)
    }
}
