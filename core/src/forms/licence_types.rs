//! The licence types the core knows (电子证照类型): one registry shared by
//! forms (`licence_ref` fields and licence prefill), the wallet and, later,
//! the service catalog, so the three never disagree on what a type is.
//!
//! Each type has:
//! - a short stable `name` (`id_card`, `business_licence`…) that forms,
//!   the API and the shells key on, never translated or renumbered;
//! - its national type code (GB/T 36904): the unified social credit code of
//!   the authority that defines the type, then a 3-digit number. This is the
//!   second part of every licence identifier of the type;
//! - its names in the four languages;
//! - who holds it (a person, or an organisation for a business licence);
//! - the claims it carries, in the order a licence shows them, each
//!   selectively disclosable; at most [`MAX_DISCLOSABLE`], so a
//!   presentation as a QR code stays small. Some are derived from the
//!   others, so that a verifier can ask for less: `id_number_last4` (the
//!   ID number's last four characters, to match a person to a form),
//!   `age_over_18`.
//!
//! Every licence also carries its identifier, `licence_id` (证照标识),
//! always present and always visible: not in the claims lists, and never
//! selectively disclosable. A service that receives a licence as form
//! material looks the licence up by it. (In the QR code's compact form it
//! is an item like the others, which a presentation may leave out.)
//!
//! The type codes here are those the reference backend issues under:
//! 公安部's credit code for the police's types, and the codes of the design
//! vectors for the others. A region whose catalogue numbers a type
//! differently maps it in its region profile; the `name` stays.

use super::validators::licence::{self, LicenceNumber};

/// Most claims of a type that a holder may disclose one by one.
pub const MAX_DISCLOSABLE: usize = 8;

/// The claim that holds a licence's identifier: always present, always
/// visible, in no type's `claims`.
pub const LICENCE_ID: &str = "licence_id";

/// Who holds a licence of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LicenceHolder {
    Person,
    Organisation,
}

/// One licence type of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LicenceType {
    pub name: &'static str,
    pub type_code: &'static str,
    /// zh-Hans, zh-Hant, ug, en.
    pub names: [&'static str; 4],
    pub holder: LicenceHolder,
    /// The claims a licence of this type carries, every one selectively
    /// disclosable, at most [`MAX_DISCLOSABLE`]. Not `licence_id`: every
    /// licence carries its identifier, always present and visible.
    pub claims: &'static [&'static str],
}

impl LicenceType {
    /// The type's name in `language` (zh-Hans, zh-Hant, ug or en; Chinese
    /// variants by script, anything else in English).
    pub fn display_name(&self, language: &str) -> &'static str {
        let lang = language.to_ascii_lowercase();
        let index = if lang.starts_with("zh-hant") || lang == "zh-tw" || lang == "zh-hk" {
            1
        } else if lang.starts_with("zh") {
            0
        } else if lang.starts_with("ug") {
            2
        } else {
            3
        };
        self.names[index]
    }
}

/// Every licence type, in the order a wallet lists them.
pub const LICENCE_TYPES: &[LicenceType] = &[
    LicenceType {
        name: "id_card",
        type_code: "11100000000013338W001",
        names: ["居民身份证", "居民身分證", "كىملىك", "Resident ID card"],
        holder: LicenceHolder::Person,
        claims: &[
            "name",
            "id_number",
            "id_number_last4",
            "birth_date",
            "sex",
            "address",
            "age_over_18",
            "age_over_60",
        ],
    },
    LicenceType {
        name: "household_register",
        type_code: "11100000000013338W002",
        names: [
            "居民户口簿",
            "居民戶口簿",
            "نوپۇس دەپتىرى",
            "Household register",
        ],
        holder: LicenceHolder::Person,
        claims: &[
            "name",
            "id_number",
            "id_number_last4",
            "birth_date",
            "relation_to_head",
            "household_head",
            "address",
            "division",
        ],
    },
    LicenceType {
        name: "driving_licence",
        type_code: "11100000000013338W011",
        names: [
            "机动车驾驶证",
            "機動車駕駛證",
            "ماشىنا ھەيدەش گۇۋاھنامىسى",
            "Driving licence",
        ],
        holder: LicenceHolder::Person,
        claims: &[
            "name",
            "id_number",
            "vehicle_classes",
            "first_issued",
            "valid_until",
            "address",
        ],
    },
    LicenceType {
        name: "residence_permit",
        type_code: "11100000000013338W032",
        names: [
            "居住证",
            "居住證",
            "تۇرالغۇ ئىجازەتنامىسى",
            "Residence permit",
        ],
        holder: LicenceHolder::Person,
        claims: &["name", "id_number", "address", "valid_until"],
    },
    LicenceType {
        name: "social_security_card",
        type_code: "1110000071780089XL009",
        names: [
            "社会保障卡",
            "社會保障卡",
            "ئىجتىمائىي كاپالەت كارتىسى",
            "Social security card",
        ],
        holder: LicenceHolder::Person,
        claims: &["name", "id_number", "card_number", "bank_account"],
    },
    LicenceType {
        name: "business_licence",
        type_code: "11100000MB03271699022",
        names: [
            "营业执照",
            "營業執照",
            "تىجارەت كىنىشكىسى",
            "Business licence",
        ],
        holder: LicenceHolder::Organisation,
        claims: &[
            "company_name",
            "credit_code",
            "legal_representative",
            "company_type",
            "registered_capital",
            "address",
            "established",
        ],
    },
];

