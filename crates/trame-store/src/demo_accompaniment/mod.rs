//! The demo's accompaniment programme: a finished cohort (2025) and one in progress
//! (2026, run by a support provider whose member is the demo partner), their calls (and
//! one open for 2027), applications marked by the demo committee member, and the six
//! projects the seed page names — Les Archéotrucs, the collaborative-games entrepreneur
//! hosted by a CAE (the demo applicant account, shown by first name and activity only),
//! Coop'Cot, Créteil ressourcerie, Facilymode and US Alfortville Rugby « Passe à table ».
//! Dates, hours and results are plausible demonstration values, not GPSEA's records.

mod volume;

pub use volume::AccVolume;

use crate::accompaniment::{insert_call, insert_cohort};
use crate::audit::journal;
use crate::entities::{
    acc_application, acc_attendance, acc_jury, acc_milestone, acc_outcome, acc_participant,
    acc_project, acc_score, acc_session, acc_stage_change, acc_workshop,
};
use crate::{Scope, Store, StoreError};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use time::macros::date;
use trame_domain::accompaniment::programme::{Call, Cohort};
use trame_domain::accompaniment::vocab::{CohortFormat, Stage};
use trame_domain::audit::action;
use trame_domain::organisation::{Organisation, OrganisationInput};

/// The demo accounts the programme involves.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AccPeople {
    /// The territory's facilitator (adviser).
    pub facilitator: i64,
    /// The committee member (jury).
    pub jury: i64,
    /// The partner, member of the support provider.
    pub partner: i64,
}

/// One demo project: name, kind, first name, last name, email, structure, commune,
/// activity, stage reached, SIRET once created.
struct Seed {
    name: &'static str,
    kind: &'static str,
    first: &'static str,
    last: &'static str,
    email: &'static str,
    structure: &'static str,
    commune: &'static str,
    activity: &'static str,
    entry: Stage,
    reached: Stage,
    siret: Option<&'static str>,
}

const FINISHED: [Seed; 3] = [
    Seed {
        name: "Les Archéotrucs",
        kind: "structure",
        first: "Camille",
        last: "Morel",
        email: "contact@archeotrucs.demo.trame.test",
        structure: "Les Archéotrucs",
        commune: "94071",
        activity: "Entreprise sociale de médiation archéologique : fouilles reconstituées et ateliers pour les écoles et les familles.",
        entry: Stage::Feasibility,
        reached: Stage::Development,
        siret: Some("89245781300012"),
    },
    Seed {
        name: "Coop'Cot",
        kind: "structure",
        first: "Inès",
        last: "Ferreira",
        email: "bonjour@coopcot.demo.trame.test",
        structure: "Coop'Cot",
        commune: "94011",
        activity: "Supermarché coopératif et participatif : les membres tiennent le magasin trois heures par mois et achètent à prix coûtant.",
        entry: Stage::Idea,
        reached: Stage::Creation,
        siret: Some("90112345500015"),
    },
    Seed {
        name: "Créteil ressourcerie",
        kind: "structure",
        first: "Yanis",
        last: "Belkacem",
        email: "equipe@ressourcerie-creteil.demo.trame.test",
        structure: "Créteil ressourcerie",
        commune: "94028",
        activity: "Collecte, réparation et revente d'objets de seconde main, ateliers de réparation ouverts aux habitants, postes en insertion.",
        entry: Stage::Creation,
        reached: Stage::Consolidation,
        siret: None,
    },
];

