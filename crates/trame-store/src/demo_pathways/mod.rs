//! The demo's insertion pathways and employment forums: a PLIE whose three counsellors
//! (the demo partner and two more accounts) follow 60 participants with varied pathways
//! — barriers, steps, referrals to the demo directory's services, exits and the situation
//! six months on — and two forums, one past (with check-ins, interviews and hires) and
//! one coming, with 20 employers each. Names, dates and figures are demonstration
//! values, not GPSEA's records.

mod forums;
mod volume;

pub use volume::PathVolume;

use crate::audit::journal;
use crate::entities::{
    commune, dir_code, dir_service, path_barrier, path_file, path_referral, path_step,
};
use crate::{Scope, Store, StoreError};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use time::{Date, Duration, OffsetDateTime};
use trame_domain::audit::action;
use trame_domain::directory::listing::{CodeKind, Status};
use trame_domain::email::Email;
use trame_domain::format::paris_day;
use trame_domain::organisation::{Organisation, OrganisationInput};
use trame_domain::pathways::pathway::{Days, add_months};
use trame_domain::pathways::vocab::{Barrier, ExitReason, ReferralState, StepKind, StepStatus};
use trame_domain::role::Role;

/// The demo's two extra counsellors: email and name.
pub const DEMO_COUNSELLORS: [(&str, &str); 2] = [
    ("conseillere.plie@demo.trame.test", "Farida Conseillère"),
    ("conseiller.plie@demo.trame.test", "Hugo Conseiller"),
];

pub(super) const FIRST: [&str; 20] = [
    "Amina", "Bilal", "Chantal", "Dylan", "Esther", "Fodé", "Gaëlle", "Hamza", "Inès", "Jordan",
    "Kadiatou", "Loïc", "Maëva", "Nabil", "Océane", "Pierre", "Rokia", "Sofiane", "Tiphaine",
    "Yanis",
];
pub(super) const LAST: [&str; 15] = [
    "Bertin", "Camara", "Delaunay", "Essaidi", "Fofana", "Garnier", "Haddad", "Idrissi", "Julien",
    "Keita", "Lemoine", "Marchand", "Nicolas", "Ouattara", "Petit",
];
pub(super) const GROUNDS: [&str; 6] = [
    "demandeur_longue_duree",
    "minima_sociaux",
    "jeune_moins_26",
    "rqth",
    "demandeur_50_ans",
    "avis_motive",
];
/// The demo forums' employers, each with the job it offers and the contract.
pub(super) const EMPLOYERS: [(&str, &str, &str); 20] = [
    (
        "Hôpital intercommunal de Créteil",
        "Agent de service hospitalier",
        "CDD de 6 mois",
    ),
    ("Clinique des Bords de Marne", "Aide-soignant", "CDI"),
    (
        "Régie de quartier du Mont-Mesly",
        "Agent d'entretien des espaces verts",
        "CDDI",
    ),
    (
        "Propreté Val-de-Marne",
        "Agent de propreté",
        "CDI à temps partiel",
    ),
    ("Transports Sud-Est Avenir", "Conducteur de bus", "CDI"),
    (
        "Boulangerie coopérative de Sucy",
        "Vendeur en boulangerie",
        "CDD de 6 mois",
    ),
    ("Ehpad Les Tilleuls", "Agent de service hospitalier", "CDI"),
    ("Bâtiment Solidaire 94", "Maçon en insertion", "CDDI"),
    (
        "Cuisine centrale de Bonneuil",
        "Commis de cuisine",
        "CDD de 6 mois",
    ),
    (
        "Logistique du Port de Bonneuil",
        "Préparateur de commandes",
        "Intérim",
    ),
    ("Aide à domicile Plateau Briard", "Aide à domicile", "CDI"),
    (
        "Jardins de Cocagne de Mandres",
        "Maraîcher en insertion",
        "CDDI",
    ),
    (
        "Mairie de Limeil-Brévannes",
        "Agent d'accueil",
        "CDD de 12 mois",
    ),
    ("Supermarché de Boissy", "Employé de libre-service", "CDI"),
    (
        "Crèche associative d'Alfortville",
        "Auxiliaire de crèche",
        "CDD de 6 mois",
    ),
    ("Recyclerie de Chennevières", "Valoriste", "CDDI"),
    (
        "Menuiserie d'insertion d'Ormesson",
        "Menuisier en insertion",
        "CDDI",
    ),
    ("Sécurité Est Francilien", "Agent de sécurité", "CDI"),
    (
        "Hôtel des Bords de Seine",
        "Réceptionniste",
        "CDD de 6 mois",
    ),
    (
        "Garage solidaire de Villecresnes",
        "Mécanicien",
        "Contrat d'apprentissage",
    ),
];

