//! Redacted printing for records that carry personal data.
//!
//! `#[derive(Debug)]` on a household or a draft's subject would print names
//! and ID numbers into any log line, panic message or crash report that
//! formats it with `{:?}`; the generated Kotlin `toString()` and Swift
//! `description` would do the same on the shells' side. [`redacted!`]
//! writes a `Debug` that shows only the named fields (ids, states, counts)
//! and a `Display` that says the same, and records export both with
//! `#[uniffi::export(Debug, Display)]` so the shells print the redacted
//! text too.

/// `redacted!(Type { shown, fields })`: `Debug` and `Display` for `Type`
/// that print only the listed fields, then `..`.
macro_rules! redacted {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl ::std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($field), &self.$field))*
                    .finish_non_exhaustive()
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(self, f)
            }
        }
    };
}

pub(crate) use redacted;

#[cfg(test)]
mod tests {
    use crate::drafts::{DraftState, DraftSubject, DraftSummary, FieldView};
    use crate::hooks::FaceCaptureResult;
    use crate::identity::{AccountKind, LoginOptions, SessionInfo, SessionStatus};
    use crate::roster::{Household, HouseholdMember, HouseholdOrigin, HouseholdSync, NewHousehold};

    const NAME: &str = "王秀英";
    const ID_NUMBER: &str = "330106195203150029";
    const PHONE: &str = "13967112345";

    /// `Debug`, pretty `Debug` and `Display` of `value`.
    fn printed<T: std::fmt::Debug + std::fmt::Display>(value: &T) -> String {
        format!("{value:?} {value:#?} {value}")
    }

    fn assert_redacted(text: &str) {
        for secret in [NAME, ID_NUMBER, PHONE, "JFIF", "liveness-secret"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }

    #[test]
    fn records_with_personal_data_print_without_it() {
        let member = HouseholdMember {
            id: "HH-001-M1".into(),
            name: NAME.into(),
            relation: "head".into(),
            id_number: Some(ID_NUMBER.into()),
            birth_date: Some("1952-03-15".into()),
            phone: Some(PHONE.into()),
        };
        let household = Household {
            id: "HH-001".into(),
            head_name: NAME.into(),
            address: "桐坞村1号".into(),
            division: "330106001001".into(),
            members: vec![member.clone()],
            origin: HouseholdOrigin::Assigned,
            sync: HouseholdSync::Synced,
        };
        let printed_household = printed(&household);
        assert!(
            printed_household.contains("HH-001-M1"),
            "{printed_household}"
        );
        assert_redacted(&printed_household);
        assert_redacted(&printed(&member));
        assert_redacted(&printed(&NewHousehold {
            head_name: NAME.into(),
            address: String::new(),
            division: "330106".into(),
        }));
        let subject = DraftSubject {
            household_id: Some("HH-001".into()),
            name: Some(NAME.into()),
        };
        assert_redacted(&printed(&subject));
        assert_redacted(&printed(&DraftSummary {
            id: "d1".into(),
            form_id: "household-visit".into(),
            form_version: 1,
            title: "入户走访登记".into(),
            state: DraftState::Draft,
            subject,
            summary: format!("{NAME} · {ID_NUMBER}"),
            created_at_ms: 0,
            updated_at_ms: 0,
            utc_offset_min: 480,
            replaces: None,
        }));
        assert_redacted(&printed(&FieldView {
            path: "head_phone".into(),
            relevant: true,
            required: false,
            read_only: false,
            value_json: Some(format!("\"{PHONE}\"")),
            choices: None,
            issues: Vec::new(),
        }));
        assert_redacted(&printed(&LoginOptions {
            level: Some(4),
            force_reauthentication: false,
            login_hint: Some(PHONE.into()),
        }));
        assert_redacted(&printed(&SessionInfo {
            account_id: "a1".into(),
            kind: AccountKind::NaturalPerson,
            display_name: Some(NAME.into()),
            organisation: None,
            level: 3,
            face_verified_until_ms: None,
            status: SessionStatus::Active,
            access_expires_at_ms: 0,
            offline_until_ms: 0,
            dpop_bound: true,
        }));
        assert_redacted(&printed(&FaceCaptureResult::Frames {
            frames: vec![b"\xff\xd8\xff\xe0..JFIF".to_vec()],
        }));
        assert_redacted(&printed(&FaceCaptureResult::LivenessToken {
            vendor: "vendor".into(),
            token: "liveness-secret".into(),
        }));
    }
}
