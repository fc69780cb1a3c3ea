//! The demonstration conventions of GPSEA: with two missions locales, the École de la
//! 2e chance, the PLIE, a mobility action, and two communes (Créteil's job forum, whose
//! visa awaits the demo referent; Boissy-Saint-Léger's employment service). Amounts,
//! dates and indicators are illustrative; the dates are set relative to the current year
//! and nothing dated after today is written (no payment, signature or report in the
//! future). Reports come in every state.

use crate::demo_funding::{demo_organisation, demo_report_content};
use crate::entities::award;
use crate::funding::awards::{insert_payment, paris_day};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use time::{Date, Duration, Month};
use trame_domain::audit::action;
use trame_domain::funding::award::Schedule;
use trame_domain::funding::convention::{Category, Convention};
use trame_domain::funding::dossier::Budget;
use trame_domain::funding::report::{Indicator, IndicatorResult, ReportState};
use trame_domain::money::Euros;
use trame_domain::organisation::LegalForm;

/// A demo convention: beneficiary, what, first year (relative to the current one), the
/// amount of each year, indicators, the decision's and the signature's days (month, day in
/// the first year), and each year's report state.
struct Demo {
    partner: Option<(&'static str, &'static str)>,
    commune: Option<&'static str>,
    category: Category,
    title: &'static str,
    first_year: i32,
    amounts: &'static [i64],
    indicators: &'static [(&'static str, i64)],
    decided: (Month, u8),
    signed: Option<(Month, u8)>,
    visa: bool,
    reports: &'static [ReportState],
}

const DEMOS: [Demo; 7] = [
    Demo {
        partner: Some(("Mission locale de Créteil", "94028")),
        commune: None,
        category: Category::MissionLocale,
        title: "Accompagnement des 16–25 ans vers l'emploi et la formation",
        first_year: -1,
        amounts: &[110_000, 110_000],
        indicators: &[
            ("Jeunes accompagnés", 900),
            ("Entrées en emploi ou en formation", 400),
        ],
        decided: (Month::January, 20),
        signed: Some((Month::February, 10)),
        visa: false,
        reports: &[ReportState::Accepted, ReportState::Due],
    },
    Demo {
        partner: Some(("Mission locale du Plateau briard", "94071")),
        commune: None,
        category: Category::MissionLocale,
        title: "Accueil et accompagnement des jeunes du Plateau briard",
        first_year: 0,
        amounts: &[65_000],
        indicators: &[("Jeunes accompagnés", 450)],
        decided: (Month::January, 20),
        signed: Some((Month::February, 5)),
        visa: false,
        reports: &[ReportState::Due],
    },
    Demo {
        partner: Some(("École de la 2e chance du Val-de-Marne", "94028")),
        commune: None,
        category: Category::E2c,
        title: "Parcours de l'École de la 2e chance pour les jeunes du territoire",
        first_year: -2,
        amounts: &[40_000, 40_000, 40_000],
        indicators: &[("Stagiaires accueillis", 120), ("Sorties positives", 70)],
        decided: (Month::January, 15),
        signed: Some((Month::February, 1)),
        visa: false,
        reports: &[
            ReportState::Accepted,
            ReportState::Submitted,
            ReportState::Due,
        ],
    },
    Demo {
        partner: Some(("PLIE du territoire (démonstration)", "94028")),
        commune: None,
        category: Category::Plie,
        title: "Parcours d'insertion du PLIE : accompagnement renforcé",
        first_year: 0,
        amounts: &[50_000],
        indicators: &[("Participants en parcours", 300), ("Sorties positives", 90)],
        decided: (Month::March, 10),
        signed: Some((Month::March, 24)),
        visa: false,
        reports: &[ReportState::Due],
    },
    Demo {
        partner: Some(("Plateforme mobilité (démonstration)", "94011")),
        commune: None,
        category: Category::Mobilite,
        title: "Auto-école sociale et location de deux-roues pour l'emploi",
        first_year: 0,
        amounts: &[18_000],
        indicators: &[("Personnes accompagnées", 60)],
        decided: (Month::April, 2),
        signed: None,
        visa: false,
        reports: &[ReportState::Due],
    },
    Demo {
        partner: None,
        commune: Some("94028"),
        category: Category::ForumEmploi,
        title: "Forum emploi de Créteil co-financé par le territoire",
        first_year: 0,
        amounts: &[15_000],
        indicators: &[("Visiteurs", 1_500), ("Entreprises présentes", 60)],
        decided: (Month::February, 1),
        signed: None,
        visa: false,
        reports: &[ReportState::Due],
    },
    Demo {
        partner: None,
        commune: Some("94004"),
        category: Category::ServiceEmploi,
        title: "Service emploi de Boissy-Saint-Léger",
        first_year: -1,
        amounts: &[20_000, 20_000],
        indicators: &[("Demandeurs d'emploi reçus", 350)],
        decided: (Month::January, 25),
        signed: Some((Month::February, 14)),
        visa: true,
        reports: &[ReportState::Accepted, ReportState::Due],
    },
];

fn day(year: i32, (month, d): (Month, u8)) -> Option<Date> {
    Date::from_calendar_date(year, month, d).ok()
}

