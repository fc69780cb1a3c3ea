//! The demo of insertion clauses: GPSEA and some of its communes and social landlords as
//! buyers, 40 plausible contracts (renovation, cleaning, green spaces, catering), 12
//! companies, 80 people and two years of monthly hours, some validated, the latest
//! waiting. Names, SIRETs and figures are demonstration values, not GPSEA's records.

use crate::clauses::people::insert_person;
use crate::clauses::{insert_buyer, insert_contract};
use crate::entities::clause_hours;
use crate::funding::awards::paris_day;
use crate::{Scope, Store, StoreError};
use sea_orm::{EntityTrait, Set};
use trame_domain::clauses::contract::{Contract, ContractInput};
use trame_domain::clauses::hours::YearMonth;
use trame_domain::clauses::person::{Person, PersonInput};
use trame_domain::clauses::vocab::{BuyerKind, Ground, HoursState, Source, Way};
use trame_domain::organisation::{Organisation, OrganisationInput};

const BUYERS: [(&str, BuyerKind); 7] = [
    ("Grand Paris Sud Est Avenir", BuyerKind::Territory),
    ("Ville de Créteil", BuyerKind::Commune),
    ("Ville de Maisons-Alfort", BuyerKind::Commune),
    ("Ville de Champigny-sur-Marne", BuyerKind::Commune),
    ("Ville de Boissy-Saint-Léger", BuyerKind::Commune),
    ("Valophis Habitat", BuyerKind::Landlord),
    ("Créteil Habitat SEMIC", BuyerKind::Landlord),
];

/// Companies: name, trade of the contracts they win.
const COMPANIES: [(&str, &str); 12] = [
    ("Bâti Sud Est", "maconnerie"),
    ("Peintures de la Marne", "peinture"),
    ("Rénov'Avenir", "second-oeuvre"),
    ("Propreté Val-de-Marne", "nettoyage"),
    ("Net Services Créteil", "nettoyage"),
    ("Jardins du Morbras", "espaces-verts"),
    ("Paysages de l'Yerres", "espaces-verts"),
    ("Restauration Collective 94", "restauration"),
    ("Cuisines Solidaires Est", "restauration"),
    ("Réseaux et Voirie Sud", "reseaux"),
    ("Métallerie Boisséenne", "charpente-metallique"),
    ("Second Œuvre Associés", "second-oeuvre"),
];

/// Object of a contract by trade.
fn object(trade: &str, n: usize) -> (&'static str, &'static str) {
    let (objects, cpv): (&[&str], &str) = match trade {
        "maconnerie" => (
            &[
                "Réhabilitation du groupe scolaire, lot gros œuvre",
                "Construction d'un gymnase, lot maçonnerie",
                "Réhabilitation de 120 logements, lot gros œuvre",
            ],
            "45262500-6",
        ),
        "peinture" => (
            &[
                "Peinture des écoles maternelles",
                "Réfection des cages d'escalier, lot peinture",
            ],
            "45442100-8",
        ),
        "second-oeuvre" => (
            &[
                "Rénovation de la médiathèque, lot menuiseries intérieures",
                "Réhabilitation de logements, lot plâtrerie",
            ],
            "45410000-4",
        ),
        "nettoyage" => (
            &[
                "Nettoyage des bâtiments communaux",
                "Entretien des parties communes des résidences",
            ],
            "90919200-4",
        ),
        "espaces-verts" => (
            &[
                "Entretien des espaces verts et des parcs",
                "Entretien des berges et des espaces naturels",
            ],
            "77310000-6",
        ),
        "restauration" => (
            &[
                "Restauration scolaire en liaison froide",
                "Portage de repas à domicile",
            ],
            "55523100-3",
        ),
        "reseaux" => (&["Réfection de voirie et réseaux divers"], "45233140-2"),
        _ => (&["Charpente métallique du préau"], "45223100-7"),
    };
    (objects.get(n % objects.len()).copied().unwrap_or(""), cpv)
}