/// The demo accounts the pathways involve.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PathPeople {
    /// The territory's admin.
    pub admin: i64,
    /// The partner: a PLIE counsellor.
    pub partner: i64,
    /// The applicant: member of the association that receives referrals.
    pub applicant: i64,
}

/// A valid SIRET from a 13-digit stem (the last digit completes the Luhn sum).
pub(super) fn siret_from(stem: u64) -> String {
    let base = format!("{:013}", stem % 10_000_000_000_000);
    (0..10)
        .map(|d| format!("{base}{d}"))
        .find(|s| trame_domain::identifiers::luhn_valid(s))
        .unwrap_or_else(|| format!("{base}0"))
}

pub(super) fn at(d: Date) -> OffsetDateTime {
    d.with_hms(10, 0, 0)
        .map(|t| t.assume_utc())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

impl Store {
    /// Loads the demo pathways and forums into a territory: `who` are the demo admin,
    /// partner (a counsellor) and applicant (whose association keeps the mobility
    /// structure that receives referrals).
    pub(crate) async fn load_demo_pathways(
        &self,
        scope: Scope,
        who: PathPeople,
    ) -> Result<(), StoreError> {
        let partner = who.partner;
        let plie = Organisation::parse(
            &OrganisationInput {
                name: "PLIE Sud-Est Avenir (démonstration)".into(),
                rna: "W941009990".into(),
                legal_form: "association".into(),
                ..Default::default()
            },
            self.today(),
        )
        .map_err(|e| StoreError::Internal(format!("demo PLIE: {e:?}")))?;
        let plie = self.create_organisation(None, scope, &plie).await?.id;
        let mut counsellors = vec![partner];
        for (email, name) in DEMO_COUNSELLORS {
            let email = Email::parse(email).map_err(|e| StoreError::Internal(e.message))?;
            let p = self
                .create_person(None, &email, name, crate::demo::DEMO_PASSWORD)
                .await?;
            self.add_membership(None, scope, p.id, Role::Partner)
                .await?;
            counsellors.push(p.id);
        }
        for c in &counsellors {
            self.add_organisation_member(partner, scope, plie, *c)
                .await?;
        }
        let now = self.now();
        let today = paris_day(now);
        let communes: Vec<String> = commune::Entity::find()
            .filter(commune::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_asc(commune::Column::CodeInsee)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| c.code_insee)
            .collect();
        // The published services of each barrier's theme, to refer people to.
        let mut services: Vec<(Barrier, Vec<(i64, i64)>)> = Vec::new();
        for b in Barrier::ALL {
            let ids: Vec<i64> = dir_code::Entity::find()
                .filter(dir_code::Column::TerritoryId.eq(scope.territory_id()))
                .filter(dir_code::Column::Kind.eq(CodeKind::Thematique.as_str()))
                .filter(dir_code::Column::Code.eq(b.code()))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|c| c.service_id)
                .collect();
            let found = dir_service::Entity::find()
                .filter(dir_service::Column::Id.is_in(ids))
                .filter(dir_service::Column::Status.eq(Status::Publie.as_str()))
                .order_by_asc(dir_service::Column::Id)
                .all(&self.db)
                .await?
                .into_iter()
                .map(|s| (s.id, s.structure_id))
                .collect();
            services.push((*b, found));
        }
        // The applicant's association keeps the first mobility structure: its members
        // answer the referrals it receives.
        let applicant_org = crate::entities::organisation_member::Entity::find()
            .filter(
                crate::entities::organisation_member::Column::TerritoryId.eq(scope.territory_id()),
            )
            .filter(crate::entities::organisation_member::Column::PersonId.eq(who.applicant))
            .order_by_asc(crate::entities::organisation_member::Column::Id)
            .all(&self.db)
            .await?
            .first()
            .map(|m| m.organisation_id);
        let mobility = services
            .iter()
            .find(|(b, _)| *b == Barrier::Mobility)
            .and_then(|(_, s)| s.first().copied());
        if let (Some(org), Some((_, structure))) = (applicant_org, mobility) {
            self.link_structure(who.admin, scope, structure, Some(org))
                .await?;
        }
        let tx = self.begin_write().await?;
        let mut files: Vec<(i64, String, String, String)> = Vec::new();
        for i in 0..60usize {
            let entered = date_of(2024, 1, 8) + Duration::days(15 * i as i64);
            let days = Days::of(entered, 36);
            let referent = counsellors.get(i % 3).copied().unwrap_or(partner);
            let commune = communes
                .get(i % communes.len().max(1))
                .cloned()
                .unwrap_or_default();
            let first = FIRST.get(i % FIRST.len()).copied().unwrap_or("Alex");
            let last = LAST.get((i * 7) % LAST.len()).copied().unwrap_or("Martin");
            // Every third person has exited, two in three of them positively.
            let exit: Option<(ExitReason, Date)> = match i % 3 {
                0 if entered + Duration::days(300) < today => {
                    let reason = ExitReason::ALL
                        .get((i / 3) % ExitReason::ALL.len())
                        .copied()
                        .unwrap_or(ExitReason::Cdi);
                    Some((reason, entered + Duration::days(300)))
                }
                _ => None,
            };
            let exited_on = exit.map(|e| e.1);
            let follow_up = exited_on.filter(|d| add_months(*d, 6) <= today).map(|d| {
                (
                    add_months(d, 6),
                    pick(&["en_emploi", "en_formation", "en_recherche"], i),
                )
            });
            let last_contact = follow_up
                .map(|f| f.0)
                .or(exited_on)
                .unwrap_or(today - Duration::days((i % 20) as i64));
            let row = path_file::ActiveModel {
                territory_id: Set(scope.territory_id()),
                organisation_id: Set(plie),
                referent_id: Set(referent),
                first_name: Set(first.to_owned()),
                last_name: Set(last.to_owned()),
                sex: Set(if i % 2 == 0 { "F" } else { "M" }.to_owned()),
                birth_year: Set(1965 + (i as i32 * 7) % 40),
                commune_code: Set(commune.clone()),
                ground: Set(GROUNDS
                    .get(i % GROUNDS.len())
                    .copied()
                    .unwrap_or("avis_motive")
                    .to_owned()),
                entered_on: Set(entered.to_string()),
                ends_by: Set(days.ends_by.to_string()),
                entry_status: Set(
                    pick(&["chomeur_longue_duree", "chomeur", "inactif"], i).to_owned()
                ),
                education: Set(
                    pick(&["cite_0_2", "cite_3_4", "cite_0_2", "cite_5_8"], i).to_owned()
                ),
                disability: Set(if i % 9 == 0 { "oui" } else { "non" }.to_owned()),
                homeless: Set(if i % 11 == 0 {
                    "oui"
                } else {
                    "ne_se_prononce_pas"
                }
                .to_owned()),
                consent_at: Set(at(entered)),
                exited_on: Set(exited_on.map(|d| d.to_string())),
                exit_reason: Set(exit.map(|e| e.0.code().to_owned())),
                exit_note: Set(String::new()),
                follow_up_on: Set(follow_up.map(|f| f.0.to_string())),
                follow_up: Set(follow_up.map(|f| f.1.to_owned())),
                last_contact_on: Set(last_contact.to_string()),
                anonymised_at: Set(None),
                is_demo: Set(true),
                created_at: Set(at(entered)),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            journal(
                &tx,
                now,
                None,
                scope,
                action::PATH_FILE_CREATE,
                "path_file",
                row.id,
            )
            .await?;
            // A diagnosis at entry, then a training, a SIAE or a job depending on the person.
            let steps: [(StepKind, &str, i64, i64); 2] = [
                (StepKind::Diagnosis, "Diagnostic socioprofessionnel", 0, 14),
                match i % 4 {
                    0 => (
                        StepKind::Training,
                        "Titre professionnel agent de propreté",
                        60,
                        180,
                    ),
                    1 => (
                        StepKind::Siae,
                        "Chantier d'insertion espaces verts",
                        45,
                        240,
                    ),
                    2 => (StepKind::Support, "Atelier numérique", 30, 60),
                    _ => (StepKind::Job, "Contrat de mission en intérim", 120, 210),
                },
            ];
            for (kind, title, from, to) in steps {
                let starts = entered + Duration::days(from);
                let ends = (entered + Duration::days(to)).min(exited_on.unwrap_or(days.ends_by));
                if starts > today || starts > ends {
                    continue;
                }
                let status = if ends <= today {
                    StepStatus::Done
                } else {
                    StepStatus::Ongoing
                };
                let s = path_step::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    file_id: Set(row.id),
                    kind: Set(kind.code().to_owned()),
                    title: Set(title.to_owned()),
                    starts_on: Set(starts.to_string()),
                    ends_on: Set((status == StepStatus::Done).then(|| ends.to_string())),
                    status: Set(status.code().to_owned()),
                    created_at: Set(at(starts)),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
                journal(
                    &tx,
                    now,
                    None,
                    scope,
                    action::PATH_STEP_CREATE,
                    "path_step",
                    s.id,
                )
                .await?;
            }
            // One to three barriers, and a referral for the first one.
            for k in 0..(1 + i % 3) {
                let Some((barrier, offered)) = services.get((i + k * 3) % services.len()) else {
                    continue;
                };
                let found = entered + Duration::days(7);
                let lifted = (k == 0 && exited_on.is_some()).then(|| entered + Duration::days(120));
                let b = path_barrier::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    file_id: Set(row.id),
                    barrier: Set(barrier.code().to_owned()),
                    note: Set(String::new()),
                    identified_on: Set(found.to_string()),
                    lifted_on: Set(lifted.map(|d| d.to_string())),
                    created_at: Set(at(found)),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
                journal(
                    &tx,
                    now,
                    None,
                    scope,
                    action::PATH_BARRIER_CREATE,
                    "path_barrier",
                    b.id,
                )
                .await?;
                let Some((service, structure)) = offered
                    .get(if *barrier == Barrier::Mobility {
                        0
                    } else {
                        i % offered.len().max(1)
                    })
                    .copied()
                else {
                    continue;
                };
                if k > 0 {
                    continue;
                }
                // Recent referrals still wait; older ones were answered, or expired.
                let sent = if exited_on.is_none() && i % 5 == 1 {
                    now - Duration::days((i % 20) as i64)
                } else {
                    at(found + Duration::days(3))
                };
                let (state, reason) = match i % 5 {
                    1 if exited_on.is_none() => (ReferralState::Sent, ""),
                    2 => (
                        ReferralState::Declined,
                        "Plus de place avant la rentrée prochaine.",
                    ),
                    4 => (ReferralState::Sent, ""),
                    _ => (ReferralState::Accepted, ""),
                };
                let answered = matches!(state, ReferralState::Accepted | ReferralState::Declined);
                let r = path_referral::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    file_id: Set(row.id),
                    barrier_id: Set(b.id),
                    service_id: Set(service),
                    structure_id: Set(structure),
                    message: Set("Personne motivée, disponible en semaine.".to_owned()),
                    sent_by: Set(referent),
                    sent_at: Set(sent),
                    state: Set(state.code().to_owned()),
                    answered_by: Set(None),
                    answered_at: Set(answered.then(|| sent + Duration::days(4))),
                    reason: Set(reason.to_owned()),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
                journal(
                    &tx,
                    now,
                    None,
                    scope,
                    action::PATH_REFERRAL_SEND,
                    "path_referral",
                    r.id,
                )
                .await?;
            }
            files.push((row.id, first.to_owned(), last.to_owned(), commune));
        }
        forums::seed(&tx, now, scope, partner, &communes, &files).await?;
        tx.commit().await?;
        self.cache.forget_pathways(Some(scope.territory_id()));
        Ok(())
    }
}

fn date_of(y: i32, m: u8, d: u8) -> Date {
    time::Month::try_from(m)
        .ok()
        .and_then(|m| Date::from_calendar_date(y, m, d).ok())
        .unwrap_or(Date::MIN)
}

pub(super) fn pick<'a>(xs: &[&'a str], i: usize) -> &'a str {
    xs.get(i % xs.len().max(1)).copied().unwrap_or_default()
}
