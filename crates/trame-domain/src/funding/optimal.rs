//! The optimal scenario: the selection of dossiers with the greatest total weighted score
//! that fits in the envelopes.
//!
//! Each eligible dossier is funded whole or not at all: its amount is what the rule's
//! ceilings allow (the least of its request, the amount ceiling and the share of its
//! budget, rounded down to the step), so that the optimum cannot be gamed by funding many
//! dossiers at their minimum share. A dossier that applies to an earmarked sub-envelope
//! draws on it first, then on the general envelope — as in the default rule.
//!
//! Method: an exact 0/1 knapsack by dynamic programming over the general envelope counted
//! in steps. Each earmarked group is solved as its own knapsack whose capacity is its
//! sub-envelope plus what it borrows from the general envelope; the groups and the general
//! dossiers are then combined over the general envelope. When an edition's envelopes count
//! more than 4,000 steps (400,000 € at 100 €), the unit grows (amounts counted rounded up, so every selection
//! still fits).

use super::allocation::{
    Candidate, Envelopes, Line, Outcome, Rule, capped, percent_of, ranking, round_down,
};
use crate::money::Euros;
use std::collections::BTreeMap;

const MAX_UNITS: i64 = 4_000;

/// A 0/1 knapsack over `items` (weight in units, score) up to `capacity`: the best score
/// for each capacity and, per item, whether it is taken at each capacity.
fn knapsack(items: &[(usize, f64)], capacity: usize) -> (Vec<f64>, Vec<Vec<bool>>) {
    let mut best = vec![0.0f64; capacity + 1];
    let mut keep = Vec::with_capacity(items.len());
    for &(w, s) in items {
        let mut k = vec![false; capacity + 1];
        if w <= capacity {
            for c in (w..=capacity).rev() {
                let with = best.get(c - w).copied().unwrap_or(0.0) + s;
                if let Some(b) = best.get_mut(c)
                    && with > *b
                {
                    *b = with;
                    if let Some(kc) = k.get_mut(c) {
                        *kc = true;
                    }
                }
            }
        }
        keep.push(k);
    }
    (best, keep)
}

/// Which items a knapsack took at `capacity`.
fn taken(items: &[(usize, f64)], keep: &[Vec<bool>], capacity: usize) -> Vec<usize> {
    let mut c = capacity;
    let mut out = Vec::new();
    for i in (0..items.len()).rev() {
        let took = keep.get(i).and_then(|k| k.get(c)).copied().unwrap_or(false);
        if took && let Some(&(w, _)) = items.get(i) {
            out.push(i);
            c -= w;
        }
    }
    out
}

enum Stage {
    /// A dossier on the general envelope: its index and weight.
    Single {
        idx: usize,
        w: usize,
        keep: Vec<bool>,
    },
    /// An earmarked group: its dossiers, their knapsack, the sub-envelope in units, and
    /// for each general capacity how many units the group borrowed.
    Group {
        members: Vec<usize>,
        items: Vec<(usize, f64)>,
        keep: Vec<Vec<bool>>,
        own: usize,
        borrowed: Vec<usize>,
    },
}

