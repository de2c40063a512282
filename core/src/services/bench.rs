//! Measurements for `scripts/bench` and the golden-query check that need
//! the crate's internals: opening a published catalog beside reading and
//! inflating its files alone, and a search beside a plain substring scan
//! of the names.

use std::path::Path;
use std::time::Instant;

use super::Catalog;
use super::document;
use super::search::Searcher;

/// A catalog directory as published: the manifest and its index chunk.
fn read(dir: &Path) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    let manifest = std::fs::read(dir.join("manifest.json"))?;
    let parsed = document::manifest(&manifest)
        .map_err(|_| std::io::Error::other("the manifest does not read"))?;
    let index = std::fs::read(
        dir.join("chunks")
            .join(format!("{}.zlib", parsed.chunks[0].sha256)),
    )?;
    Ok((manifest, index))
}

/// Opens the catalog in `dir` (the manifest and the index chunk read,
/// checked, inflated, parsed, the search structures built).
#[doc(hidden)]
pub fn open(dir: &Path) -> Result<Catalog, String> {
    let (manifest, index) = read(dir).map_err(|e| e.to_string())?;
    Catalog::open(&manifest, &index, 0)
        .map_err(|e| format!("{:?}", crate::error::PalmGovError::from(e)))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Milliseconds to open the catalog in `dir` and build its index, beside
/// reading and inflating the same files alone: medians of `rounds`
/// alternating rounds.
#[doc(hidden)]
pub fn open_ms(dir: &Path, rounds: usize) -> (f64, f64, usize) {
    let (mut opened, mut baseline) = (Vec::new(), Vec::new());
    let mut services = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let catalog = open(dir).expect("the catalog opens");
        opened.push(t.elapsed().as_secs_f64() * 1e3);
        services = catalog.index.services.len();
        drop(catalog);
        let t = Instant::now();
        let (manifest, index) = read(dir).expect("the files read");
        let m = document::manifest(&manifest).expect("manifest");
        let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&index).expect("inflates");
        assert_eq!(raw.len() as u64, m.chunks[0].raw_bytes);
        baseline.push(t.elapsed().as_secs_f64() * 1e3);
    }
    (median(opened), median(baseline), services)
}

/// The 99th percentile, in µs, of one search (best 10) per query over
/// `rounds` passes, beside a plain substring scan of the Simplified names
/// for the same queries.
#[doc(hidden)]
pub fn search_p99_us(catalog: &Catalog, queries: &[String], rounds: usize) -> (f64, f64) {
    let (mut searched, mut scanned) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        for q in queries {
            let t = Instant::now();
            std::hint::black_box(catalog.search(q, "zh-Hans", 10));
            searched.push(t.elapsed().as_secs_f64() * 1e6);
            let t = Instant::now();
            std::hint::black_box(Searcher::scan_names(&catalog.index, q));
            scanned.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    let p99 = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[(v.len() * 99 / 100).min(v.len() - 1)]
    };
    (p99(searched), p99(scanned))
}

/// Whether `expect` is among the first three results of `query`.
#[doc(hidden)]
pub fn in_top_three(catalog: &Catalog, query: &str, language: &str, expect: &str) -> bool {
    catalog
        .search(query, language, 3)
        .iter()
        .any(|h| h.code == expect)
}
