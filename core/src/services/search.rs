//! Finding services offline, in memory: by their names in every language
//! the region publishes, by pinyin and its initials as the publisher
//! computed them from phrase data, by the region's everyday words, and by
//! keywords. Traditional characters are folded to Simplified with the
//! catalog's own mapping first.
//!
//! At a few thousand services a scan is fast enough (a few hundred
//! microseconds for 5,000), so there is no index engine: each field of
//! every service is laid end to end in one string ([`Arena`]) and a query
//! is one pass of the standard library's substring search over each (Two-Way
//! with a SIMD prefilter; `memchr::memmem` was no faster here and added
//! 16 KB to the library). A hit's byte offset says which service it is in
//! and where, so a result can say what matched for highlighting.

use super::document::{Entry, Index};

/// Why a service matched, best first: results are ranked by this, then by
/// popularity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, uniffi::Enum)]
pub enum MatchKind {
    /// The query is the whole name.
    ExactName,
    /// The name starts with the query.
    NamePrefix,
    /// The name contains the query.
    NameSubstring,
    /// The query holds an everyday word whose official term the name has
    /// (低保 → 最低生活保障).
    Synonym,
    /// The query is a run of the name's pinyin initials (`sfz`).
    Initials,
    /// The query is a run of the name's full pinyin, from a syllable on.
    Pinyin,
    /// A keyword of the service contains the query.
    Keyword,
    /// Only the qualifier of a name holds the query: the sub-case in
    /// brackets after it (居住证明开具（社保办理）), a weaker match than the
    /// names and keywords of the services it is not a variant of.
    NameQualifier,
}

/// A run of characters in a displayed name, counted in Unicode scalar
/// values (as Swift's `unicodeScalars` and, outside the astral planes,
/// Kotlin's `String` count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct TextSpan {
    pub start: u32,
    pub length: u32,
}

/// Strings of one kind, end to end, each item owned by a service.
#[derive(Default)]
struct Arena {
    text: String,
    /// Where each item starts in `text`.
    starts: Vec<u32>,
    /// The service each item belongs to.
    owners: Vec<u32>,
    /// The language of each item, where the arena mixes them.
    languages: Vec<u16>,
    /// Where each item's qualifier (a bracketed sub-case) starts, as a
    /// byte offset in the item; the item's length when it has none.
    qualifiers: Vec<u32>,
}

impl Arena {
    fn push(&mut self, owner: usize, language: u16, item: &str) {
        if !self.text.is_empty() {
            // No item holds a newline (checked at parse), so no match spans two.
            self.text.push('\n');
        }
        self.starts.push(self.text.len() as u32);
        self.owners.push(owner as u32);
        self.languages.push(language);
        let qualifier = item.find(['（', '(']).unwrap_or(item.len());
        self.qualifiers.push(qualifier as u32);
        self.text.push_str(item);
    }

    /// Every occurrence of `needle`, overlapping ones too (`anan` in
    /// `ananan` twice: the second may be the one at a syllable's start):
    /// (item, byte offset in the item).
    fn find<'a>(&'a self, needle: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
        let mut from = 0;
        std::iter::from_fn(move || {
            let at = from + self.text.get(from..)?.find(needle)?;
            from = at + self.text[at..].chars().next().map_or(1, char::len_utf8);
            Some(at)
        })
        .map(move |at| {
            let item = self.starts.partition_point(|&s| s as usize <= at) - 1;
            (item, at - self.starts[item] as usize)
        })
    }

    fn item(&self, item: usize) -> &str {
        let start = self.starts[item] as usize;
        let end = self
            .starts
            .get(item + 1)
            .map_or(self.text.len(), |&s| s as usize - 1);
        &self.text[start..end]
    }
}

/// Lower case where that keeps one character one character (so offsets in
/// a folded name are offsets in the name).
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        })
        .collect()
}

fn chars_before(text: &str, byte: usize) -> u32 {
    text[..byte].chars().count() as u32
}

/// One service's best match so far.
#[derive(Debug, Clone)]
struct Found {
    kind: MatchKind,
    /// The language of the name the span is in (an index into
    /// [`Searcher::languages`]), when the match is in a name.
    language: Option<u16>,
    span: Option<TextSpan>,
    /// The official term or keyword that matched.
    term: Option<String>,
}

/// A result before it is dressed for a language.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub service: usize,
    pub kind: MatchKind,
    /// The matched name's language and the span in it.
    pub span: Option<(String, TextSpan)>,
    pub term: Option<String>,
}

