//! The lists without words: every indexed service in a slot, one bitset of slots per
//! filter code, and the slots in name order. A filtered list in name order is then a few
//! bitwise operations and one walk of the name order, with no hashing per service (the
//! tantivy path collected matches into hash sets: measured as a quarter of the list
//! page's time).

use std::collections::{BTreeSet, HashMap};

/// A set of slots, one bit each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    fn with_len(slots: usize) -> Bits {
        Bits(vec![0; slots.div_ceil(64)])
    }

    fn set(&mut self, slot: u32) {
        let (w, b) = (slot as usize / 64, slot % 64);
        if self.0.len() <= w {
            self.0.resize(w + 1, 0);
        }
        if let Some(word) = self.0.get_mut(w) {
            *word |= 1 << b;
        }
    }

    fn clear(&mut self, slot: u32) {
        if let Some(word) = self.0.get_mut(slot as usize / 64) {
            *word &= !(1 << (slot % 64));
        }
    }

    fn has(&self, slot: u32) -> bool {
        self.0
            .get(slot as usize / 64)
            .is_some_and(|w| w & (1 << (slot % 64)) != 0)
    }

    fn or(&mut self, other: &Bits) {
        for (i, w) in other.0.iter().enumerate() {
            if let Some(mine) = self.0.get_mut(i) {
                *mine |= w;
            }
        }
    }

    fn and(&mut self, other: &Bits) {
        for (i, mine) in self.0.iter_mut().enumerate() {
            *mine &= other.0.get(i).copied().unwrap_or(0);
        }
    }

    fn count(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }
}

/// The lists of one index.
#[derive(Debug, Default)]
pub(crate) struct Lists {
    /// (sort key, id), in name order.
    names: BTreeSet<(String, i64)>,
    /// Each id's sort key and slot.
    entries: HashMap<i64, (String, u32)>,
    /// Each slot's id (`None`: free).
    ids: Vec<Option<i64>>,
    /// Free slots.
    free: Vec<u32>,
    /// Slots holding a service.
    all: Bits,
    /// `kind:code` → the slots of the services carrying it.
    codes: HashMap<String, Bits>,
    /// Slots in name order, rebuilt after each change.
    order: Vec<u32>,
}

impl Lists {
    /// Drops a service.
    pub(crate) fn remove(&mut self, id: i64) {
        if let Some((key, slot)) = self.entries.remove(&id) {
            self.names.remove(&(key, id));
            self.all.clear(slot);
            for bits in self.codes.values_mut() {
                bits.clear(slot);
            }
            if let Some(s) = self.ids.get_mut(slot as usize) {
                *s = None;
            }
            self.free.push(slot);
        }
    }

    /// Adds a service (after [`Lists::remove`] of its previous version).
    pub(crate) fn add(&mut self, id: i64, key: String, codes: &[(String, String)]) {
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.ids.push(None);
                u32::try_from(self.ids.len() - 1).unwrap_or(u32::MAX)
            }
        };
        if let Some(s) = self.ids.get_mut(slot as usize) {
            *s = Some(id);
        }
        self.all.set(slot);
        for (kind, code) in codes {
            self.codes
                .entry(format!("{kind}:{code}"))
                .or_default()
                .set(slot);
        }
        self.names.insert((key.clone(), id));
        self.entries.insert(id, (key, slot));
    }

    /// Rebuilds the name order of slots; called once after a batch of changes.
    pub(crate) fn reorder(&mut self) {
        self.order = self
            .names
            .iter()
            .filter_map(|(_, id)| self.entries.get(id).map(|(_, slot)| *slot))
            .collect();
    }

    /// How many services the lists hold.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The slots matching every kind's filter (any code within a kind).
    pub(crate) fn matching(&self, filters: &[(String, Vec<String>)]) -> Bits {
        let mut out = self.all.clone();
        for (kind, codes) in filters {
            let mut any = Bits::with_len(self.ids.len());
            for c in codes {
                if let Some(bits) = self.codes.get(&format!("{kind}:{c}")) {
                    any.or(bits);
                }
            }
            out.and(&any);
        }
        out
    }

    /// How many services match.
    pub(crate) fn count(&self, filters: &[(String, Vec<String>)]) -> usize {
        self.matching(filters).count()
    }

    /// One page of the matching services in name order, and how many match.
    pub(crate) fn page(
        &self,
        filters: &[(String, Vec<String>)],
        offset: usize,
        limit: usize,
    ) -> (usize, Vec<i64>) {
        if filters.is_empty() {
            let ids = self
                .names
                .iter()
                .skip(offset)
                .take(limit)
                .map(|(_, id)| *id)
                .collect();
            return (self.len(), ids);
        }
        let m = self.matching(filters);
        let total = m.count();
        let ids = self
            .order
            .iter()
            .filter(|slot| m.has(**slot))
            .skip(offset)
            .take(limit)
            .filter_map(|slot| self.ids.get(*slot as usize).copied().flatten())
            .collect();
        (total, ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, c)| ((*k).to_owned(), (*c).to_owned()))
            .collect()
    }

    #[test]
    fn filters_combine_any_within_a_kind_and_all_across_kinds_in_name_order() {
        let mut l = Lists::default();
        l.add(1, "c".into(), &codes(&[("t", "mobilite"), ("z", "94028")]));
        l.add(2, "a".into(), &codes(&[("t", "mobilite"), ("z", "94")]));
        l.add(3, "b".into(), &codes(&[("t", "sante"), ("z", "94028")]));
        l.reorder();
        let zone = ("z".to_owned(), vec!["94028".to_owned(), "94".to_owned()]);
        let theme = ("t".to_owned(), vec!["mobilite".to_owned()]);
        assert_eq!(
            l.page(std::slice::from_ref(&zone), 0, 10),
            (3, vec![2, 3, 1])
        );
        assert_eq!(
            l.page(&[zone.clone(), theme.clone()], 0, 10),
            (2, vec![2, 1])
        );
        assert_eq!(l.page(&[zone.clone(), theme.clone()], 1, 10), (2, vec![1]));
        assert_eq!(l.page(&[], 0, 2), (3, vec![2, 3]));
        assert_eq!(l.count(&[("t".into(), vec!["inconnu".into()])]), 0);
        // An update moves it; a removal frees its slot for the next one.
        l.remove(2);
        l.add(2, "d".into(), &codes(&[("t", "sante")]));
        l.remove(1);
        l.add(4, "e".into(), &codes(&[("t", "mobilite"), ("z", "94")]));
        l.reorder();
        assert_eq!(l.page(std::slice::from_ref(&theme), 0, 10), (1, vec![4]));
        assert_eq!(l.page(&[zone], 0, 10), (2, vec![3, 4]));
        assert_eq!(l.len(), 3);
    }

    #[test]
    fn slots_past_the_first_word_work() {
        let mut l = Lists::default();
        for i in 0..200 {
            let kind = if i % 3 == 0 { "x" } else { "y" };
            l.add(i, format!("{:04}", 199 - i), &codes(&[("t", kind)]));
        }
        l.reorder();
        let (total, ids) = l.page(&[("t".into(), vec!["x".into()])], 0, 3);
        assert_eq!(total, 67);
        assert_eq!(ids, vec![198, 195, 192]);
    }
}