/// The type called `name`.
pub fn by_name(name: &str) -> Option<&'static LicenceType> {
    LICENCE_TYPES.iter().find(|t| t.name == name)
}

/// The type whose national code is `type_code`.
pub fn by_code(type_code: &str) -> Option<&'static LicenceType> {
    LICENCE_TYPES
        .iter()
        .find(|t| t.type_code.eq_ignore_ascii_case(type_code))
}

/// A national licence identifier checked with the forms' own parser: its
/// parts when it is one and intact, `None` for anything else (a printed
/// number, a wrong check character).
pub(crate) fn parse_identifier(identifier: &str) -> Option<licence::LicenceIdentifier> {
    match licence::licence_number(identifier) {
        Ok(LicenceNumber::Identifier(id)) => Some(id),
        _ => None,
    }
}

/// The identifier of serial `serial`, version `version`, of type
/// `type_code` issued by `issuer`, with its check character: what an issuer
/// (the reference backend, the tests) prints.
pub fn make_identifier(type_code: &str, issuer: &str, serial: &str, version: u16) -> String {
    licence::make_identifier(type_code, issuer, serial, &format!("{version:03}"))
}

/// A licence type as the shells list it, in one language.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LicenceTypeInfo {
    pub name: String,
    pub type_code: String,
    pub display_name: String,
    pub holder: LicenceHolder,
    /// The selectively disclosable claims ([`LicenceType::claims`]); every
    /// licence carries `licence_id` besides, always visible.
    pub claims: Vec<String>,
}

/// Every licence type the core knows, named in `language`.
#[uniffi::export]
pub fn licence_types(language: String) -> Vec<LicenceTypeInfo> {
    LICENCE_TYPES
        .iter()
        .map(|t| LicenceTypeInfo {
            name: t.name.into(),
            type_code: t.type_code.into(),
            display_name: t.display_name(&language).into(),
            holder: t.holder,
            claims: t.claims.iter().map(|c| c.to_string()).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::validators::credit_code::credit_code;

    /// 公安部 (Ministry of Public Security).
    const MPS: &str = "11100000000013338W";

    #[test]
    fn every_type_is_well_formed() {
        let mut names = std::collections::HashSet::new();
        let mut codes = std::collections::HashSet::new();
        for t in LICENCE_TYPES {
            assert!(names.insert(t.name), "{} twice", t.name);
            assert!(codes.insert(t.type_code), "{} twice", t.type_code);
            assert!(t.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            // The defining authority's credit code, with its check, then
            // three digits.
            let (authority, number) = t.type_code.split_at(18);
            assert_eq!(
                credit_code(authority).as_deref(),
                Ok(authority),
                "{}",
                t.name
            );
            assert!(number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit()));
            assert!(t.claims.len() <= MAX_DISCLOSABLE, "{}", t.name);
            assert!(t.names.iter().all(|n| !n.is_empty()));
            // The identifier is always visible: never among the
            // disclosable claims. No claim twice.
            assert!(!t.claims.contains(&LICENCE_ID), "{}", t.name);
            let distinct: std::collections::HashSet<_> = t.claims.iter().collect();
            assert_eq!(distinct.len(), t.claims.len(), "{}", t.name);
        }
        // The derived last four, after the number it is taken from, where
        // a person's ID number is.
        for name in ["id_card", "household_register"] {
            let claims = by_name(name).unwrap().claims;
            let at = |c| claims.iter().position(|x| *x == c).unwrap();
            assert_eq!(at("id_number_last4"), at("id_number") + 1, "{name}");
        }
        assert_eq!(by_name("id_card").unwrap().claims.len(), MAX_DISCLOSABLE);
        assert!(
            LICENCE_TYPES
                .iter()
                .filter(|t| !matches!(t.name, "id_card" | "household_register"))
                .all(|t| !t.claims.contains(&"id_number_last4"))
        );
        assert!(by_name("id_card").unwrap().type_code.starts_with(MPS));
        assert_eq!(by_code("11100000000013338w001").unwrap().name, "id_card");
        assert_eq!(by_name("passport"), None);
    }

    #[test]
    fn identifiers_made_here_parse_with_the_forms_parser() {
        let t = by_name("id_card").unwrap();
        let id = make_identifier(t.type_code, "11330105002500287C", "330106202400001", 1);
        let parsed = parse_identifier(&id).unwrap();
        assert_eq!(parsed.type_code, t.type_code);
        assert_eq!(parsed.issuer, "11330105002500287C");
        assert_eq!(parsed.version, "001");
        // The design vectors, and a wrong check character.
        for good in [
            "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
            "1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F",
            "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
            "1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9",
        ] {
            assert!(parse_identifier(good).is_some(), "{good}");
        }
        let mut bad = id.clone();
        let last = bad.pop().unwrap();
        bad.push(if last == '0' { '1' } else { '0' });
        assert!(parse_identifier(&bad).is_none());
        assert!(parse_identifier("粤(2021)第0123456号").is_none());
    }

    #[test]
    fn names_follow_the_language() {
        let t = by_name("business_licence").unwrap();
        assert_eq!(t.display_name("zh-Hans"), "营业执照");
        assert_eq!(t.display_name("zh-Hant-TW"), "營業執照");
        assert_eq!(t.display_name("ug"), "تىجارەت كىنىشكىسى");
        assert_eq!(t.display_name("fr"), "Business licence");
        assert_eq!(licence_types("en".into()).len(), LICENCE_TYPES.len());
    }
}
