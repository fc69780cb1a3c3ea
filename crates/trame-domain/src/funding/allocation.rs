//! The committee's allocation proposal, by the documented default rule:
//!
//! 1. Eligible dossiers in descending weighted score; ties go to the earlier submission.
//! 2. Each gets the least of its request, the per-dossier ceiling (an amount and a share of
//!    the project budget) and what remains of its envelopes — the earmarked sub-envelope it
//!    applies to first, then the general envelope.
//! 3. Amounts are rounded down to a step (100 € by default).
//! 4. When that is below a minimum share of the request (50 % by default), the dossier is
//!    skipped and the next one considered.
//!
//! The committee may then override any amount (with a reason, elsewhere); this module only
//! proposes.

use crate::money::Euros;
use std::collections::BTreeMap;

/// Settings of the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Per-dossier ceiling, as an amount.
    pub ceiling: Euros,
    /// Per-dossier ceiling, as a share of the project budget, in percent.
    pub ceiling_share_percent: u8,
    /// Below this share of the request (percent), a dossier is skipped.
    pub minimum_share_percent: u8,
    /// Amounts are rounded down to a multiple of this.
    pub step: Euros,
}

impl Default for Rule {
    fn default() -> Self {
        Rule {
            ceiling: Euros::from_cents(100_000_000),
            ceiling_share_percent: 100,
            minimum_share_percent: 50,
            step: Euros::from_cents(10_000),
        }
    }
}

/// The money to share: a general envelope and earmarked sub-envelopes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Envelopes {
    /// The general envelope (total minus the sub-envelopes).
    pub general: Euros,
    /// Earmarked sub-envelopes, by code (such as `pat` for the Projet Alimentaire
    /// Territorial).
    pub earmarked: BTreeMap<String, Euros>,
}

/// A dossier as the rule sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The dossier's id.
    pub id: i64,
    /// Weighted score, higher is better.
    pub score: f64,
    /// Order of submission (smaller is earlier), for ties.
    pub submitted_rank: i64,
    /// Whether the dossier passed the eligibility checklist.
    pub eligible: bool,
    /// Amount requested.
    pub requested: Euros,
    /// Total budget of the project.
    pub project_budget: Euros,
    /// The earmarked sub-envelope it applies to.
    pub earmarked: Option<String>,
}

/// What the rule proposes for one dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Granted, from the earmarked sub-envelope and from the general envelope.
    Granted {
        /// Total amount.
        amount: Euros,
        /// Part taken from the earmarked sub-envelope.
        from_earmarked: Euros,
    },
    /// Not eligible.
    Ineligible,
    /// What remained was below the minimum share of the request.
    BelowMinimum {
        /// What could have been given.
        possible: Euros,
    },
    /// Eligible and fundable, but not in the selection (the optimal scenario funds whole
    /// amounts only).
    NotSelected,
}

/// One line of the proposal, in ranking order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The dossier's id.
    pub id: i64,
    /// Rank in the ranking, from 1.
    pub rank: usize,
    /// What it gets.
    pub outcome: Outcome,
}

pub(crate) fn round_down(amount: i64, step: i64) -> i64 {
    if step <= 0 {
        amount.max(0)
    } else {
        (amount.max(0) / step) * step
    }
}

pub(crate) fn percent_of(amount: i64, percent: u8) -> i64 {
    // i128 so that no realistic amount overflows.
    i64::try_from(i128::from(amount) * i128::from(percent) / 100).unwrap_or(i64::MAX)
}

/// The ranking: eligible first, then descending score, ties to the earlier submission.
pub fn ranking(candidates: &[Candidate]) -> Vec<&Candidate> {
    let mut order: Vec<&Candidate> = candidates.iter().collect();
    order.sort_by(|a, b| {
        b.eligible
            .cmp(&a.eligible)
            .then(b.score.total_cmp(&a.score))
            .then(a.submitted_rank.cmp(&b.submitted_rank))
            .then(a.id.cmp(&b.id))
    });
    order
}

/// The most a dossier may get under the rule's ceilings (before envelopes), in cents.
pub(crate) fn capped(rule: &Rule, c: &Candidate) -> i64 {
    c.requested
        .cents()
        .min(rule.ceiling.cents())
        .min(percent_of(
            c.project_budget.cents(),
            rule.ceiling_share_percent,
        ))
        .max(0)
}