const CURRENT: [Seed; 3] = [
    Seed {
        name: "Jeux coopératifs",
        kind: "personne",
        first: "Fatou",
        last: "Porteuse",
        email: "porteur@demo.trame.test",
        structure: "CAE Sud-Est Avenir (coopérative d'activité et d'emploi)",
        commune: "94017",
        activity: "Création et animation de jeux de société coopératifs pour les écoles, les centres sociaux et les entreprises.",
        entry: Stage::Idea,
        reached: Stage::Feasibility,
        siret: None,
    },
    Seed {
        name: "Facilymode",
        kind: "structure",
        first: "Sarah",
        last: "Cohen",
        email: "contact@facilymode.demo.trame.test",
        structure: "Facilymode",
        commune: "94046",
        activity: "Vêtements adaptés aux personnes à mobilité réduite, cousus dans un atelier d'insertion.",
        entry: Stage::Feasibility,
        reached: Stage::Creation,
        siret: Some("91234567500017"),
    },
    Seed {
        name: "US Alfortville Rugby « Passe à table »",
        kind: "structure",
        first: "Thomas",
        last: "Garnier",
        email: "passeatable@usarugby.demo.trame.test",
        structure: "US Alfortville Rugby",
        commune: "94002",
        activity: "Cantine solidaire du club : repas à prix libre pour les licenciés et les habitants, préparés avec des jeunes en insertion.",
        entry: Stage::Idea,
        reached: Stage::Feasibility,
        siret: None,
    },
];