const FIRST_F: [&str; 10] = [
    "Awa",
    "Sarah",
    "Inès",
    "Marie",
    "Fatoumata",
    "Léa",
    "Nadia",
    "Chloé",
    "Aïcha",
    "Julie",
];
const FIRST_M: [&str; 10] = [
    "Karim", "Mamadou", "Lucas", "Yanis", "Thomas", "Moussa", "Kevin", "Hugo", "Bilal", "Nicolas",
];
const LAST: [&str; 16] = [
    "Martin", "Diallo", "Bernard", "Traoré", "Petit", "Haddad", "Moreau", "Nguyen", "Laurent",
    "Benali", "Garcia", "Koné", "Fournier", "Mendy", "Rousseau", "Da Silva",
];

/// A SIRET with a valid Luhn key from 13 digits.
fn siret(base13: u64) -> String {
    let base = format!("{:013}", base13 % 10_000_000_000_000);
    (0..10)
        .map(|d| format!("{base}{d}"))
        .find(|s| trame_domain::identifiers::luhn_valid(s))
        .unwrap_or_default()
}

/// A small deterministic generator, so the demo is the same on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

fn internal<E: std::fmt::Debug>(e: E) -> StoreError {
    StoreError::Internal(format!("demo clauses: {e:?}"))
}