/// Proposes the allocation of `envelopes` among `candidates` by `rule`.
pub fn propose(rule: &Rule, envelopes: &Envelopes, candidates: &[Candidate]) -> Vec<Line> {
    let order = ranking(candidates);
    let mut general = envelopes.general.cents().max(0);
    let mut earmarked: BTreeMap<&str, i64> = envelopes
        .earmarked
        .iter()
        .map(|(k, v)| (k.as_str(), v.cents().max(0)))
        .collect();
    let step = rule.step.cents();
    order
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let outcome = if !c.eligible {
                Outcome::Ineligible
            } else {
                let cap = capped(rule, c);
                let sub_left = c
                    .earmarked
                    .as_deref()
                    .and_then(|k| earmarked.get(k).copied())
                    .unwrap_or(0);
                let possible = round_down(cap.min(sub_left.saturating_add(general)), step);
                let minimum = percent_of(c.requested.cents(), rule.minimum_share_percent);
                if possible <= 0 || possible < minimum {
                    Outcome::BelowMinimum {
                        possible: Euros::from_cents(possible),
                    }
                } else {
                    let from_sub = possible.min(sub_left);
                    if let Some(left) = c.earmarked.as_deref().and_then(|k| earmarked.get_mut(k)) {
                        *left -= from_sub;
                    }
                    general -= possible - from_sub;
                    Outcome::Granted {
                        amount: Euros::from_cents(possible),
                        from_earmarked: Euros::from_cents(from_sub),
                    }
                }
            };
            Line {
                id: c.id,
                rank: i + 1,
                outcome,
            }
        })
        .collect()
}

/// The weighted score of a dossier: the mean of its reviewers' scores per criterion, each
/// multiplied by the criterion's weight, summed. Criteria without a score count as 0.
pub fn weighted_score(scores_per_criterion: &[f64], weights: &[f64]) -> f64 {
    scores_per_criterion
        .iter()
        .zip(weights)
        .map(|(s, w)| s * w)
        .sum()
}

