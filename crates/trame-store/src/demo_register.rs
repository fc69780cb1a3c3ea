//! The demo's register of the intérêt territorial and showcase of supported projects.
//!
//! The deliberation is GPSEA's conservatory deliberation of 13 December 2017 (`DOMAIN.md`,
//! « Action sociale »): the interest is still to be specified, so no policy is declared.
//! Its reference and summary are written for the demonstration. The five named projects
//! the showcase must show: Les Archéotrucs, Coop'Cot and Créteil ressourcerie are
//! written here (their missions, communes and years are plausible demo values, not
//! GPSEA's records); Facilymode and US Alfortville Rugby come with the other laureates
//! from the demo's awards. Every laureate but one consents to be shown.

use crate::entities::{dir_structure, organisation, showcase_project};
use crate::interest::insert_deliberation;
use crate::showcase::{insert_project, propose_in};
use crate::{Scope, Store, StoreError};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use time::macros::date;
use trame_domain::interest::{Deliberation, Interest};
use trame_domain::showcase::Project;

/// (name, mission, commune, scheme, year).
const PROJECTS: [(&str, &str, &str, &str, i32); 3] = [
    (
        "Les Archéotrucs",
        "Ateliers de fouilles reconstituées et de médiation scientifique pour les enfants, les familles et les écoles, animés par des archéologues.",
        "94071",
        "Accompagnement ESS",
        2021,
    ),
    (
        "Coop'Cot",
        "Coopérative de couturières et de retoucheuses qui crée des emplois durables à partir de textiles de réemploi.",
        "94011",
        "Appel à projets ESS",
        2022,
    ),
    (
        "Créteil ressourcerie",
        "Collecte, valorisation et revente d'objets de seconde main ; ateliers de réparation ouverts aux habitants et postes en insertion.",
        "94028",
        "Appel à projets ESS",
        2023,
    ),
];

impl Store {
    /// Loads the demo register and showcase into a territory.
    pub(crate) async fn load_demo_register(&self, scope: Scope) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        insert_deliberation(
            &tx,
            now,
            None,
            scope,
            &Deliberation {
                decided_on: date!(2017 - 12 - 13),
                reference: "CT2017.6/157".into(),
                title: "Définition de l'intérêt territorial en matière d'action sociale — délibération conservatoire".into(),
                summary: "Le conseil de territoire prend acte du transfert de la compétence « action sociale d'intérêt territorial » et décide, à titre conservatoire, que l'intérêt territorial sera précisé par une délibération ultérieure ; il s'appliquera alors à l'ensemble du territoire. Dans l'attente, les communes continuent d'exercer leurs politiques sociales.".into(),
                interest: Interest::Pending,
            },
            None,
            true,
        )
        .await?;
        for (i, (name, mission, commune, scheme, year)) in PROJECTS.into_iter().enumerate() {
            let consent = time::Date::from_calendar_date(year, time::Month::November, 10 + i as u8)
                .map_err(|e| StoreError::Internal(e.to_string()))?;
            insert_project(
                &tx,
                now,
                None,
                scope,
                &Project {
                    name: name.into(),
                    mission: mission.into(),
                    website: None,
                    commune_code: Some(commune.into()),
                    scheme: scheme.into(),
                    year,
                    consent_on: Some(consent),
                    consent_note: "Accord écrit de la structure (donnée de démonstration)".into(),
                    published: true,
                },
                None,
                true,
            )
            .await?;
        }
        propose_in(&tx, now, None, scope, true).await?;
        // Every laureate but one consents; the last one not named above stays
        // unpublished, to show that nothing is public without a consent.
        let laureates = showcase_project::Entity::find()
            .filter(showcase_project::Column::TerritoryId.eq(scope.territory_id()))
            .filter(showcase_project::Column::AwardId.is_not_null())
            .order_by_asc(showcase_project::Column::Id)
            .all(&tx)
            .await?;
        let keep_hidden = laureates
            .iter()
            .rev()
            .find(|p| {
                !["Facilymode", "Union Sportive d'Alfortville Rugby"].contains(&p.name.as_str())
            })
            .map(|p| p.id);
        for p in laureates {
            if Some(p.id) == keep_hidden {
                continue;
            }
            let day = time::Date::from_calendar_date(p.year, time::Month::November, 25)
                .map_err(|e| StoreError::Internal(e.to_string()))?;
            let mut am: showcase_project::ActiveModel = p.into();
            am.consent_on = Set(Some(day.to_string()));
            am.consent_note =
                Set("Accord donné lors de la remise des prix (donnée de démonstration)".into());
            am.published = Set(true);
            let p = am.update(&tx).await?;
            crate::audit::journal(
                &tx,
                now,
                None,
                scope,
                trame_domain::audit::action::SHOWCASE_UPDATE,
                "showcase_project",
                p.id,
            )
            .await?;
        }
        // La Cour Cyclette, the demo applicant's organisation, runs Créteil's bicycle
        // workshop in the directory: its members keep it up to date.
        let org = organisation::Entity::find()
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .filter(organisation::Column::Name.eq("La Cour Cyclette"))
            .one(&tx)
            .await?;
        let workshop = dir_structure::Entity::find()
            .filter(dir_structure::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dir_structure::Column::Nom.starts_with("Atelier vélo participatif"))
            .filter(dir_structure::Column::CodeInsee.eq("94028"))
            .one(&tx)
            .await?;
        if let (Some(org), Some(w)) = (org, workshop) {
            let id = w.id;
            let mut am: dir_structure::ActiveModel = w.into();
            am.organisation_id = Set(Some(org.id));
            am.update(&tx).await?;
            crate::audit::journal(
                &tx,
                now,
                None,
                scope,
                trame_domain::audit::action::DIR_STRUCTURE_LINK,
                "dir_structure",
                id,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
