//! The roster as `GET /v1/roster` lists it, checked before it is kept.
//!
//! The backend is trusted with the data but not with its shape: a household
//! id that could not be a path segment refuses the whole reply (drafts name
//! households by id). A member's bad value (an ID number with a wrong check
//! digit, an impossible date) only drops that value, a relation this build
//! does not know becomes `other`, a member without a usable id or name is
//! skipped, and members past the fiftieth are not kept, so one typo at the
//! township does not keep a worker's whole grid off the phone. Names and
//! addresses lose control characters, like answers typed on the phone.

use serde::Deserialize;

use super::{Body, HouseholdMember, MAX_ADDRESS, MAX_NAME, RELATIONS};
use crate::error::{PalmGovError, Result};
use crate::forms::{text, validators};

/// Most members a household may list; more is not a household.
const MAX_MEMBERS: usize = 50;

#[derive(Deserialize)]
pub(super) struct RemoteList {
    households: Vec<Remote>,
}

#[derive(Deserialize)]
struct Remote {
    id: String,
    origin: String,
    head_name: String,
    #[serde(default)]
    address: String,
    division: String,
    #[serde(default)]
    members: Vec<RemoteMember>,
}

#[derive(Deserialize)]
struct RemoteMember {
    id: String,
    name: String,
    relation: String,
    id_number: Option<String>,
    birth_date: Option<String>,
    phone: Option<String>,
}

/// An id that may name a household or a member in a path.
pub(super) fn is_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The households of a reply as `(id, origin, body)`, checked.
pub(super) fn checked(list: RemoteList) -> Result<Vec<(String, &'static str, Body)>> {
    list.households
        .into_iter()
        .map(|r| {
            let head_name = text::clean(r.head_name.trim()).into_owned();
            let address = text::clean(r.address.trim()).into_owned();
            if !is_id(&r.id)
                || head_name.is_empty()
                || head_name.chars().count() > MAX_NAME
                || address.chars().count() > MAX_ADDRESS
            {
                return Err(PalmGovError::BadServerReply.into());
            }
            let division = validators::division(&r.division)
                .map(|(code, _)| code)
                .map_err(|_| PalmGovError::BadServerReply)?;
            let origin = if r.origin == "assigned" {
                "assigned"
            } else {
                "added"
            };
            let members = r
                .members
                .into_iter()
                .filter_map(member)
                .take(MAX_MEMBERS)
                .collect();
            Ok((
                r.id,
                origin,
                Body {
                    head_name,
                    address,
                    division,
                    members,
                },
            ))
        })
        .collect()
}

/// A member as kept: `None` when it cannot be named; values that fail
/// their check are dropped, to be asked again at the visit.
fn member(m: RemoteMember) -> Option<HouseholdMember> {
    let name = text::clean(m.name.trim()).into_owned();
    if !is_id(&m.id) || name.is_empty() || name.chars().count() > MAX_NAME {
        tracing::warn!("roster member without a usable id or name, skipped");
        return None;
    }
    let relation = if RELATIONS.contains(&m.relation.as_str()) {
        m.relation
    } else {
        "other".to_string()
    };
    let kept = |value: Option<String>, check: fn(&str) -> Option<String>, what: &str| {
        let value = value?;
        let checked = check(&value);
        if checked.is_none() {
            tracing::warn!(
                value = what,
                "roster member value failed its check, dropped"
            );
        }
        checked
    };
    Some(HouseholdMember {
        id: m.id,
        name,
        relation,
        id_number: kept(
            m.id_number,
            |v| validators::id_number(v).ok().map(|i| i.normalized),
            "id_number",
        ),
        birth_date: kept(
            m.birth_date,
            |v| crate::forms::answer::date(v).map(|()| v.to_string()),
            "birth_date",
        ),
        phone: kept(m.phone, |v| validators::mobile(v).ok(), "phone"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Result<Vec<(String, &'static str, Body)>> {
        checked(serde_json::from_value(value).unwrap())
    }

    #[test]
    fn members_keep_their_good_values_and_lose_their_bad_ones() {
        let list = parse(json!({"households": [{
            "id": "HH-001", "origin": "assigned", "head_name": " 王秀英\u{1b}[2J ",
            "address": "转塘街道桐坞村1号", "division": "330106001001",
            "members": [
                {"id": "M-1", "name": "王秀英", "relation": "head",
                 "id_number": "330106195203150029", "birth_date": "1952-03-15",
                 "phone": "13967112345"},
                // A wrong check digit, an impossible date, a landline.
                {"id": "M-2", "name": "李卫东", "relation": "spouse",
                 "id_number": "330106195011080012", "birth_date": "1950-02-30",
                 "phone": "0571-8888888"},
                {"id": "M-3", "name": "李小梅", "relation": "daughter-in-law"},
                {"id": "../x", "name": "不可用", "relation": "child"},
                {"id": "M-5", "name": " ", "relation": "child"}
            ]
        }]}))
        .unwrap();
        let (id, origin, body) = &list[0];
        assert_eq!((id.as_str(), *origin), ("HH-001", "assigned"));
        assert_eq!(body.head_name, "王秀英[2J");
        let members = &body.members;
        assert_eq!(members.len(), 3);
        assert_eq!(members[0].id_number.as_deref(), Some("330106195203150029"));
        assert_eq!(members[0].phone.as_deref(), Some("13967112345"));
        assert_eq!(
            (
                &members[1].id_number,
                &members[1].birth_date,
                &members[1].phone
            ),
            (&None, &None, &None)
        );
        assert_eq!(members[2].relation, "other");
    }

    #[test]
    fn a_household_listing_too_many_members_keeps_the_first_fifty() {
        let members: Vec<_> = (0..60)
            .map(|i| json!({"id": format!("M-{i}"), "name": format!("成员{i}"), "relation": "other"}))
            .collect();
        let list = parse(json!({"households": [{
            "id": "HH-001", "origin": "assigned", "head_name": "王秀英",
            "division": "330106", "members": members
        }]}))
        .unwrap();
        assert_eq!(list[0].2.members.len(), MAX_MEMBERS);
    }

    #[test]
    fn a_household_that_cannot_be_named_refuses_the_reply() {
        for bad in [
            json!({"id": "a/b", "origin": "assigned", "head_name": "x", "division": "330106"}),
            json!({"id": "HH-1", "origin": "assigned", "head_name": " ", "division": "330106"}),
            json!({"id": "HH-1", "origin": "assigned", "head_name": "x", "division": "33"}),
        ] {
            let err = parse(json!({ "households": [bad] })).err().unwrap();
            assert_eq!(PalmGovError::from(err), PalmGovError::BadServerReply);
        }
    }
}