/// A demo convention's forecast for a year: personnel and purchases, covered by the
/// territory's subsidy and the partner's other funders.
fn forecast(amount: i64) -> Budget {
    let cents = amount * 100;
    let lines = [
        (60, cents / 2),
        (64, cents * 2 - cents / 2),
        (74, cents * 3 / 2),
        (75, cents / 2),
    ]
    .into_iter()
    .map(|(a, c)| (a, Euros::from_cents(c)))
    .collect();
    Budget { lines }
}

impl Store {
    /// Loads the demo conventions; `agent` signs them.
    pub(crate) async fn load_demo_conventions(
        &self,
        scope: Scope,
        agent: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let today = paris_day(now);
        let this_year = today.year();
        for (k, d) in DEMOS.iter().enumerate() {
            let first = this_year + d.first_year;
            let Some(decided_on) = day(first, d.decided).filter(|x| *x <= today) else {
                continue;
            };
            let organisation_id = match d.partner {
                Some((name, commune)) => {
                    let tx = self.begin_write().await?;
                    let id =
                        demo_organisation(&tx, now, scope, name, LegalForm::Association, commune)
                            .await?;
                    tx.commit().await?;
                    Some(id)
                }
                None => None,
            };
            let years: Vec<(i32, Euros)> = d
                .amounts
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    (
                        first + i32::try_from(i).unwrap_or(0),
                        Euros::from_cents(a * 100),
                    )
                })
                .collect();
            let c = Convention {
                category: d.category,
                organisation_id,
                commune_code: d.commune.map(str::to_owned),
                title: d.title.into(),
                years: years.clone(),
                decided_on,
                deliberation: format!(
                    "Délibération du conseil de territoire {first} (démonstration)"
                ),
                indicators: d
                    .indicators
                    .iter()
                    .map(|(l, t)| Indicator {
                        label: (*l).into(),
                        target: *t,
                    })
                    .collect(),
                siege: false,
            };
            let a = self.create_convention(None, scope, &c).await?;
            let signed_on = d.signed.and_then(|s| day(first, s)).filter(|x| *x <= today);
            let tx = self.begin_write().await?;
            if let Some(on) = signed_on {
                let mut am: award::ActiveModel = award::Entity::find_by_id(a.id)
                    .filter(award::Column::TerritoryId.eq(scope.territory_id()))
                    .first(&tx)
                    .await?
                    .ok_or(StoreError::NotFound)?
                    .into();
                if d.visa {
                    am.commune_visa_on = Set(Some(on - Duration::days(7)));
                }
                am.convention_signed_on = Set(Some(on));
                am.update(&tx).await?;
                for act in [action::AWARD_VISA, action::AWARD_SIGN]
                    .into_iter()
                    .filter(|x| d.visa || *x == action::AWARD_SIGN)
                {
                    crate::funding::journal(&tx, now, Some(agent), scope, act, "award", a.id)
                        .await?;
                }
            }
            let schedule = Schedule::default();
            for (i, (year, amount)) in years.iter().enumerate() {
                let parts = schedule.amounts(*amount);
                // The advance: after the signature, from mid-January of its year.
                let advance_on = signed_on.and_then(|s| {
                    let from = day(*year, (Month::January, 15))?;
                    Some((s + Duration::days(20)).max(from))
                });
                if let Some(on) = advance_on.filter(|x| *x <= today) {
                    let mandate = format!("MDT-{year}-C{:02}-1", k + 1);
                    let part = parts.first().copied().unwrap_or_default();
                    insert_payment(&tx, now, Some(agent), scope, a.id, on, part, &mandate).await?;
                }
                let state = d.reports.get(i).copied().unwrap_or(ReportState::Due);
                let submitted_on = day(year + 1, (Month::April, 10)).unwrap_or(today);
                let accepted_on = day(year + 1, (Month::May, 12)).unwrap_or(today);
                if state == ReportState::Due || submitted_on > today {
                    continue;
                }
                let state = if accepted_on > today {
                    ReportState::Submitted
                } else {
                    state
                };
                let mut report = demo_report_content(&forecast(amount.cents() / 100), i);
                report.indicators = c
                    .indicators
                    .iter()
                    .map(|ind| IndicatorResult {
                        label: ind.label.clone(),
                        target: ind.target,
                        achieved: ind.target * 21 / 20,
                    })
                    .collect();
                self.demo_report(
                    &tx,
                    scope,
                    a.id,
                    *year,
                    state,
                    &report,
                    submitted_on,
                    accepted_on,
                )
                .await?;
                let balance_on = accepted_on + Duration::days(8);
                if state == ReportState::Accepted && balance_on <= today {
                    let mandate = format!("MDT-{year}-C{:02}-2", k + 1);
                    let part = parts.get(1).copied().unwrap_or_default();
                    insert_payment(
                        &tx,
                        now,
                        Some(agent),
                        scope,
                        a.id,
                        balance_on,
                        part,
                        &mandate,
                    )
                    .await?;
                }
            }
            tx.commit().await?;
        }
        Ok(())
    }
}