/// The search structures of one catalog, built once when it is opened.
pub(crate) struct Searcher {
    languages: Vec<String>,
    /// Every published name, folded.
    names: Arena,
    /// Pinyin without spaces, one item per service.
    pinyin: Arena,
    /// Where each syllable starts in `pinyin.text` (sorted).
    syllables: Vec<u32>,
    /// One initial per character of each Simplified name, so a byte
    /// offset is a character offset.
    initials: Arena,
    keywords: Arena,
    /// Everyday word → official terms.
    synonyms: Vec<(String, Vec<String>)>,
    /// A Chinese everyday word's full pinyin and initials (no spaces) →
    /// its place in `synonyms`: `sbk` and `shebaoka` stand for 社保卡.
    synonym_readings: Vec<(String, usize)>,
    /// Traditional → Simplified, sorted by the Traditional character (a
    /// sorted list: a few hundred pairs, and no hash map's code in the
    /// library for it).
    traditional: Vec<(char, char)>,
    popularity: Vec<u32>,
    name_lengths: Vec<u32>,
}

impl Searcher {
    pub(crate) fn new(index: &Index) -> Self {
        let mut s = Searcher {
            languages: vec!["zh-Hans".to_string()],
            names: Arena::default(),
            pinyin: Arena::default(),
            syllables: Vec::new(),
            initials: Arena::default(),
            keywords: Arena::default(),
            synonyms: index
                .synonyms
                .iter()
                .map(|s| (fold(&s.word), s.terms.iter().map(|t| fold(t)).collect()))
                .collect(),
            synonym_readings: index
                .synonyms
                .iter()
                .enumerate()
                .filter(|(_, s)| !s.pinyin.is_empty())
                .flat_map(|(i, s)| {
                    let full: String = s.pinyin.iter().map(|p| fold(p)).collect();
                    let initials: String =
                        s.pinyin.iter().filter_map(|p| p.chars().next()).collect();
                    [(full, i), (fold(&initials), i)]
                })
                .collect(),
            traditional: {
                let mut pairs = index.traditional.clone();
                pairs.sort_unstable();
                pairs.dedup_by_key(|p| p.0);
                pairs
            },
            popularity: Vec::with_capacity(index.services.len()),
            name_lengths: Vec::with_capacity(index.services.len()),
        };
        for (i, entry) in index.services.iter().enumerate() {
            s.add(i, entry);
        }
        s
    }

    fn language(&mut self, tag: &str) -> u16 {
        match self.languages.iter().position(|l| l == tag) {
            Some(i) => i as u16,
            None => {
                self.languages.push(tag.to_string());
                (self.languages.len() - 1) as u16
            }
        }
    }

    fn add(&mut self, i: usize, entry: &Entry) {
        for (tag, name) in &entry.names {
            let language = self.language(tag);
            self.names.push(i, language, &fold(name));
        }
        let base = self.pinyin.text.len() + usize::from(!self.pinyin.text.is_empty());
        let mut joined = String::new();
        let mut initials = String::new();
        for syllable in &entry.pinyin {
            self.syllables.push((base + joined.len()) as u32);
            let syllable = fold(syllable);
            joined.push_str(&syllable);
            // A syllable's initial; a character that is not a letter (a
            // digit, a bracket) stands for itself when it is ASCII.
            let first = syllable.chars().next().unwrap_or('_');
            initials.push(if first.is_ascii() { first } else { '_' });
        }
        self.pinyin.push(i, 0, &joined);
        self.initials.push(i, 0, &initials);
        for keyword in &entry.keywords {
            self.keywords.push(i, 0, &fold(keyword));
        }
        self.popularity.push(entry.popularity);
        self.name_lengths.push(
            entry
                .names
                .get("zh-Hans")
                .map_or(0, |n| n.chars().count() as u32),
        );
    }

    /// A match of `needle` at `at` in name `item` as `kind`, or as a
    /// qualifier's when it lies in the bracketed sub-case: the service and
    /// what it found, with the span in the name's characters.
    fn in_name(
        &self,
        item: usize,
        at: usize,
        needle: &str,
        kind: MatchKind,
        term: Option<String>,
    ) -> (usize, Found) {
        let name = self.names.item(item);
        let kind = if at >= self.names.qualifiers[item] as usize {
            MatchKind::NameQualifier
        } else {
            kind
        };
        let found = Found {
            kind,
            language: Some(self.names.languages[item]),
            span: Some(TextSpan {
                start: chars_before(name, at),
                length: needle.chars().count() as u32,
            }),
            term,
        };
        (self.names.owners[item] as usize, found)
    }

    /// The query with Traditional characters folded to Simplified.
    fn simplified(&self, query: &str) -> String {
        query
            .chars()
            .map(
                |c| match self.traditional.binary_search_by_key(&c, |p| p.0) {
                    Ok(i) => self.traditional[i].1,
                    Err(_) => c,
                },
            )
            .collect()
    }

    /// The services matching `query`, best first, at most `limit`.
    pub(crate) fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let query = fold(&query.split_whitespace().collect::<Vec<_>>().join(" "));
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let simplified = self.simplified(&query);
        // Each service's best match so far, by its place in the catalog.
        let mut found: Vec<Option<Found>> = vec![None; self.popularity.len()];
        let mut offer = |service: usize, candidate: Found| {
            let slot = &mut found[service];
            if slot.as_ref().is_none_or(|f| candidate.kind < f.kind) {
                *slot = Some(candidate);
            }
        };