/// Total granted by a proposal.
pub fn total_granted(lines: &[Line]) -> Euros {
    Euros::from_cents(
        lines
            .iter()
            .map(|l| match l.outcome {
                Outcome::Granted { amount, .. } => amount.cents(),
                _ => 0,
            })
            .sum(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(e: i64) -> Euros {
        Euros::from_cents(e * 100)
    }

    fn cand(id: i64, score: f64, requested: i64, sub: Option<&str>) -> Candidate {
        Candidate {
            id,
            score,
            submitted_rank: id,
            eligible: true,
            requested: eur(requested),
            project_budget: eur(requested * 4),
            earmarked: sub.map(str::to_owned),
        }
    }

    /// GPSEA 2024: 60,000 € of which 10,000 € for the Projet Alimentaire Territorial.
    fn gpsea_2024() -> Envelopes {
        Envelopes {
            general: eur(50_000),
            earmarked: [("pat".to_owned(), eur(10_000))].into(),
        }
    }

    #[test]
    fn the_documented_rule_on_a_small_edition() {
        let rule = Rule {
            ceiling: eur(15_000),
            ..Rule::default()
        };
        let lines = propose(
            &rule,
            &gpsea_2024(),
            &[
                cand(1, 16.5, 20_000, None),        // capped at 15,000
                cand(2, 15.0, 12_000, Some("pat")), // 10,000 PAT + 2,000 general
                cand(3, 14.0, 30_000, None),        // 15,000 (ceiling)
                cand(4, 13.0, 9_999, None),         // rounded down to 9,900
                cand(5, 12.0, 20_000, None),        // 8,100 left < 10,000 minimum: skipped
                cand(6, 11.0, 8_000, None),         // 8,000 ≤ 8,100 left
                Candidate {
                    eligible: false,
                    ..cand(7, 19.0, 5_000, None)
                },
            ],
        );
        let outcomes: Vec<(i64, Outcome)> =
            lines.iter().map(|l| (l.id, l.outcome.clone())).collect();
        assert_eq!(
            outcomes,
            vec![
                (
                    1,
                    Outcome::Granted {
                        amount: eur(15_000),
                        from_earmarked: eur(0)
                    }
                ),
                (
                    2,
                    Outcome::Granted {
                        amount: eur(12_000),
                        from_earmarked: eur(10_000)
                    }
                ),
                (
                    3,
                    Outcome::Granted {
                        amount: eur(15_000),
                        from_earmarked: eur(0)
                    }
                ),
                (
                    4,
                    Outcome::Granted {
                        amount: eur(9_900),
                        from_earmarked: eur(0)
                    }
                ),
                (
                    5,
                    Outcome::BelowMinimum {
                        possible: eur(8_100)
                    }
                ),
                (
                    6,
                    Outcome::Granted {
                        amount: eur(8_000),
                        from_earmarked: eur(0)
                    }
                ),
                (7, Outcome::Ineligible),
            ]
        );
        assert_eq!(total_granted(&lines), eur(59_900));
    }

    #[test]
    fn ties_go_to_the_earlier_submission() {
        let mut late = cand(1, 15.0, 40_000, None);
        late.submitted_rank = 9;
        let early = cand(2, 15.0, 40_000, None);
        let lines = propose(
            &Rule::default(),
            &Envelopes {
                general: eur(50_000),
                ..Default::default()
            },
            &[late, early],
        );
        assert_eq!(lines[0].id, 2);
        assert!(matches!(lines[1].outcome, Outcome::BelowMinimum { .. }));
    }

    fn candidates() -> impl Strategy<Value = Vec<Candidate>> {
        proptest::collection::vec(
            (
                0.0f64..20.0,
                1i64..40_000,
                1i64..200_000,
                proptest::option::of(0usize..2),
                any::<bool>(),
            ),
            0..60,
        )
        .prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (score, req, budget, sub, eligible))| Candidate {
                    id: i as i64,
                    score,
                    submitted_rank: i as i64,
                    eligible,
                    requested: eur(req),
                    project_budget: eur(budget),
                    earmarked: sub.map(|s| ["pat", "qpv"][s].to_owned()),
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn no_envelope_is_exceeded_and_every_grant_keeps_the_rule(
            cs in candidates(),
            general in 0i64..100_000,
            pat in 0i64..20_000,
            qpv in 0i64..20_000,
            ceiling in 1_000i64..30_000,
            share in 1u8..=100,
            minimum in 0u8..=100,
        ) {
            let rule = Rule { ceiling: eur(ceiling), ceiling_share_percent: share, minimum_share_percent: minimum, step: eur(100) };
            let env = Envelopes { general: eur(general), earmarked: [("pat".to_owned(), eur(pat)), ("qpv".to_owned(), eur(qpv))].into() };
            let lines = propose(&rule, &env, &cs);
            prop_assert_eq!(lines.len(), cs.len());
            let mut from_sub: BTreeMap<String, i64> = BTreeMap::new();
            let mut from_general = 0i64;
            for l in &lines {
                let c = cs.iter().find(|c| c.id == l.id).ok_or_else(|| TestCaseError::fail("lost"))?;
                if let Outcome::Granted { amount, from_earmarked } = l.outcome {
                    prop_assert!(c.eligible);
                    prop_assert!(amount <= c.requested && amount.cents() <= rule.ceiling.cents());
                    prop_assert!(amount.cents() <= percent_of(c.project_budget.cents(), share));
                    prop_assert_eq!(amount.cents() % rule.step.cents(), 0);
                    prop_assert!(amount.cents() >= percent_of(c.requested.cents(), minimum));
                    prop_assert!(amount.cents() > 0);
                    if let Some(k) = &c.earmarked { *from_sub.entry(k.clone()).or_default() += from_earmarked.cents(); } else { prop_assert_eq!(from_earmarked.cents(), 0); }
                    from_general += amount.cents() - from_earmarked.cents();
                }
            }
            prop_assert!(from_general <= eur(general).cents());
            prop_assert!(from_sub.get("pat").copied().unwrap_or(0) <= eur(pat).cents());
            prop_assert!(from_sub.get("qpv").copied().unwrap_or(0) <= eur(qpv).cents());
            // The ranking is by eligibility, then score.
            for w in lines.windows(2) {
                let (a, b) = (cs.iter().find(|c| c.id == w[0].id), cs.iter().find(|c| c.id == w[1].id));
                if let (Some(a), Some(b)) = (a, b) {
                    prop_assert!(a.eligible >= b.eligible);
                    if a.eligible == b.eligible { prop_assert!(a.score >= b.score); }
                }
            }
        }
    }
}
