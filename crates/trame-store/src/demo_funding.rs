//! The demonstration editions of GPSEA's « Appel à projets Initiatives d'ESS »: 2019
//! (25,000 €), 2020 (50,000 €, the eight structures the territory's page lists as
//! supported), 2024 (60,000 € of which 10,000 € for the Projet Alimentaire Territorial),
//! and an edition open today so that a new user can apply. The amounts per laureate are
//! illustrative (`demo_amounts`, shown as such); the organisations carry no SIRET or RNA
//! rather than invented ones.

use crate::audit::{self, Entry};
use crate::entities::{dossier, dossier_commune, organisation, organisation_member};
use crate::funding::editions::EditionInput;
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use trame_domain::audit::action;
use trame_domain::funding::allocation::Rule;
use trame_domain::funding::dossier::{Budget, DossierContent, State, Transition};
use trame_domain::funding::edition::{Edition, default_grid, ess_families, paris_to_utc};
use trame_domain::funding::report::{ReportContent, ReportLine, ReportState};
use trame_domain::money::Euros;
use trame_domain::organisation::LegalForm;

fn eur(e: i64) -> Euros {
    Euros::from_cents(e * 100)
}

/// The demo accounts the funding demo involves.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DemoPeople {
    /// The instructor.
    pub agent: i64,
    /// The applicant, who acts for La Cour Cyclette.
    pub applicant: i64,
    /// The referent of Créteil.
    pub referent: i64,
    /// The committee member.
    pub reviewer: i64,
}

/// (name, legal form, commune of the address, what they do).
const ORGANISATIONS: [(&str, LegalForm, &str, &str); 8] = [
    (
        "La Cour Cyclette",
        LegalForm::Association,
        "94002",
        "Atelier vélo participatif et solidaire",
    ),
    (
        "Probonolab",
        LegalForm::Association,
        "94028",
        "Mécénat de compétences pour les associations",
    ),
    (
        "Régie de Quartier de Créteil",
        LegalForm::Association,
        "94028",
        "Services de proximité et insertion par l'activité",
    ),
    (
        "Fille et Fils de la République",
        LegalForm::Association,
        "94028",
        "Accompagnement des jeunes vers l'emploi",
    ),
    (
        "Croix-Rouge française – Val-de-Marne",
        LegalForm::Association,
        "94028",
        "Accompagnement mobile dans les quartiers prioritaires",
    ),
    (
        "J'aime le Vert",
        LegalForm::Association,
        "94071",
        "Jardinage solidaire et alimentation durable",
    ),
    (
        "Facilymode",
        LegalForm::Association,
        "94011",
        "Couture et retouche, atelier d'insertion",
    ),
    (
        "Union Sportive d'Alfortville Rugby",
        LegalForm::Association,
        "94002",
        "Rugby et insertion : « Passe à table »",
    ),
];

