//! The bundled GB/T 2260 table (`core/data/gbt2260.tsv`, see its README):
//! province, prefecture and county codes with their names, parsed once on
//! first use into a sorted list searched by bisection.

use std::sync::OnceLock;

static TABLE: &str = include_str!("../../data/gbt2260.tsv");

fn entries() -> &'static [(&'static str, &'static str)] {
    static PARSED: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    PARSED.get_or_init(|| {
        // The file is sorted by code; a unit test keeps it so.
        TABLE.lines().filter_map(|l| l.split_once('\t')).collect()
    })
}

/// The name of a 6-digit division code, if the table has it.
pub(crate) fn name(code: &str) -> Option<&'static str> {
    let table = entries();
    table
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .ok()
        .map(|i| table[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_unique_and_complete_enough() {
        let table = entries();
        assert!(table.len() > 3000, "{} codes", table.len());
        assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(table.iter().all(|(c, n)| c.len() == 6 && !n.is_empty()));
        assert_eq!(name("110101"), Some("东城区"));
        assert_eq!(name("650000"), Some("新疆维吾尔自治区"));
        assert_eq!(name("000000"), None);
    }
}