        // Names, in every language; Simplified names also by the folded query.
        let mut needles = vec![query.as_str()];
        if simplified != query {
            needles.push(simplified.as_str());
        }
        for needle in needles {
            for (item, at) in self.names.find(needle) {
                let name = self.names.item(item);
                // In a language that spaces its words (Uyghur, English), a
                // match from a word's start is as good as from the name's.
                let word_start = at > 0 && name.as_bytes()[at - 1] == b' ';
                let kind = match (at, needle.len() == name.len()) {
                    (0, true) => MatchKind::ExactName,
                    (0, false) => MatchKind::NamePrefix,
                    _ if word_start => MatchKind::NamePrefix,
                    _ => MatchKind::NameSubstring,
                };
                let (service, found) = self.in_name(item, at, needle, kind, None);
                offer(service, found);
            }
        }

        // Everyday words: the query with each word it holds replaced by
        // the official term, found in the names; a query that is a word's
        // reading (`sbk`, `shebaoka`) stands for the word.
        let compact: String = query.chars().filter(|c| *c != ' ').collect();
        let reading: Vec<usize> = self
            .synonym_readings
            .iter()
            .filter(|(r, _)| *r == compact)
            .map(|(_, i)| *i)
            .collect();
        for (i, (word, terms)) in self.synonyms.iter().enumerate() {
            let (whole, held) = (reading.contains(&i), simplified.contains(word.as_str()));
            if !whole && !held {
                continue;
            }
            for term in terms {
                let rewritten = if whole {
                    term.clone()
                } else {
                    simplified.replacen(word.as_str(), term, 1)
                };
                for (item, at) in self.names.find(&rewritten) {
                    let term = Some(term.clone());
                    let (service, found) =
                        self.in_name(item, at, &rewritten, MatchKind::Synonym, term);
                    offer(service, found);
                }
            }
        }

        // Pinyin: letters only, two at least (one letter is everything).
        if compact.len() >= 2 && compact.bytes().all(|b| b.is_ascii_lowercase()) {
            for (item, at) in self.initials.find(&compact) {
                offer(
                    self.initials.owners[item] as usize,
                    Found {
                        kind: MatchKind::Initials,
                        language: Some(0),
                        span: Some(TextSpan {
                            start: at as u32,
                            length: compact.len() as u32,
                        }),
                        term: None,
                    },
                );
            }
            for (item, at) in self.pinyin.find(&compact) {
                let absolute = (self.pinyin.starts[item] as usize + at) as u32;
                // From a syllable's start only: `an` is not in `huan`.
                let Ok(first) = self.syllables.binary_search(&absolute) else {
                    continue;
                };
                let end = absolute + compact.len() as u32;
                let last = self.syllables.partition_point(|&s| s < end);
                let own_first = self
                    .syllables
                    .partition_point(|&s| s < self.pinyin.starts[item]);
                offer(
                    self.pinyin.owners[item] as usize,
                    Found {
                        kind: MatchKind::Pinyin,
                        language: Some(0),
                        span: Some(TextSpan {
                            start: (first - own_first) as u32,
                            length: (last - first) as u32,
                        }),
                        term: None,
                    },
                );
            }
        }

        for (item, _) in self.keywords.find(&simplified) {
            offer(
                self.keywords.owners[item] as usize,
                Found {
                    kind: MatchKind::Keyword,
                    language: None,
                    span: None,
                    term: Some(self.keywords.item(item).to_string()),
                },
            );
        }

        let mut hits: Vec<(usize, Found)> = found
            .into_iter()
            .enumerate()
            .filter_map(|(i, f)| Some((i, f?)))
            .collect();
        // Unstable is enough (the place in the catalog breaks every tie),
        // and smaller in the library than a stable sort.
        hits.sort_unstable_by(|(a, fa), (b, fb)| {
            fa.kind
                .cmp(&fb.kind)
                .then(self.popularity[*b].cmp(&self.popularity[*a]))
                .then(self.name_lengths[*a].cmp(&self.name_lengths[*b]))
                .then(a.cmp(b))
        });
        hits.truncate(limit);
        hits.into_iter()
            .map(|(service, f)| Hit {
                service,
                kind: f.kind,
                span: f
                    .language
                    .zip(f.span)
                    .map(|(l, span)| (self.languages[l as usize].clone(), span)),
                term: f.term,
            })
            .collect()
    }

    /// A plain substring scan of the Simplified names: the baseline the
    /// bench compares a search with.
    pub(crate) fn scan_names(index: &Index, query: &str) -> usize {
        index
            .services
            .iter()
            .filter(|s| s.names.get("zh-Hans").is_some_and(|n| n.contains(query)))
            .count()
    }
}