/// The optimal selection, as lines in ranking order.
pub fn optimal(rule: &Rule, envelopes: &Envelopes, candidates: &[Candidate]) -> Vec<Line> {
    let order = ranking(candidates);
    let step = rule.step.cents().max(1);
    let total: i64 = envelopes.general.cents().max(0)
        + envelopes
            .earmarked
            .values()
            .map(|e| e.cents().max(0))
            .sum::<i64>();
    let mut unit = step;
    while total / unit > MAX_UNITS {
        unit = unit.saturating_mul(2);
    }
    let units_down = |cents: i64| usize::try_from(cents.max(0) / unit).unwrap_or(0);
    let units_up = |cents: i64| usize::try_from((cents.max(0) + unit - 1) / unit).unwrap_or(0);

    // The whole amount of each fundable dossier, in ranking order.
    let mut amounts: Vec<Option<i64>> = Vec::with_capacity(order.len());
    for c in &order {
        let amount = round_down(capped(rule, c), step);
        let minimum = percent_of(c.requested.cents(), rule.minimum_share_percent);
        amounts.push((c.eligible && amount > 0 && amount >= minimum).then_some(amount));
    }
    let general_units = units_down(envelopes.general.cents());
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut singles = Vec::new();
    for (i, c) in order.iter().enumerate() {
        if amounts.get(i).copied().flatten().is_none() {
            continue;
        }
        match c.earmarked.as_deref() {
            Some(k) if envelopes.earmarked.contains_key(k) => groups.entry(k).or_default().push(i),
            _ => singles.push(i),
        }
    }
    let weight = |i: usize| units_up(amounts.get(i).copied().flatten().unwrap_or(0));
    let score = |i: usize| order.get(i).map(|c| c.score.max(0.0) + 1e-9).unwrap_or(0.0);

    // Combine stage by stage over the general envelope.
    let mut h = vec![0.0f64; general_units + 1];
    let mut stages = Vec::new();
    for &i in &singles {
        let (w, s) = (weight(i), score(i));
        let mut keep = vec![false; general_units + 1];
        if w <= general_units {
            for g in (w..=general_units).rev() {
                let with = h.get(g - w).copied().unwrap_or(0.0) + s;
                if let Some(hg) = h.get_mut(g)
                    && with > *hg
                {
                    *hg = with;
                    if let Some(k) = keep.get_mut(g) {
                        *k = true;
                    }
                }
            }
        }
        stages.push(Stage::Single { idx: i, w, keep });
    }
    for (code, members) in &groups {
        let own = units_down(envelopes.earmarked.get(*code).map_or(0, |e| e.cents()));
        let items: Vec<(usize, f64)> = members.iter().map(|&i| (weight(i), score(i))).collect();
        let (best, keep) = knapsack(&items, own + general_units);
        let mut next = vec![0.0f64; general_units + 1];
        let mut borrowed = vec![0usize; general_units + 1];
        // Only the amounts borrowed where the group's best score rises are worth trying.
        let rises: Vec<usize> = (0..=general_units)
            .filter(|&x| {
                x == 0
                    || best.get(own + x).copied().unwrap_or(0.0)
                        > best.get(own + x - 1).copied().unwrap_or(0.0)
            })
            .collect();
        for g in 0..=general_units {
            for &x in rises.iter().take_while(|&&x| x <= g) {
                let v = h.get(g - x).copied().unwrap_or(0.0)
                    + best.get(own + x).copied().unwrap_or(0.0);
                if let Some(n) = next.get_mut(g)
                    && v > *n
                {
                    *n = v;
                    if let Some(b) = borrowed.get_mut(g) {
                        *b = x;
                    }
                }
            }
        }
        h = next;
        stages.push(Stage::Group {
            members: members.clone(),
            items,
            keep,
            own,
            borrowed,
        });
    }

    // Walk the stages back to read the selection.
    let mut chosen = vec![false; order.len()];
    let mut g = general_units;
    for stage in stages.iter().rev() {
        match stage {
            Stage::Single { idx, w, keep } => {
                if keep.get(g).copied().unwrap_or(false) {
                    if let Some(c) = chosen.get_mut(*idx) {
                        *c = true;
                    }
                    g -= w;
                }
            }
            Stage::Group {
                members,
                items,
                keep,
                own,
                borrowed,
            } => {
                let x = borrowed.get(g).copied().unwrap_or(0);
                for k in taken(items, keep, own + x) {
                    if let Some(c) = members.get(k).and_then(|&i| chosen.get_mut(i)) {
                        *c = true;
                    }
                }
                g -= x;
            }
        }
    }

    // Lines in ranking order; earmarked money is drawn first, in ranking order.
    let mut left: BTreeMap<&str, i64> = envelopes
        .earmarked
        .iter()
        .map(|(k, v)| (k.as_str(), v.cents().max(0)))
        .collect();
    order
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let outcome = match amounts.get(i).copied().flatten() {
                _ if !c.eligible => Outcome::Ineligible,
                None => Outcome::BelowMinimum {
                    possible: Euros::from_cents(round_down(capped(rule, c), step)),
                },
                Some(amount) if chosen.get(i).copied().unwrap_or(false) => {
                    let sub = c
                        .earmarked
                        .as_deref()
                        .and_then(|k| left.get_mut(k))
                        .map(|l| {
                            let from = amount.min(*l);
                            *l -= from;
                            from
                        })
                        .unwrap_or(0);
                    Outcome::Granted {
                        amount: Euros::from_cents(amount),
                        from_earmarked: Euros::from_cents(sub),
                    }
                }
                Some(_) => Outcome::NotSelected,
            };
            Line {
                id: c.id,
                rank: i + 1,
                outcome,
            }
        })
        .collect()
}