#[allow(clippy::too_many_arguments)]
async fn application<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    scope: Scope,
    call: i64,
    s: &Seed,
    state: &str,
    reason: Option<&str>,
    decided_by: i64,
) -> Result<acc_application::Model, StoreError> {
    let row = acc_application::ActiveModel {
        territory_id: Set(scope.territory_id()),
        call_id: Set(call),
        kind: Set(s.kind.into()),
        first_name: Set(s.first.into()),
        last_name: Set(s.last.into()),
        email: Set(s.email.into()),
        phone: Set(String::new()),
        structure_name: Set(s.structure.into()),
        siret: Set(None),
        commune_residence: Set(None),
        commune_activity: Set(Some(s.commune.into())),
        project_name: Set(s.name.into()),
        summary: Set(s.activity.into()),
        stage: Set(s.entry.code().into()),
        needs: Set("Modèle économique, statuts, premiers financements.".into()),
        state: Set(state.into()),
        decision_reason: Set(reason.map(str::to_owned)),
        decided_by: Set((state != "deposee").then_some(decided_by)),
        decided_at: Set((state != "deposee").then_some(now)),
        consent_at: Set(now),
        is_demo: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    journal(
        tx,
        now,
        None,
        scope,
        action::ACC_APPLICATION_SUBMIT,
        "acc_application",
        row.id,
    )
    .await?;
    Ok(row)
}

impl Store {
    /// Loads the demo programme into a territory.
    pub(crate) async fn load_demo_accompaniment(
        &self,
        scope: Scope,
        who: AccPeople,
    ) -> Result<(), StoreError> {
        // The support provider of the 2026 cohort, the demo partner among its members.
        let provider = Organisation::parse(
            &OrganisationInput {
                name: "Scop Accompagner Sud-Est".into(),
                siret: "88412345600011".into(),
                legal_form: "scop".into(),
                ..Default::default()
            },
            self.today(),
        )
        .map_err(|e| StoreError::Internal(format!("demo provider: {e:?}")))?;
        let provider = self.create_organisation(None, scope, &provider).await?.id;
        self.add_organisation_member(who.facilitator, scope, provider, who.partner)
            .await?;
        let now = self.now();
        let tx = self.begin_write().await?;
        let cohort = |name: &str, format, starts, ends, hours, provider| Cohort {
            name: name.into(),
            format,
            starts_on: starts,
            ends_on: ends,
            allocation_tenths: hours * 10,
            provider,
        };
        let c2025 = insert_cohort(
            &tx,
            now,
            None,
            scope,
            &cohort(
                "Promotion 2025",
                CohortFormat::Pathway,
                date!(2025 - 03 - 03),
                date!(2025 - 09 - 26),
                20,
                None,
            ),
            true,
        )
        .await?;
        let c2026 = insert_cohort(
            &tx,
            now,
            None,
            scope,
            &cohort(
                "Promotion 2026",
                CohortFormat::Pathway,
                date!(2026 - 09 - 07),
                date!(2027 - 03 - 05),
                20,
                Some(provider),
            ),
            true,
        )
        .await?;
        let c2027 = insert_cohort(
            &tx,
            now,
            None,
            scope,
            &cohort(
                "Promotion 2027",
                CohortFormat::Pathway,
                date!(2027 - 03 - 01),
                date!(2027 - 09 - 30),
                20,
                None,
            ),
            true,
        )
        .await?;
        let call = |title: &str, cohort, opens, closes| {
            Call {
            title: title.into(),
            description: "L'appel s'adresse aux personnes qui habitent l'une des seize communes du territoire et à celles qui y implantent leur activité, seules ou avec une structure jeune (association, coopérative, entreprise de l'ESS).\nLa promotion dure six mois : un parcours individuel de vingt heures avec un conseiller et des ateliers collectifs (modèle économique, gouvernance, financement, recrutement).\nUn jury se réunit après la clôture ; chaque candidat reçoit la décision par courriel.".into(),
            cohort,
            opens_on: opens,
            closes_on: closes,
        }
        };
        let a2025 = insert_call(
            &tx,
            now,
            None,
            scope,
            &call(
                "Appel à candidatures 2025",
                c2025,
                date!(2025 - 01 - 06),
                date!(2025 - 02 - 07),
            ),
            true,
        )
        .await?;
        let a2026 = insert_call(
            &tx,
            now,
            None,
            scope,
            &call(
                "Appel à candidatures 2026",
                c2026,
                date!(2026 - 06 - 01),
                date!(2026 - 07 - 10),
            ),
            true,
        )
        .await?;
        insert_call(
            &tx,
            now,
            None,
            scope,
            &call(
                "Appel à candidatures 2027",
                c2027,
                date!(2026 - 11 - 02),
                date!(2027 - 01 - 15),
            ),
            true,
        )
        .await?;
        for c in [a2025, a2026] {
            acc_jury::ActiveModel {
                territory_id: Set(scope.territory_id()),
                call_id: Set(c),
                person_id: Set(who.jury),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
        let mut projects = Vec::new();
        for (cohort_id, call_id, seeds, first_day) in [
            (c2025, a2025, &FINISHED, date!(2025 - 03 - 10)),
            (c2026, a2026, &CURRENT, date!(2026 - 09 - 14)),
        ] {
            let cohort = crate::accompaniment::cohort_in(
                &tx,
                scope,
                &crate::accompaniment::Team::Territory,
                cohort_id,
            )
            .await?;
            for (i, s) in seeds.iter().enumerate() {
                let a = application(
                    &tx,
                    now,
                    scope,
                    call_id,
                    s,
                    "retenue",
                    None,
                    who.facilitator,
                )
                .await?;
                let marks = [5, 4, 4, 3 + i32::try_from(i % 2).unwrap_or(0)];
                acc_score::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    application_id: Set(a.id),
                    person_id: Set(who.jury),
                    motivation: Set(marks[0]),
                    utilite: Set(marks[1]),
                    ancrage: Set(marks[2]),
                    faisabilite: Set(marks[3]),
                    total: Set(marks.iter().sum()),
                    comment: Set("Projet solide, bien ancré sur le territoire.".into()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
                let pid = crate::accompaniment::applications::insert_project(
                    &tx,
                    now,
                    None,
                    scope,
                    &cohort,
                    &a,
                    Some(s.commune.into()),
                    true,
                )
                .await?;
                // The referent adviser: the provider's member in 2026, the territory's
                // facilitator before.
                let adviser = if cohort_id == c2026 {
                    who.partner
                } else {
                    who.facilitator
                };
                projects.push((pid, cohort_id, s, adviser, first_day));
            }
        }
        // Two applications to the 2026 call not selected.
        for (name, first, last) in [
            ("Épicerie ambulante", "Lucas", "Martin"),
            ("Friperie numérique", "Julie", "Roux"),
        ] {
            let s = Seed {
                name,
                kind: "personne",
                first,
                last,
                email: "candidat@demo.trame.test",
                structure: "",
                commune: "94028",
                activity: "Un projet encore à l'état d'intention.",
                entry: Stage::Idea,
                reached: Stage::Idea,
                siret: None,
            };
            application(&tx, now, scope, a2026, &s, "non_retenue", Some("Le projet est encore trop tôt pour la promotion : le jury vous invite à rencontrer la boutique de gestion et à candidater l'an prochain."), who.facilitator).await?;
        }
        // Sessions, stages, milestones and outcomes.
        let summaries = [
            "Clarifier l'offre et les publics ; liste des partenaires à rencontrer.",
            "Modèle économique : prix, charges, seuil de rentabilité.",
            "Choix du statut (association, SCIC, SAS de l'ESS) et gouvernance.",
            "Plan de financement : subventions, prêt d'honneur, financement participatif.",
            "Préparation du premier recrutement et des fiches de poste.",
        ];
        for (pid, cohort_id, s, adviser, first_day) in &projects {
            let mut tenths = 0i64;
            let count = if *cohort_id == c2025 { 5 } else { 3 };
            for (k, summary) in summaries.iter().take(count).enumerate() {
                let held = *first_day + time::Duration::weeks(i64::try_from(k).unwrap_or(0) * 3);
                let t = if k % 2 == 0 { 20 } else { 15 };
                tenths += i64::from(t);
                let row = acc_session::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    project_id: Set(*pid),
                    held_on: Set(held.to_string()),
                    tenths: Set(t),
                    kind: Set("individuel".into()),
                    adviser_id: Set(*adviser),
                    summary: Set((*summary).into()),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
                journal(
                    &tx,
                    now,
                    Some(*adviser),
                    scope,
                    action::ACC_SESSION_CREATE,
                    "acc_session",
                    row.id,
                )
                .await?;
            }
            let mut from = s.entry;
            let mut day = *first_day + time::Duration::weeks(6);
            while from.rank() < s.reached.rank() {
                let to = Stage::ALL.get(from.rank() + 1).copied().unwrap_or(from);
                acc_stage_change::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    project_id: Set(*pid),
                    from_stage: Set(Some(from.code().into())),
                    to_stage: Set(to.code().into()),
                    changed_on: Set(day.to_string()),
                    reason: Set(String::new()),
                    actor_id: Set(Some(*adviser)),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
                journal(
                    &tx,
                    now,
                    Some(*adviser),
                    scope,
                    action::ACC_PROJECT_STAGE,
                    "acc_project",
                    *pid,
                )
                .await?;
                from = to;
                day += time::Duration::weeks(8);
            }
            if let Some(siret) = s.siret {
                let row = acc_milestone::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    project_id: Set(*pid),
                    kind: Set("creation_juridique".into()),
                    reached_on: Set((*first_day + time::Duration::weeks(10)).to_string()),
                    siret: Set(Some(siret.into())),
                    amount_cents: Set(None),
                    note: Set(String::new()),
                    actor_id: Set(Some(*adviser)),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
                journal(
                    &tx,
                    now,
                    Some(*adviser),
                    scope,
                    action::ACC_MILESTONE_CREATE,
                    "acc_milestone",
                    row.id,
                )
                .await?;
            }
            acc_project::Entity::update_many()
                .col_expr(acc_project::Column::Stage, Expr::value(s.reached.code()))
                .col_expr(acc_project::Column::IndividualTenths, Expr::value(tenths))
                .col_expr(acc_project::Column::AdviserId, Expr::value(Some(*adviser)))
                .col_expr(
                    acc_project::Column::Siret,
                    Expr::value(s.siret.map(str::to_owned)),
                )
                .filter(acc_project::Column::Id.eq(*pid))
                .exec(&tx)
                .await?;
        }
        // Each holder is a participant, with the FSE+ data given with consent; those of the
        // finished cohort have their exit and six-month situations.
        for (i, (pid, cohort_id, s, adviser, first_day)) in projects.iter().enumerate() {
            let finished = *cohort_id == c2025;
            let statuses = ["chomeur", "chomeur_longue_duree", "en_emploi", "inactif"];
            let row = acc_participant::ActiveModel {
                territory_id: Set(scope.territory_id()),
                project_id: Set(*pid),
                first_name: Set(s.first.into()),
                last_name: Set(s.last.into()),
                sex: Set(if i % 3 == 2 { "M" } else { "F" }.into()),
                birth_year: Set(1978 + i32::try_from(i).unwrap_or(0) * 3),
                entered_on: Set(first_day.to_string()),
                entry_status: Set(statuses
                    .get(i % statuses.len())
                    .copied()
                    .unwrap_or("chomeur")
                    .into()),
                education: Set(if i % 2 == 0 { "cite_5_8" } else { "cite_3_4" }.into()),
                disability: Set("ne_se_prononce_pas".into()),
                homeless: Set("non".into()),
                consent_at: Set(now),
                exited_on: Set(finished.then(|| "2025-09-26".to_owned())),
                exit_status: Set(finished.then(|| "activite_creee".to_owned())),
                six_months_on: Set(finished.then(|| "2026-03-30".to_owned())),
                six_months_status: Set(finished.then(|| "activite_creee".to_owned())),
                is_demo: Set(true),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            journal(
                &tx,
                now,
                Some(*adviser),
                scope,
                action::ACC_PARTICIPANT_CREATE,
                "acc_participant",
                row.id,
            )
            .await?;
        }
        // Results of the finished cohort: at the end and six months later.
        for (i, (pid, cohort_id, _, adviser, _)) in projects.iter().enumerate() {
            if *cohort_id != c2025 {
                continue;
            }
            let jobs = [15, 20, 40];
            for (moment, day, factor) in [
                ("fin", date!(2025 - 09 - 26), 1),
                ("6_mois", date!(2026 - 03 - 30), 2),
            ] {
                let row = acc_outcome::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    project_id: Set(*pid),
                    moment: Set(moment.into()),
                    observed_on: Set(day.to_string()),
                    active: Set(true),
                    jobs_tenths: Set(jobs.get(i).copied().unwrap_or(10) * factor / 2),
                    funds_cents: Set(1_500_000 * i64::from(factor)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
                journal(
                    &tx,
                    now,
                    Some(*adviser),
                    scope,
                    action::ACC_OUTCOME_SET,
                    "acc_outcome",
                    row.id,
                )
                .await?;
            }
        }
        crate::accompaniment::refresh_latest_outcome(&tx, scope.territory_id(), None).await?;
        // Workshops: three per cohort, every project present.
        for (cohort_id, days) in [
            (
                c2025,
                [
                    date!(2025 - 04 - 08),
                    date!(2025 - 05 - 13),
                    date!(2025 - 06 - 17),
                ],
            ),
            (
                c2026,
                [
                    date!(2026 - 09 - 22),
                    date!(2026 - 10 - 13),
                    date!(2026 - 11 - 17),
                ],
            ),
        ] {
            let members: Vec<i64> = projects
                .iter()
                .filter(|p| p.1 == cohort_id)
                .map(|p| p.0)
                .collect();
            for (day, (theme, speaker)) in days.iter().zip([
                (
                    "Construire son modèle économique",
                    "Boutique de gestion du Val-de-Marne",
                ),
                (
                    "Gouvernance coopérative et statuts de l'ESS",
                    "Union régionale des Scop",
                ),
                (
                    "Financer son projet : prêts d'honneur, subventions, finance solidaire",
                    "France Active Val-de-Marne",
                ),
            ]) {
                let w = acc_workshop::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    cohort_id: Set(cohort_id),
                    held_on: Set(day.to_string()),
                    tenths: Set(30),
                    theme: Set(theme.into()),
                    speaker: Set(speaker.into()),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
                journal(
                    &tx,
                    now,
                    Some(who.facilitator),
                    scope,
                    action::ACC_WORKSHOP_CREATE,
                    "acc_workshop",
                    w.id,
                )
                .await?;
                for p in &members {
                    acc_attendance::ActiveModel {
                        territory_id: Set(scope.territory_id()),
                        workshop_id: Set(w.id),
                        project_id: Set(*p),
                        created_at: Set(now),
                        ..Default::default()
                    }
                    .insert(&tx)
                    .await?;
                }
            }
            acc_project::Entity::update_many()
                .col_expr(acc_project::Column::CollectiveTenths, Expr::value(90i64))
                .filter(acc_project::Column::CohortId.eq(cohort_id))
                .exec(&tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