/// (organisation index, project title, communes, requested, granted, PAT envelope).
type Laureate = (usize, &'static str, &'static [&'static str], i64, i64, bool);

const Y2019: [Laureate; 3] = [
    (
        2,
        "Conciergerie solidaire de quartier",
        &["94028"],
        10_000,
        9_000,
        false,
    ),
    (
        0,
        "Atelier vélo itinérant",
        &["94002", "94028"],
        9_000,
        8_000,
        false,
    ),
    (
        1,
        "Pro bono pour les associations du territoire",
        &["94028", "94071"],
        8_000,
        7_000,
        false,
    ),
];

const Y2020: [Laureate; 8] = [
    (
        0,
        "Vélo-école et réparation solidaire",
        &["94002", "94028"],
        9_000,
        8_000,
        false,
    ),
    (
        1,
        "Programme de mécénat de compétences",
        &["94028", "94011"],
        6_000,
        4_500,
        false,
    ),
    (
        2,
        "Régie de services et parcours d'insertion",
        &["94028"],
        10_000,
        8_000,
        false,
    ),
    (
        3,
        "Parcours jeunes vers l'emploi",
        &["94028", "94044"],
        6_000,
        5_000,
        false,
    ),
    (
        4,
        "Accompagnement mobile en quartiers prioritaires",
        &["94028", "94004", "94011"],
        8_000,
        7_000,
        false,
    ),
    (
        5,
        "Jardins partagés et paniers solidaires",
        &["94071", "94004"],
        7_000,
        6_000,
        false,
    ),
    (
        6,
        "Atelier couture d'insertion",
        &["94011"],
        7_000,
        6_000,
        false,
    ),
    (
        7,
        "« Passe à table » : rugby et alimentation",
        &["94002"],
        6_000,
        5_000,
        false,
    ),
];

const Y2024: [Laureate; 7] = [
    (
        5,
        "Légumerie solidaire du Plateau briard",
        &["94071", "94075", "94070"],
        7_000,
        6_000,
        true,
    ),
    (
        7,
        "« Passe à table » : cuisine et santé des jeunes",
        &["94002"],
        5_000,
        4_000,
        true,
    ),
    (
        2,
        "Ressourcerie de quartier",
        &["94028"],
        14_000,
        12_000,
        false,
    ),
    (
        0,
        "Maison du vélo de Créteil",
        &["94028", "94002"],
        12_000,
        10_000,
        false,
    ),
    (
        6,
        "Atelier couture et réemploi textile",
        &["94011", "94028"],
        10_000,
        9_000,
        false,
    ),
    (
        4,
        "Bus solidaire en quartiers prioritaires",
        &["94028", "94044", "94004"],
        9_000,
        8_000,
        false,
    ),
    (
        1,
        "Mécénat de compétences ESS",
        &["94028"],
        8_000,
        6_000,
        false,
    ),
];

fn edition_input(
    year: i32,
    opens: OffsetDateTime,
    closes: OffsetDateTime,
    total: i64,
    pat: Option<i64>,
    demo_amounts: bool,
) -> Result<EditionInput, StoreError> {
    let earmarked = pat
        .map(|p| ("pat".to_owned(), eur(p)))
        .into_iter()
        .collect();
    let edition = Edition::check(year, opens, closes, eur(total), earmarked, default_grid())
        .map_err(|e| StoreError::Internal(format!("demo edition {year}: {e:?}")))?;
    Ok(EditionInput {
        edition,
        title: format!("Appel à projets Initiatives d'ESS {year}"),
        description: "Le territoire soutient les projets d'économie sociale et solidaire qui créent des emplois, répondent à un besoin local et coopèrent avec les acteurs du territoire.".into(),
        envelope_labels: vec![("pat".into(), "Projet Alimentaire Territorial".into())],
        rule: Rule {
            ceiling: eur(15_000),
            ceiling_share_percent: 80,
            ..Rule::default()
        },
        allowed_forms: ess_families(),
        opinion_days: 15,
        deemed_favourable: true,
        reviewer_cap: 20,
        demo_amounts,
    })
}

/// A demo dossier's content: a project that runs from September of the edition's year to
/// the end of August of the next.
fn content(title: &str, communes: &[&str], requested: i64, pat: bool, year: i32) -> DossierContent {
    let budget = requested * 3;
    let mut lines = std::collections::BTreeMap::new();
    lines.insert(60, eur(budget / 5));
    lines.insert(64, eur(budget - budget / 5));
    lines.insert(74, eur(requested * 2));
    lines.insert(70, eur(budget - requested * 2));
    DossierContent {
        title: title.into(),
        summary: format!("{title} (dossier de démonstration)."),
        objectives: "Créer des emplois durables et répondre à un besoin du territoire.".into(),
        actions: "Ateliers, accompagnement individuel, partenariats locaux.".into(),
        public: "Habitants du territoire éloignés de l'emploi.".into(),
        communes: communes.iter().map(|c| (*c).to_owned()).collect(),
        starts_on: time::Date::from_calendar_date(year, time::Month::September, 1)
            .unwrap_or(time::Date::MIN),
        ends_on: time::Date::from_calendar_date(year + 1, time::Month::August, 31)
            .unwrap_or(time::Date::MIN),
        jobs_fte_tenths: 10,
        requested: eur(requested),
        envelope: pat.then(|| "pat".to_owned()),
        entrepreneur: None,
        budget: Budget { lines },
        cofunders: Vec::new(),
    }
}

/// A demo report against a forecast: personnel spent 10 % under, purchases 20 % over
/// (justified), the rest as planned.
pub(crate) fn demo_report_content(forecast: &Budget, index: usize) -> ReportContent {
    let lines = forecast
        .lines
        .iter()
        .map(|(account, planned)| {
            let (actual, justification) = match account {
                64 => (planned.cents() * 9 / 10, String::new()),
                60 => (
                    planned.cents() * 6 / 5,
                    "Achat de matériel supplémentaire pour accueillir plus de participants."
                        .to_owned(),
                ),
                // Sales cover the difference, so that the report balances.
                70 => (
                    planned.cents() + forecast.line(60).cents() * 6 / 5
                        - forecast.line(60).cents()
                        - (forecast.line(64).cents() - forecast.line(64).cents() * 9 / 10),
                    String::new(),
                ),
                _ => (planned.cents(), String::new()),
            };
            let line = ReportLine {
                account: *account,
                forecast: *planned,
                actual: Euros::from_cents(actual),
                justification,
            };
            if line.gap_needs_justification() && line.justification.is_empty() {
                ReportLine {
                    justification: "Recettes d'activité ajustées au réalisé.".to_owned(),
                    ..line
                }
            } else {
                line
            }
        })
        .collect();
    ReportContent {
        lines,
        results: format!(
            "{} ateliers tenus, {} participants dont la moitié éloignés de l'emploi ; deux partenariats noués avec des structures voisines (compte rendu de démonstration).",
            30 + index * 4,
            120 + index * 15
        ),
        indicators: Vec::new(),
    }
}

/// Inserts a demo organisation (no SIRET, no RNA) and journals it; returns its id.
pub(crate) async fn demo_organisation<C: sea_orm::ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
    scope: Scope,
    name: &str,
    form: LegalForm,
    commune: &str,
) -> Result<i64, StoreError> {
    let o = organisation::ActiveModel {
        territory_id: Set(scope.territory_id()),
        name: Set(name.into()),
        siret: Set(None),
        rna: Set(None),
        legal_form: Set(form.code().into()),
        siae_kind: Set(None),
        esus_approved_on: Set(None),
        address: Set(String::new()),
        commune_code: Set(Some(commune.into())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(
        tx,
        now,
        Entry::territory(
            None,
            scope.territory_id(),
            action::ORGANISATION_CREATE,
            "organisation",
            o.id,
        ),
    )
    .await?;
    Ok(o.id)
}

impl Store {
    /// Inserts dossiers as they stand at `at`: accepted with their amount when `decided`,
    /// else just submitted.
    #[allow(clippy::too_many_arguments)]
    async fn demo_dossiers(
        &self,
        scope: Scope,
        edition_id: i64,
        year: i32,
        orgs: &[i64],
        laureates: &[Laureate],
        at: OffsetDateTime,
        decided: bool,
    ) -> Result<Vec<i64>, StoreError> {
        let decided_at = at;
        let mut ids = Vec::new();
        let now = self.now();
        let tx = self.begin_write().await?;
        for (i, (org, title, communes, requested, granted, pat)) in laureates.iter().enumerate() {
            let c = content(title, communes, *requested, *pat, year);
            let json =
                serde_json::to_string(&c).map_err(|e| StoreError::Internal(e.to_string()))?;
            let i64_i = i64::try_from(i).unwrap_or(0);
            let submitted = if decided {
                decided_at - Duration::days(60 - i64_i)
            } else {
                at + Duration::hours(i64_i)
            };
            let d = dossier::ActiveModel {
                territory_id: Set(scope.territory_id()),
                edition_id: Set(edition_id),
                organisation_id: Set(orgs.get(*org).copied().unwrap_or_default()),
                reference: Set(format!("AAP-{year}-{:04}", i + 1)),
                state: Set(if decided {
                    State::Accepted
                } else {
                    State::Submitted
                }
                .code()
                .into()),
                title: Set((*title).into()),
                requested_cents: Set(eur(*requested).cents()),
                budget_cents: Set(c.budget.expenses().cents()),
                jobs_fte_tenths: Set(10),
                envelope_code: Set(pat.then(|| "pat".to_owned())),
                entrepreneur_id: Set(None),
                submitted_at: Set(Some(submitted)),
                labels: Set(String::new()),
                checklist: Set(if decided {
                    "famille,territoire,budget,pieces"
                } else {
                    ""
                }
                .into()),
                decision_cents: Set(decided.then(|| eur(*granted).cents())),
                deliberation_ref: Set(decided.then(|| {
                    format!("Délibération du conseil de territoire {year} (démonstration)")
                })),
                decided_at: Set(decided.then_some(decided_at)),
                created_by: Set(None),
                created_at: Set(submitted),
                updated_at: Set(decided_at),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            crate::funding::write_texts(&tx, d.id, "{}".into(), Some(json)).await?;
            for code in *communes {
                dossier_commune::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    dossier_id: Set(d.id),
                    commune_code: Set((*code).into()),
                    state: Set(d.state.clone()),
                    submitted_at: Set(d.submitted_at),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
            }
            audit::record(
                &tx,
                now,
                Entry::territory(
                    None,
                    scope.territory_id(),
                    if decided {
                        action::DOSSIER_ACCEPT
                    } else {
                        action::DOSSIER_SUBMIT
                    },
                    "dossier",
                    d.id,
                ),
            )
            .await?;
            if decided {
                self.demo_award(&tx, scope, &d, *granted, year, i).await?;
            }
            ids.push(d.id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// The award of a demo laureate, with its payments and report: the advance (80 %) a
    /// month after the decision; the report of the project's year submitted in the spring
    /// after it and, for most, accepted a month later with the balance paid the week after
    /// — for 2024, one report waits for the instructor and one is still expected (late).
    #[allow(clippy::too_many_arguments)]
    async fn demo_award(
        &self,
        tx: &sea_orm::DatabaseTransaction,
        scope: Scope,
        d: &crate::funding::DossierRow,
        granted: i64,
        year: i32,
        index: usize,
    ) -> Result<(), StoreError> {
        use crate::funding::awards::{award_dossier, insert_payment, paris_day};
        use trame_domain::funding::award::{Schedule, add_months};
        let decided_at = d.decided_at.unwrap_or_else(|| self.now());
        let scheme_id = crate::funding::editions::edition_in(tx, scope, d.edition_id)
            .await?
            .row
            .scheme_id;
        let now = self.now();
        let today = paris_day(now);
        let a = award_dossier(tx, now, None, scope, d, scheme_id, paris_day(decided_at)).await?;
        let amounts = Schedule::default().amounts(eur(granted));
        let advance_on = add_months(paris_day(decided_at), 1);
        if advance_on <= today {
            let mandate = format!("MDT-{year}-{:03}-1", a.id);
            let advance = amounts.first().copied().unwrap_or_default();
            insert_payment(tx, now, None, scope, a.id, advance_on, advance, &mandate).await?;
        }
        let state = match (year >= 2024, index % 3) {
            (true, 1) => ReportState::Submitted,
            (true, 2) => ReportState::Due,
            _ => ReportState::Accepted,
        };
        let report_year = year + 1;
        let submitted_on = time::Date::from_calendar_date(report_year + 1, time::Month::April, 15)
            .unwrap_or(today);
        if state == ReportState::Due || submitted_on > today {
            return Ok(());
        }
        // The report is set against the dossier's own budget.
        use sea_orm::EntityTrait;
        let forecast = crate::entities::dossier_text::Entity::find_by_id(d.id)
            .first(tx)
            .await?
            .and_then(|t| t.content_json)
            .and_then(|j| serde_json::from_str::<DossierContent>(&j).ok())
            .map(|c| c.budget)
            .unwrap_or_default();
        let report = demo_report_content(&forecast, index);
        let accepted_on = add_months(submitted_on, 1);
        let state = if accepted_on > today {
            ReportState::Submitted
        } else {
            state
        };
        self.demo_report(
            tx,
            scope,
            a.id,
            report_year,
            state,
            &report,
            submitted_on,
            accepted_on,
        )
        .await?;
        let balance_on = accepted_on + Duration::days(7);
        if state == ReportState::Accepted && balance_on <= today {
            let mandate = format!("MDT-{year}-{:03}-2", a.id);
            let balance = amounts.get(1).copied().unwrap_or_default();
            insert_payment(tx, now, None, scope, a.id, balance_on, balance, &mandate).await?;
        }
        Ok(())
    }

    /// Puts a demo report in a state, as if submitted (and decided) on those days.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn demo_report(
        &self,
        tx: &sea_orm::DatabaseTransaction,
        scope: Scope,
        award_id: i64,
        year: i32,
        state: ReportState,
        report: &ReportContent,
        submitted_on: time::Date,
        decided_on: time::Date,
    ) -> Result<(), StoreError> {
        use crate::entities::award_report;
        use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
        let at = |d: time::Date| paris_to_utc(d.with_time(time::macros::time!(10:00)));
        let r = award_report::Entity::find()
            .filter(award_report::Column::AwardId.eq(award_id))
            .filter(award_report::Column::Year.eq(year))
            .first(tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let id = r.id;
        let mut am = r.into_active_model();
        am.state = Set(state.code().into());
        am.content_json = Set(Some(
            serde_json::to_string(report).map_err(|e| StoreError::Internal(e.to_string()))?,
        ));
        am.submitted_at = Set(Some(at(submitted_on)));
        if state == ReportState::Accepted {
            am.decided_at = Set(Some(at(decided_on)));
        }
        am.update(tx).await?;
        let now = self.now();
        let mut acts = vec![action::REPORT_SUBMIT];
        if state == ReportState::Accepted {
            acts.push(action::REPORT_ACCEPT);
        }
        for act in acts {
            audit::record(
                tx,
                now,
                Entry::territory(None, scope.territory_id(), act, "award_report", id),
            )
            .await?;
        }
        Ok(())
    }

    /// Loads the demo editions, organisations and dossiers into the demo territory.
    /// `applicant`, `referent` and `reviewer` are the demo accounts of those roles.
    pub(crate) async fn load_demo_funding(
        &self,
        scope: Scope,
        accounts: DemoPeople,
    ) -> Result<(), StoreError> {
        let DemoPeople {
            agent,
            applicant,
            referent,
            reviewer,
        } = accounts;
        let now = self.now();
        let mut orgs = Vec::new();
        {
            let tx = self.begin_write().await?;
            for (name, form, commune, _) in ORGANISATIONS {
                orgs.push(demo_organisation(&tx, now, scope, name, form, commune).await?);
            }
            // The demo applicant acts for La Cour Cyclette.
            let m = organisation_member::ActiveModel {
                territory_id: Set(scope.territory_id()),
                organisation_id: Set(orgs.first().copied().unwrap_or_default()),
                person_id: Set(applicant),
                manager: Set(true),
                hosted_entrepreneur: Set(false),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            audit::record(
                &tx,
                now,
                Entry::territory(
                    None,
                    scope.territory_id(),
                    action::ORGANISATION_MEMBER_ADD,
                    "organisation_member",
                    m.id,
                ),
            )
            .await?;
            tx.commit().await?;
        }
        self.set_referent_communes(applicant, scope, referent, &["94028".to_owned()])
            .await?;
        let scheme = self.call_scheme(None, scope).await?;
        let past = [
            (
                2019,
                datetime!(2019-03-01 09:00),
                datetime!(2019-04-30 23:59),
                25_000,
                None,
                &Y2019[..],
                datetime!(2019-06-27 18:00 UTC),
            ),
            (
                2020,
                datetime!(2020-02-03 09:00),
                datetime!(2020-04-30 23:59),
                50_000,
                None,
                &Y2020[..],
                datetime!(2020-07-09 18:00 UTC),
            ),
            (
                2024,
                datetime!(2024-03-01 09:00),
                datetime!(2024-05-31 23:59),
                60_000,
                Some(10_000),
                &Y2024[..],
                datetime!(2024-07-04 18:00 UTC),
            ),
        ];
        for (year, opens, closes, total, pat, laureates, decided) in past {
            let input = edition_input(
                year,
                paris_to_utc(opens),
                paris_to_utc(closes),
                total,
                pat,
                true,
            )?;
            let e = self.create_edition(None, scope, scheme.id, &input).await?;
            self.publish_demo(scope, e.id).await?;
            self.demo_dossiers(scope, e.id, year, &orgs, laureates, decided, true)
                .await?;
        }
        // An edition open today: opened a month ago, closing in two months.
        let year = now.year();
        let paris_day = |days: i64, at: time::Time| {
            let local = now.to_offset(trame_domain::format::paris_offset(now));
            paris_to_utc(time::PrimitiveDateTime::new(
                local.date() + Duration::days(days),
                at,
            ))
        };
        let input = edition_input(
            year,
            paris_day(-30, time::macros::time!(09:00)),
            paris_day(60, time::macros::time!(23:59)),
            60_000,
            Some(10_000),
            false,
        )?;
        let current = self.create_edition(None, scope, scheme.id, &input).await?;
        self.publish_demo(scope, current.id).await?;
        // Two dossiers already submitted; the first in instruction, with a reviewer.
        const CURRENT: [Laureate; 2] = [
            (
                2,
                "Recyclerie et emplois de quartier",
                &["94028", "94011"],
                12_000,
                0,
                false,
            ),
            (
                5,
                "Cantine solidaire du Plateau briard",
                &["94071", "94075"],
                8_000,
                0,
                true,
            ),
        ];
        let ids = self
            .demo_dossiers(
                scope,
                current.id,
                year,
                &orgs,
                &CURRENT,
                now - Duration::days(10),
                false,
            )
            .await?;
        if let Some(first) = ids.first() {
            self.instruct(agent, scope, *first, Transition::Instruct, "")
                .await?;
            self.assign_reviewer(agent, scope, *first, reviewer).await?;
        }
        self.load_demo_conventions(scope, agent).await?;
        Ok(())
    }

    async fn publish_demo(&self, scope: Scope, id: i64) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let e = crate::funding::editions::edition_in(&tx, scope, id)
            .await?
            .row;
        let mut am: crate::entities::edition::ActiveModel = e.into();
        am.published_at = Set(Some(self.now()));
        am.update(&tx).await?;
        audit::record(
            &tx,
            self.now(),
            Entry::territory(
                None,
                scope.territory_id(),
                action::EDITION_PUBLISH,
                "edition",
                id,
            ),
        )
        .await?;
        tx.commit().await?;
        self.cache.forget(scope.territory_id());
        Ok(())
    }

    /// Adds `n` submitted dossiers to the open edition of the demo territory, spread over
    /// its organisations, communes and states (for the instructors' list benchmark). One
    /// transaction; each dossier is journaled.
    pub async fn seed_volume(&self, n: u32) -> Result<u32, StoreError> {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
        let territory = self.territory_by_slug("gpsea").await?;
        let scope = territory.scope();
        let edition = crate::entities::edition::Entity::find()
            .filter(crate::entities::edition::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_desc(crate::entities::edition::Column::Year)
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let orgs: Vec<i64> = self
            .organisations(scope)
            .await?
            .into_iter()
            .map(|o| o.id)
            .collect();
        let communes: Vec<String> = self
            .communes(scope)
            .await?
            .into_iter()
            .map(|c| c.code_insee)
            .collect();
        if orgs.is_empty() || communes.is_empty() {
            return Err(StoreError::NotFound);
        }
        let start = crate::entities::dossier::Entity::find()
            .filter(crate::entities::dossier::Column::EditionId.eq(edition.id))
            .count(&self.db)
            .await?;
        // Five states against sixteen communes: every state meets every commune.
        let states = [
            State::Submitted,
            State::InReview,
            State::InReview,
            State::InReview,
            State::CorrectionRequested,
        ];
        let now = self.now();
        let tx = self.begin_write().await?;
        for i in 0..n {
            let k = usize::try_from(i).unwrap_or(0);
            let seq = start + u64::from(i) + 1;
            let commune = communes
                .get(k % communes.len())
                .cloned()
                .unwrap_or_default();
            let title = format!("Projet d'économie sociale et solidaire n° {seq}");
            let requested = 2_000 + i64::from(i % 13) * 1_000;
            let c = content(
                &title,
                &[commune.as_str()],
                requested,
                i % 5 == 0,
                edition.year,
            );
            let json =
                serde_json::to_string(&c).map_err(|e| StoreError::Internal(e.to_string()))?;
            let d = dossier::ActiveModel {
                territory_id: Set(scope.territory_id()),
                edition_id: Set(edition.id),
                organisation_id: Set(orgs.get(k % orgs.len()).copied().unwrap_or_default()),
                reference: Set(format!("AAP-{}-{seq:05}", edition.year)),
                state: Set(states
                    .get(k % states.len())
                    .copied()
                    .unwrap_or(State::Submitted)
                    .code()
                    .into()),
                title: Set(title),
                requested_cents: Set(eur(requested).cents()),
                budget_cents: Set(c.budget.expenses().cents()),
                jobs_fte_tenths: Set(10),
                envelope_code: Set(c.envelope.clone()),
                entrepreneur_id: Set(None),
                submitted_at: Set(Some(now - Duration::minutes(i64::from(i)))),
                labels: Set(if i % 7 == 0 {
                    "|prioritaire|".into()
                } else {
                    String::new()
                }),
                checklist: Set(String::new()),
                decision_cents: Set(None),
                deliberation_ref: Set(None),
                decided_at: Set(None),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            crate::funding::write_texts(&tx, d.id, "{}".into(), Some(json)).await?;
            dossier_commune::ActiveModel {
                territory_id: Set(scope.territory_id()),
                dossier_id: Set(d.id),
                commune_code: Set(commune),
                state: Set(d.state.clone()),
                submitted_at: Set(d.submitted_at),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            audit::record(
                &tx,
                now,
                Entry::territory(
                    None,
                    scope.territory_id(),
                    action::DOSSIER_SUBMIT,
                    "dossier",
                    d.id,
                ),
            )
            .await?;
        }
        tx.commit().await?;
        self.optimize().await?;
        Ok(n)
    }
}