/// The total weighted score of the dossiers a set of lines funds.
pub fn total_score(lines: &[Line], candidates: &[Candidate]) -> f64 {
    lines
        .iter()
        .filter(|l| matches!(l.outcome, Outcome::Granted { .. }))
        .filter_map(|l| candidates.iter().find(|c| c.id == l.id))
        .map(|c| c.score)
        .sum()
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

    #[test]
    fn two_good_dossiers_beat_one_excellent_one_that_fills_the_envelope() {
        let env = Envelopes {
            general: eur(20_000),
            earmarked: BTreeMap::new(),
        };
        let cs = [
            cand(1, 18.0, 20_000, None),
            cand(2, 15.0, 10_000, None),
            cand(3, 14.0, 10_000, None),
        ];
        let rule = Rule::default();
        let lines = optimal(&rule, &env, &cs);
        let granted: Vec<i64> = lines
            .iter()
            .filter(|l| matches!(l.outcome, Outcome::Granted { .. }))
            .map(|l| l.id)
            .collect();
        assert_eq!(granted, vec![2, 3]);
        assert_eq!(lines[0].outcome, Outcome::NotSelected);
        // The default rule funds the best one first.
        let by_rule = super::super::allocation::propose(&rule, &env, &cs);
        assert!(total_score(&lines, &cs) > total_score(&by_rule, &cs));
    }

    #[test]
    fn an_earmarked_dossier_borrows_from_the_general_envelope() {
        let env = Envelopes {
            general: eur(5_000),
            earmarked: [("pat".to_owned(), eur(10_000))].into(),
        };
        let lines = optimal(
            &Rule::default(),
            &env,
            &[
                cand(1, 12.0, 12_000, Some("pat")),
                cand(2, 10.0, 3_000, None),
            ],
        );
        assert_eq!(
            lines[0].outcome,
            Outcome::Granted {
                amount: eur(12_000),
                from_earmarked: eur(10_000)
            }
        );
        assert_eq!(
            lines[1].outcome,
            Outcome::Granted {
                amount: eur(3_000),
                from_earmarked: eur(0)
            }
        );
    }

    /// Best score by trying every subset: the reference for small cases.
    fn brute_force(rule: &Rule, env: &Envelopes, cs: &[Candidate]) -> f64 {
        let fundable: Vec<(&Candidate, i64)> = cs
            .iter()
            .filter(|c| c.eligible)
            .map(|c| (c, round_down(capped(rule, c), rule.step.cents())))
            .filter(|(c, a)| {
                *a > 0 && *a >= percent_of(c.requested.cents(), rule.minimum_share_percent)
            })
            .collect();
        let mut best = 0.0f64;
        for mask in 0u32..(1 << fundable.len()) {
            let mut by_sub: BTreeMap<&str, i64> = BTreeMap::new();
            let mut general = 0i64;
            let mut score = 0.0;
            for (i, (c, a)) in fundable.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    score += c.score;
                    match c.earmarked.as_deref() {
                        Some(k) if env.earmarked.contains_key(k) => {
                            *by_sub.entry(k).or_default() += a
                        }
                        _ => general += a,
                    }
                }
            }
            for (k, used) in by_sub {
                general += (used - env.earmarked[k].cents()).max(0);
            }
            if general <= env.general.cents() && score > best {
                best = score;
            }
        }
        best
    }

    proptest! {
        #[test]
        fn the_optimum_fits_and_matches_an_exhaustive_search(
            raw in proptest::collection::vec(
                (0u32..20, 1i64..100, proptest::option::of(0usize..2), any::<bool>()), 0..10),
            general in 0i64..300,
            pat in 0i64..80,
            qpv in 0i64..80,
        ) {
            let cs: Vec<Candidate> = raw.iter().enumerate().map(|(i, (s, req, sub, el))| Candidate {
                id: i as i64,
                score: f64::from(*s),
                submitted_rank: i as i64,
                eligible: *el,
                requested: eur(req * 100),
                project_budget: eur(req * 200),
                earmarked: sub.map(|s| ["pat", "qpv"][s].to_owned()),
            }).collect();
            let env = Envelopes {
                general: eur(general * 100),
                earmarked: [("pat".to_owned(), eur(pat * 100)), ("qpv".to_owned(), eur(qpv * 100))].into(),
            };
            let rule = Rule::default();
            let lines = optimal(&rule, &env, &cs);
            prop_assert_eq!(lines.len(), cs.len());
            let mut general_used = 0i64;
            let mut sub_used: BTreeMap<String, i64> = BTreeMap::new();
            for l in &lines {
                if let Outcome::Granted { amount, from_earmarked } = &l.outcome {
                    let c = &cs[l.id as usize];
                    prop_assert!(c.eligible);
                    general_used += amount.cents() - from_earmarked.cents();
                    if let Some(k) = &c.earmarked {
                        *sub_used.entry(k.clone()).or_default() += from_earmarked.cents();
                    }
                }
            }
            prop_assert!(general_used <= env.general.cents());
            for (k, used) in &sub_used {
                prop_assert!(*used <= env.earmarked[k].cents());
            }
            let got = total_score(&lines, &cs);
            let want = brute_force(&rule, &env, &cs);
            prop_assert!((got - want).abs() < 1e-6, "optimal {} < exhaustive {}", got, want);
        }
    }
}
