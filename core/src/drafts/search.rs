//! Draft search without a plaintext index on disk.
//!
//! The summaries (the resident's name, the village) are personal, so they
//! are stored sealed. Search decrypts them once per open core into this
//! in-memory index and scans it: a substring scan finds two-character
//! Chinese names (`张三`) that SQLite's trigram FTS cannot, and over 10,000
//! drafts it takes about a millisecond. The index is dropped with the core.

use std::collections::HashMap;
use std::sync::Mutex;

use super::DraftSubject;

/// Keyed by draft id, which the core mints: no need for SipHash's defence
/// against chosen keys, and a listing looks up 10,000 of them.
type Map = HashMap<String, Entry, foldhash::fast::RandomState>;

struct Entry {
    subject: DraftSubject,
    summary: String,
    /// Lower-cased subject and summary, what queries match against.
    text: String,
}

/// Decrypted summaries by draft id. `complete` once every draft was loaded.
#[derive(Default)]
pub(crate) struct SearchIndex {
    inner: Mutex<(Map, bool)>,
}

impl SearchIndex {
    fn with<T>(&self, f: impl FnOnce(&mut (Map, bool)) -> T) -> T {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard)
    }

    pub(crate) fn is_loaded(&self) -> bool {
        self.with(|(_, complete)| *complete)
    }

    /// Fills the index with every draft of the account.
    pub(crate) fn load(&self, all: Vec<(String, DraftSubject, String)>) {
        self.with(|(map, complete)| {
            for (id, subject, summary) in all {
                map.insert(id, entry(&subject, &summary));
            }
            *complete = true;
        });
    }

    /// Records one draft's current subject and summary.
    pub(crate) fn remember(&self, id: &str, subject: &DraftSubject, summary: &str) {
        self.with(|(map, _)| map.insert(id.to_string(), entry(subject, summary)));
    }

    pub(crate) fn remove(&self, id: &str) {
        self.with(|(map, _)| map.remove(id));
    }

    /// Forgets everything, for a switch of account or a logout.
    pub(crate) fn clear(&self) {
        self.with(|(map, complete)| {
            map.clear();
            *complete = false;
        });
    }

    /// Each draft's subject and summary, `None` where not loaded yet. One
    /// lock for the lot: a listing asks for 10,000.
    pub(crate) fn summaries<'a>(
        &self,
        ids: impl Iterator<Item = &'a str>,
    ) -> Vec<Option<(DraftSubject, String)>> {
        self.with(|(map, _)| {
            ids.map(|id| map.get(id).map(|e| (e.subject.clone(), e.summary.clone())))
                .collect()
        })
    }

    /// Ids of drafts whose subject or summary contains `query`, ignoring
    /// case and surrounding spaces. An empty query matches everything.
    pub(crate) fn find(&self, query: &str) -> Vec<String> {
        let query = query.trim().to_lowercase();
        self.with(|(map, _)| {
            map.iter()
                .filter(|(_, e)| e.text.contains(&query))
                .map(|(id, _)| id.clone())
                .collect()
        })
    }
}

fn entry(subject: &DraftSubject, summary: &str) -> Entry {
    let mut text = summary.to_lowercase();
    for part in [&subject.name, &subject.household_id].into_iter().flatten() {
        text.push('\n');
        text.push_str(&part.to_lowercase());
    }
    Entry {
        subject: subject.clone(),
        summary: summary.to_string(),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_two_character_names_and_ignores_case() {
        let index = SearchIndex::default();
        let subject = |name: &str| DraftSubject {
            household_id: Some("HH-0042".into()),
            name: Some(name.into()),
        };
        index.load(vec![
            ("a".into(), subject("张三"), "张三 · 330106".into()),
            ("b".into(), subject("李四"), "李四 · 杭州".into()),
        ]);
        assert_eq!(index.find("张三"), ["a"]);
        assert_eq!(index.find(" 杭州 "), ["b"]);
        let mut both = index.find("hh-00");
        both.sort();
        assert_eq!(both, ["a", "b"]);
        assert!(index.find("王五").is_empty());
    }
}