impl Store {
    /// Loads the demo of insertion clauses; the demo company account acts for the first
    /// company, the demo partner for the mission locale that refers some of the people.
    pub(crate) async fn load_demo_clauses(
        &self,
        scope: Scope,
        facilitator: i64,
        company_account: i64,
        partner_account: i64,
    ) -> Result<(), StoreError> {
        let today = paris_day(self.now());
        let mut companies = Vec::new();
        for (i, (name, trade)) in COMPANIES.iter().enumerate() {
            let org = Organisation::parse(
                &OrganisationInput {
                    name: (*name).into(),
                    siret: siret(4_210_000_000_000 + 7_919 * i as u64),
                    legal_form: "entreprise".into(),
                    ..Default::default()
                },
                today,
            )
            .map_err(internal)?;
            let row = self.create_organisation(None, scope, &org).await?;
            companies.push((row.id, row.siret.unwrap_or_default(), *name, *trade));
        }
        if let Some((first, ..)) = companies.first() {
            self.add_organisation_member(facilitator, scope, *first, company_account)
                .await?;
        }
        let mission_locale = self
            .create_organisation(
                None,
                scope,
                &Organisation::parse(
                    &OrganisationInput {
                        name: "Mission locale Plaine Centrale (démo)".into(),
                        siret: siret(7_750_000_000_000),
                        legal_form: "association".into(),
                        ..Default::default()
                    },
                    today,
                )
                .map_err(internal)?,
            )
            .await?
            .id;
        self.add_organisation_member(facilitator, scope, mission_locale, partner_account)
            .await?;

        let now = self.now();
        let communes: Vec<String> = self
            .communes(scope)
            .await?
            .into_iter()
            .map(|c| c.code_insee)
            .collect();
        let tx = self.begin_write().await?;
        let mut buyers = Vec::new();
        for (name, kind) in BUYERS {
            buyers.push(insert_buyer(&tx, now, None, scope, name, None, kind, true).await?);
        }
        let mut rng = Lcg(2026);
        let mut people = Vec::new();
        for i in 0..80usize {
            let woman = i % 3 == 0;
            let first = if woman {
                FIRST_F.get(i % FIRST_F.len())
            } else {
                FIRST_M.get(i % FIRST_M.len())
            }
            .copied()
            .unwrap_or("Camille");
            let ground = Ground::ALL
                .get(rng.next(Ground::ALL.len() as u64) as usize)
                .copied()
                .unwrap_or(Ground::LongTermJobSeeker);
            let p = Person::parse(
                &PersonInput {
                    first_name: first.into(),
                    last_name: LAST
                        .get((i * 7) % LAST.len())
                        .copied()
                        .unwrap_or("Martin")
                        .into(),
                    sex: if woman { "F" } else { "M" }.into(),
                    birth_year: (1960 + rng.next(46) as i32).to_string(),
                    commune_code: communes
                        .get(rng.next(communes.len() as u64) as usize)
                        .cloned()
                        .unwrap_or_default(),
                    ground: ground.code().into(),
                    proof: "Attestation vue par le facilitateur (démo)".into(),
                    referring_org: if i % 3 == 1 {
                        mission_locale.to_string()
                    } else {
                        String::new()
                    },
                },
                today.year(),
            )
            .map_err(internal)?;
            people.push(insert_person(&tx, now, Some(facilitator), scope, &p, true).await?);
        }
        let this_month = YearMonth::of(today);
        let mut lines = Vec::new();
        let mut month_used: std::collections::HashMap<(i64, YearMonth), i32> =
            std::collections::HashMap::new();
        for n in 0..40usize {
            let (_org, siret, name, trade) = companies
                .get(n % companies.len())
                .cloned()
                .ok_or_else(|| internal("no company"))?;
            let (object, cpv) = object(trade, n / companies.len());
            let buyer = buyers.get(n % buyers.len()).copied().unwrap_or_default();
            // Notified between September 2024 and June 2026.
            let month = 9 + rng.next(22) as i32;
            let notified = format!(
                "{}-{:02}-{:02}",
                2024 + (month - 1) / 12,
                (month - 1) % 12 + 1,
                1 + rng.next(27)
            );
            let amount = 150_000 + rng.next(2_850) * 1_000;
            let c = Contract::parse(&ContractInput {
                operation: if n % 4 == 0 {
                    format!("Opération de renouvellement urbain n° {}", n / 4 + 1)
                } else {
                    String::new()
                },
                reference: format!("DEMO-{}-{:03}", 2024 + (month - 1) / 12, n + 1),
                object: object.into(),
                cpv: cpv.into(),
                amount: amount.to_string(),
                notified_on: notified,
                duration_months: (12 + rng.next(25)).to_string(),
                commune_code: communes
                    .get(n % communes.len().max(1))
                    .cloned()
                    .unwrap_or_default(),
                awardee_siret: siret,
                awardee_name: name.into(),
                clause_type: if n % 10 == 9 {
                    "reserve_siae"
                } else {
                    "condition_execution"
                }
                .into(),
                trade: trade.into(),
                rate: ["5", "7", "10"].get(n % 3).copied().unwrap_or("5").into(),
                hourly_cost: "28".into(),
                ..Default::default()
            })
            .map_err(internal)?;
            let id =
                insert_contract(&tx, now, Some(facilitator), scope, buyer, &c, None, true).await?;
            // Two to four people, each month from the start until last month; some
            // contracts keep pace, others fall behind.
            let crew = 2 + rng.next(3) as usize;
            // The pace, in percent of what the target calls for each month: some keep
            // it, some fall behind, a few run ahead.
            let pace = 65 + rng.next(85) as i64;
            let monthly = c.target.hours() * 10 * pace / 100 / i64::from(c.duration_months.max(1));
            let start = YearMonth::of(c.notified_on);
            let end = YearMonth::of(c.ends_on()).min(this_month);
            for k in 0..crew {
                let person = people
                    .get((n * 2 + k * 37) % people.len())
                    .copied()
                    .unwrap_or_default();
                let way = if c.clause_type == trame_domain::clauses::vocab::ClauseType::ReservedSiae
                {
                    Way::Reserved
                } else {
                    [Way::Hiring, Way::Provision, Way::Subcontracting]
                        .get(k % 3)
                        .copied()
                        .unwrap_or(Way::Hiring)
                };
                let mut m = start;
                while m <= end {
                    // Never past 250 hours a month for one person, all contracts together.
                    let used = month_used.entry((person, m)).or_insert(0);
                    let share = monthly * (80 + rng.next(40) as i64) / 100 / crew as i64;
                    let tenths = i32::try_from(share.max(10))
                        .unwrap_or(trame_domain::clauses::hours::MAX_TENTHS_PER_MONTH)
                        .min(trame_domain::clauses::hours::MAX_TENTHS_PER_MONTH - *used);
                    if tenths <= 0 {
                        m = m.next();
                        continue;
                    }
                    *used += tenths;
                    let state = if m == end {
                        HoursState::Declared
                    } else {
                        HoursState::Validated
                    };
                    lines.push(clause_hours::ActiveModel {
                        territory_id: Set(scope.territory_id()),
                        contract_id: Set(id),
                        person_id: Set(person),
                        month: Set(m.stored()),
                        way: Set(way.code().to_owned()),
                        tenths: Set(tenths),
                        state: Set(state.code().to_owned()),
                        reject_reason: Set(None),
                        source: Set(Source::Company.code().to_owned()),
                        declared_by: Set(None),
                        decided_by: Set((state == HoursState::Validated).then_some(facilitator)),
                        created_at: Set(now),
                        updated_at: Set(now),
                        ..Default::default()
                    });
                    m = m.next();
                }
            }
            crate::audit::journal(
                &tx,
                now,
                Some(facilitator),
                scope,
                trame_domain::audit::action::CLAUSE_HOURS_DECLARE,
                "clause_contract",
                id,
            )
            .await?;
        }
        for chunk in lines.chunks(500) {
            clause_hours::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&tx)
                .await?;
        }
        crate::clauses::tally::rebuild(&tx, scope.territory_id()).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// How much a generated volume of insertion clauses holds.
#[derive(Debug, Clone, Copy)]
pub struct ClauseVolume {
    /// Contracts.
    pub contracts: u32,
    /// People.
    pub people: u32,
    /// Monthly hour lines (about: each contract gets the same share).
    pub lines: u64,
}

impl Store {
    /// Adds a benchmark volume of insertion clauses to the demo territory: contracts
    /// notified over 2024–2025 for 24 months, people, and monthly hour lines, three in
    /// four validated. Rows go in by multi-row statements (values are generated numbers
    /// and codes, never typed by a person); one journal entry records the generation.
    /// Returns the number of hour lines written.
    pub async fn generate_clauses(&self, v: ClauseVolume) -> Result<u64, StoreError> {
        use sea_orm::{ConnectionTrait, Statement, Value};
        let territory = self.territory_by_slug("gpsea").await?;
        let scope = territory.scope();
        let t = territory.id;
        let communes: Vec<String> = self
            .communes(scope)
            .await?
            .into_iter()
            .map(|c| c.code_insee)
            .collect();
        let buyers: Vec<i64> = self
            .clause_buyers(scope)
            .await?
            .into_iter()
            .map(|b| b.id)
            .collect();
        if buyers.is_empty() {
            return Err(StoreError::Internal(
                "the demo has no buyer: load the demo first".into(),
            ));
        }
        let now = self.now();
        let backend = self.db.get_database_backend();
        let ts = if self.is_postgres() { "$1" } else { "?1" };
        let tx = self.begin_write().await?;
        let run = |sql: String| Statement::from_sql_and_values(backend, sql, [Value::from(now)]);
        let next_id = |table: &'static str| {
            move || {
                Statement::from_string(backend, format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
            }
        };
        let first_contract: i64 = tx
            .query_one_raw(next_id("clause_contract")())
            .await?
            .map(|r| r.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or(0)
            + 1;
        let first_person: i64 = tx
            .query_one_raw(next_id("clause_person")())
            .await?
            .map(|r| r.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or(0)
            + 1;
        let mut rng = Lcg(20_000);
        // Contracts.
        let mut windows = Vec::new();
        for chunk in (0..v.contracts).collect::<Vec<_>>().chunks(1_000) {
            let mut rows = Vec::new();
            for n in chunk {
                let id = first_contract + i64::from(*n);
                let start = YearMonth {
                    year: 2024 + (n % 2) as i32,
                    month: (1 + n % 12) as u8,
                };
                let notified = start.first_day();
                let ends = trame_domain::clauses::contract::end_of(notified, 24);
                let target = 200 + rng.next(2_000) as i64;
                windows.push((id, start));
                rows.push(format!(
                    "({id}, {t}, {buyer}, NULL, 'GEN-{id:06}', 'Marché généré n° {id}', '45000000-7', {amount}, '{notified}', 24, '{ends}', {commune}, '42100000000001', 'Entreprise générée {company}', NULL, 'condition_execution', {target}, NULL, NULL, NULL, 'Objectif généré pour les mesures', NULL, TRUE, 1, {ts}, {ts})",
                    buyer = buyers.get(*n as usize % buyers.len()).copied().unwrap_or_default(),
                    amount = (150_000 + rng.next(2_850) as i64 * 1_000) * 100,
                    commune = communes
                        .get(*n as usize % communes.len().max(1))
                        .map_or("NULL".to_owned(), |c| format!("'{c}'")),
                    company = n % 500,
                ));
            }
            tx.execute_raw(run(format!(
                "INSERT INTO clause_contract (id, territory_id, buyer_id, operation_id, reference, object, cpv, amount_cents, notified_on, duration_months, ends_on, commune_code, awardee_siret, awardee_name, awardee_org_id, clause_type, target_hours, labour_share_bp, rate_bp, hourly_cost_cents, target_reason, decp_considerations, is_demo, revision, created_at, updated_at) VALUES {}",
                rows.join(", ")
            )))
            .await?;
        }
        // People.
        let grounds = trame_domain::clauses::vocab::Ground::ALL;
        for chunk in (0..v.people).collect::<Vec<_>>().chunks(2_000) {
            let rows: Vec<String> = chunk
                .iter()
                .map(|n| {
                    let id = first_person + i64::from(*n);
                    format!(
                        "({id}, {t}, 'Prénom', 'Personne {id}', '{sex}', {birth}, {commune}, '{ground}', 'Généré', NULL, NULL, NULL, TRUE, {ts})",
                        sex = if n % 3 == 0 { "F" } else { "M" },
                        birth = 1960 + (n % 46) as i32,
                        commune = communes
                            .get(*n as usize % communes.len().max(1))
                            .map_or("NULL".to_owned(), |c| format!("'{c}'")),
                        ground = grounds.get(*n as usize % grounds.len()).map_or("rqth", |g| g.code()),
                    )
                })
                .collect();
            tx.execute_raw(run(format!(
                "INSERT INTO clause_person (id, territory_id, first_name, last_name, sex, birth_year, commune_code, ground, proof, validated_by, validated_on, referring_org_id, is_demo, created_at) VALUES {}",
                rows.join(", ")
            )))
            .await?;
        }
        // Hours: each contract its share, over its 24 months, a crew of distinct people.
        let per_contract = (v.lines / u64::from(v.contracts.max(1))).max(1);
        let crew = per_contract.div_ceil(24).max(1);
        let people = i64::from(v.people.max(1));
        let ways = [Way::Hiring, Way::Provision, Way::Subcontracting];
        let mut written = 0u64;
        let mut rows = Vec::with_capacity(2_000);
        for (n, (contract, start)) in windows.iter().enumerate() {
            let mut count = 0u64;
            'crew: for k in 0..crew {
                let person = first_person + ((n as i64) * crew as i64 + k as i64) % people;
                let way = ways
                    .get(k as usize % ways.len())
                    .map_or("embauche_directe", |w| w.code());
                let mut m = *start;
                for _ in 0..24 {
                    if count == per_contract {
                        break 'crew;
                    }
                    let state = if rng.next(4) == 0 {
                        "declare"
                    } else {
                        "valide"
                    };
                    rows.push(format!(
                        "({t}, {contract}, {person}, '{month}', '{way}', {tenths}, '{state}', NULL, 'fichier', NULL, NULL, {ts}, {ts})",
                        month = m.stored(),
                        tenths = 20 + rng.next(380),
                    ));
                    count += 1;
                    m = m.next();
                    if rows.len() == 2_000 {
                        tx.execute_raw(run(format!(
                            "INSERT INTO clause_hours (territory_id, contract_id, person_id, month, way, tenths, state, reject_reason, source, declared_by, decided_by, created_at, updated_at) VALUES {}",
                            rows.join(", ")
                        )))
                        .await?;
                        written += rows.len() as u64;
                        rows.clear();
                    }
                }
            }
        }
        if !rows.is_empty() {
            written += rows.len() as u64;
            tx.execute_raw(run(format!(
                "INSERT INTO clause_hours (territory_id, contract_id, person_id, month, way, tenths, state, reject_reason, source, declared_by, decided_by, created_at, updated_at) VALUES {}",
                rows.join(", ")
            )))
            .await?;
        }
        if self.is_postgres() {
            for table in ["clause_contract", "clause_person"] {
                tx.execute_unprepared(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                ))
                .await?;
            }
        }
        // The lines went in directly: the running totals and tallies are computed once.
        crate::clauses::tally::rebuild(&tx, t).await?;
        crate::audit::journal(
            &tx,
            now,
            None,
            scope,
            trame_domain::audit::action::CLAUSE_CONTRACT_IMPORT,
            "territory",
            t,
        )
        .await?;
        tx.commit().await?;
        Ok(written)
    }
}
