//! The grid worker's household roster (网格户册): its store and its routes.
//!
//! A township assigns each grid worker the households of their grid. The
//! worker's phone caches that list for offline visits, and households the
//! worker meets that are not on it are added on the phone and sent with the
//! next sync. The client picks the id (a UUID) of a household it adds, so a
//! retry after a lost reply is the same request: identical bytes get the
//! same receipt, different bytes under a known id get 409.
//!
//! Each household lists its members (name, relation to the head, ID
//! number, birth date, phone), the head among them. A visit's submission
//! carries its member table back: [`Roster::fold_visit`] updates the
//! members it names by id and adds the ones the worker added, and the next
//! `GET /v1/roster` returns them. A visit never removes anyone: a death or
//! a move is the township's business, not a form's.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::auth::{Caller, unix_now};
use crate::store::sha256;
use crate::{AppState, Reply, stored};

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS households (
        id TEXT PRIMARY KEY,
        worker TEXT NOT NULL,
        origin TEXT NOT NULL,
        head_name TEXT NOT NULL,
        address TEXT NOT NULL,
        division TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        members TEXT NOT NULL DEFAULT '[]'
    ) STRICT;
    CREATE INDEX IF NOT EXISTS households_worker ON households (worker);";

/// Most members a household's register holds (the client keeps no more).
const MAX_MEMBERS: usize = 50;

/// Relations to the head, the major classes of GB/T 4761 (as the core's
/// `RELATIONS`).
const RELATIONS: &[&str] = &[
    "head",
    "spouse",
    "child",
    "grandchild",
    "parent",
    "grandparent",
    "sibling",
    "other",
];

/// One person of a household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub relation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// A household as the API carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdBody {
    /// The head of the household (户主).
    pub head_name: String,
    pub address: String,
    /// A 6-digit county or 12-digit village division code.
    pub division: String,
}

/// A household a township assigns to a worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedHousehold {
    pub id: String,
    #[serde(flatten)]
    pub body: HouseholdBody,
    #[serde(default)]
    pub members: Vec<Member>,
}

/// GB 11643: 17 digits and their check character.
fn with_check(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

/// A sample resident `n` for the demo, benchmarks and tests: a name, an
/// ID number with its check character and a birth date it encodes (and the
/// sex of its sequence), all their own. Deterministic in `n`; distinct for
/// every `n` below 10,000.
pub fn sample_person(n: usize) -> SamplePerson {
    const SURNAMES: &[&str] = &[
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
        "郭", "何", "林", "罗", "高",
    ];
    const GIVEN: &[&str] = &[
        "秀英", "桂兰", "建国", "志强", "海燕", "丽娟", "国华", "玉兰", "文斌", "春梅", "德明",
        "淑珍", "永康", "晓燕", "立新", "美华", "家豪", "子涵", "雨桐", "浩然",
    ];
    let name = format!(
        "{}{}",
        SURNAMES[n % SURNAMES.len()],
        GIVEN[(n / SURNAMES.len()) % GIVEN.len()]
    );
    let year = 1935 + (n * 7) % 70;
    let month = 1 + (n * 5) % 12;
    let day = 1 + (n * 11) % 28;
    let birth_date = format!("{year:04}-{month:02}-{day:02}");
    // Sequence 000–999 from n, so 10,000 people never share a number:
    // the birth date differs where the sequence repeats.
    let seq = n % 1000;
    let id_number = with_check(&format!("330106{year:04}{month:02}{day:02}{seq:03}"));
    SamplePerson {
        name,
        id_number,
        birth_date,
    }
}

/// One of [`sample_person`]'s residents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamplePerson {
    pub name: String,
    pub id_number: String,
    pub birth_date: String,
}

impl AssignedHousehold {
    /// A sample village of `n` households, for the demo and tests. Every
    /// person is someone of their own: a name, an ID number whose birth
    /// date and sex agree with them, a phone of their own.
    pub fn sample(n: usize) -> Vec<Self> {
        struct Family {
            head: &'static str,
            head_male: bool,
            head_born: &'static str,
            spouse: &'static str,
            spouse_born: &'static str,
            /// A child or a grandchild, with that relation.
            young: &'static str,
            relation: &'static str,
            young_born: &'static str,
        }
        #[rustfmt::skip]
        const FAMILIES: &[Family] = &[
            Family { head: "王秀英", head_male: false, head_born: "1952-03-15", spouse: "李卫东", spouse_born: "1950-11-08", young: "李子涵", relation: "grandchild", young_born: "2015-06-01" },
            Family { head: "李建国", head_male: true, head_born: "1961-07-22", spouse: "赵桂芳", spouse_born: "1963-02-10", young: "李思远", relation: "child", young_born: "1990-09-18" },
            Family { head: "张桂兰", head_male: false, head_born: "1948-12-03", spouse: "陈福生", spouse_born: "1946-04-27", young: "陈晓燕", relation: "child", young_born: "1975-01-30" },
            Family { head: "刘德明", head_male: true, head_born: "1970-05-09", spouse: "孙丽娟", spouse_born: "1972-10-16", young: "刘一诺", relation: "child", young_born: "2012-08-08" },
            Family { head: "陈淑珍", head_male: false, head_born: "1939-09-09", spouse: "黄国强", spouse_born: "1937-03-03", young: "黄嘉怡", relation: "grandchild", young_born: "2009-11-21" },
            Family { head: "杨立新", head_male: true, head_born: "1958-01-25", spouse: "周美华", spouse_born: "1960-06-06", young: "杨帆", relation: "child", young_born: "1986-12-12" },
        ];
        (0..n)
            .map(|i| {
                let f = &FAMILIES[i % FAMILIES.len()];
                let id = format!("HH-{:03}", i + 1);
                // Sequence numbers: odd for men, even for women, distinct
                // per household.
                let number = |born: &str, male: bool, k: usize| {
                    let seq = (i * 8 + k * 2) % 998 + usize::from(male) + 2;
                    with_check(&format!("330106{}{seq:03}", born.replace('-', "")))
                };
                let phone = |k: usize| format!("139{:04}{:04}", 5710 + i % 1000, 2000 + k);
                let member =
                    |k: usize, name: &str, relation: &str, born: &str, male: bool| Member {
                        id: format!("{id}-M{k}"),
                        name: name.into(),
                        relation: relation.into(),
                        id_number: Some(number(born, male, k)),
                        birth_date: Some(born.into()),
                        phone: (relation != "grandchild").then(|| phone(k)),
                    };
                Self {
                    members: vec![
                        member(1, f.head, "head", f.head_born, f.head_male),
                        member(2, f.spouse, "spouse", f.spouse_born, !f.head_male),
                        member(3, f.young, f.relation, f.young_born, i % 2 == 0),
                    ],
                    body: HouseholdBody {
                        head_name: f.head.to_string(),
                        address: format!("西湖区转塘街道桐坞村{}号", i + 1),
                        division: "330106001001".into(),
                    },
                    id,
                }
            })
            .collect()
    }
}

fn valid(id: &str, h: &HouseholdBody) -> bool {
    let id_ok = (8..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let name = h.head_name.trim();
    id_ok
        && !name.is_empty()
        && name.chars().count() <= 64
        && h.address.chars().count() <= 200
        && matches!(h.division.len(), 6 | 12)
        && h.division.bytes().all(|b| b.is_ascii_digit())
}

/// The households of every worker, in the backend's database.
pub struct Roster {
    conn: Mutex<Connection>,
}

impl Roster {
    pub fn open(path: Option<&std::path::Path>) -> rusqlite::Result<Self> {
        let conn = crate::store::connect(path)?;
        conn.execute_batch(SCHEMA)?;
        // A database from before members were kept gains the column.
        let has_members: bool = conn.query_row(
            "SELECT COUNT(*) > 0 FROM pragma_table_info('households') WHERE name = 'members'",
            [],
            |r| r.get(0),
        )?;
        if !has_members {
            conn.execute_batch(
                "ALTER TABLE households ADD COLUMN members TEXT NOT NULL DEFAULT '[]';",
            )?;
        }
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces the households assigned to `worker` (the township's side;
    /// `PUT /v1/dev/roster/{worker}` in the reference backend). Households
    /// the worker added stay.
    pub fn assign(&self, worker: &str, households: &[AssignedHousehold]) -> bool {
        let conn = self.conn();
        (|| -> rusqlite::Result<()> {
            let tx = conn.unchecked_transaction()?;
            tx.execute(
                "DELETE FROM households WHERE worker = ?1 AND origin = 'assigned'",
                [worker],
            )?;
            for h in households {
                let body = serde_json::to_vec(&h.body).unwrap_or_default();
                let members = serde_json::to_string(&h.members).unwrap_or_else(|_| "[]".into());
                tx.execute(
                    "INSERT INTO households (id, worker, origin, head_name, address, division,
                         sha256, received_at, members)
                     VALUES (?1, ?2, 'assigned', ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT (id) DO UPDATE SET worker = excluded.worker,
                         origin = 'assigned', head_name = excluded.head_name,
                         address = excluded.address, division = excluded.division,
                         sha256 = excluded.sha256, members = excluded.members",
                    params![
                        h.id,
                        worker,
                        h.body.head_name,
                        h.body.address,
                        h.body.division,
                        sha256(&body),
                        unix_now(),
                        members
                    ],
                )?;
            }
            tx.commit()
        })()
        .is_ok()
    }

    /// `GET /v1/roster`: the caller's households, assigned and added.
    pub fn list(&self, caller: &Caller) -> Value {
        let conn = self.conn();
        let list = (|| -> rusqlite::Result<Vec<Value>> {
            let mut stmt = conn.prepare(
                "SELECT id, origin, head_name, address, division, members FROM households
                 WHERE worker = ?1 ORDER BY origin, id",
            )?;
            let rows = stmt.query_map([&caller.subject], |r| {
                let members: Value =
                    serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_else(|_| json!([]));
                Ok(json!({
                    "id": r.get::<_, String>(0)?,
                    "origin": r.get::<_, String>(1)?,
                    "head_name": r.get::<_, String>(2)?,
                    "address": r.get::<_, String>(3)?,
                    "division": r.get::<_, String>(4)?,
                    "members": members,
                }))
            })?;
            rows.collect()
        })()
        .unwrap_or_default();
        json!({ "households": list })
    }

    /// `PUT /v1/roster/households/{id}`: a household the worker added.
    /// Returns 201 or 200 (a repeat) with the receipt.
    pub fn put_household(
        &self,
        caller: &Caller,
        id: &str,
        body: &[u8],
    ) -> Result<(StatusCode, Value), (StatusCode, Value)> {
        let fail = |status: StatusCode, code: &str| (status, json!({ "error": code }));
        let hash = sha256(body);
        let conn = self.conn();
        let known: Option<(String, String, i64)> = conn
            .query_row(
                "SELECT sha256, worker, received_at FROM households WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|_| fail(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        if let Some((known_hash, worker, received_at)) = known {
            if known_hash != hash || worker != caller.subject {
                return Err(fail(StatusCode::CONFLICT, "conflict"));
            }
            return Ok((
                StatusCode::OK,
                json!({"id": id, "sha256": hash, "received_at": received_at}),
            ));
        }
        let household: HouseholdBody = serde_json::from_slice(body)
            .map_err(|_| fail(StatusCode::UNPROCESSABLE_ENTITY, "invalid_household"))?;
        if !valid(id, &household) {
            return Err(fail(StatusCode::UNPROCESSABLE_ENTITY, "invalid_household"));
        }
        let now = unix_now();
        conn.execute(
            "INSERT INTO households (id, worker, origin, head_name, address, division, sha256,
                 received_at)
             VALUES (?1, ?2, 'added', ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                caller.subject,
                household.head_name,
                household.address,
                household.division,
                hash,
                now
            ],
        )
        .map_err(|_| fail(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        Ok((
            StatusCode::CREATED,
            json!({"id": id, "sha256": hash, "received_at": now}),
        ))
    }

    /// Folds the member table of a visit's submission into the register of
    /// the household it names, when that household is the worker's. Which
    /// answers are which member values comes from the form's own prefill
    /// declarations (a repeat with `subject.members`, its fields with
    /// `member.*`); a form without them changes nothing. Members are
    /// matched by the id their instance carries (`_id`): a known one is
    /// updated with the values the visit has, an unknown one with a name is
    /// added. Returns how many members changed.
    pub fn fold_visit(&self, caller: &Caller, definition: &Value, submission: &Value) -> usize {
        let Some(household) = submission["subject"]["household_id"].as_str() else {
            return 0;
        };
        let Some((repeat, fields)) = member_fields(definition) else {
            return 0;
        };
        let Some(rows) = submission["answers"][repeat.as_str()].as_array() else {
            return 0;
        };
        let conn = self.conn();
        let known: Option<String> = conn
            .query_row(
                "SELECT members FROM households WHERE id = ?1 AND worker = ?2",
                [household, &caller.subject],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten();
        let Some(known) = known else { return 0 };
        let mut members: Vec<Member> = serde_json::from_str(&known).unwrap_or_default();
        let mut changed = 0;
        for row in rows {
            let Some(id) = row["_id"].as_str().filter(|id| valid_member_id(id)) else {
                continue;
            };
            let value = |attr: &str| -> Option<String> {
                let (name, _) = fields.iter().find(|(_, a)| a == attr)?;
                let v = row.get(name.as_str())?.as_str()?.trim();
                (!v.is_empty() && v.chars().count() <= 64).then(|| v.to_string())
            };
            let relation = value("relation").filter(|r| RELATIONS.contains(&r.as_str()));
            match members.iter_mut().find(|m| m.id == id) {
                Some(m) => {
                    let before = m.clone();
                    if let Some(v) = value("name") {
                        m.name = v;
                    }
                    if let Some(v) = relation {
                        m.relation = v;
                    }
                    m.id_number = value("id_number").or(m.id_number.take());
                    m.birth_date = value("birth_date").or(m.birth_date.take());
                    m.phone = value("phone").or(m.phone.take());
                    changed += usize::from(*m != before);
                }
                None => {
                    // A register of fifty is a household; past it, a client
                    // keeps only the first fifty, so the rest would be lost.
                    if members.len() >= MAX_MEMBERS {
                        continue;
                    }
                    let Some(name) = value("name") else { continue };
                    members.push(Member {
                        id: id.to_string(),
                        name,
                        relation: relation.unwrap_or_else(|| "other".into()),
                        id_number: value("id_number"),
                        birth_date: value("birth_date"),
                        phone: value("phone"),
                    });
                    changed += 1;
                }
            }
        }
        if changed > 0 {
            let json = serde_json::to_string(&members).unwrap_or_else(|_| known.clone());
            if conn
                .execute(
                    "UPDATE households SET members = ?1 WHERE id = ?2 AND worker = ?3",
                    params![json, household, caller.subject],
                )
                .is_err()
            {
                return 0;
            }
        }
        changed
    }

    /// The members of household `id`, for tests and the demo.
    pub fn members_of(&self, id: &str) -> Vec<Member> {
        self.conn()
            .query_row("SELECT members FROM households WHERE id = ?1", [id], |r| {
                r.get::<_, String>(0)
            })
            .ok()
            .and_then(|m| serde_json::from_str(&m).ok())
            .unwrap_or_default()
    }

    /// Every household worker `worker` has, for tests and the demo.
    pub fn households_of(&self, worker: &str) -> Vec<(String, String)> {
        let conn = self.conn();
        (|| -> rusqlite::Result<Vec<(String, String)>> {
            let mut stmt =
                conn.prepare("SELECT id, origin FROM households WHERE worker = ?1 ORDER BY id")?;
            let rows = stmt.query_map([worker], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })()
        .unwrap_or_default()
    }
}

/// The repeat a form fills with a household's members, and its fields
/// with the member value each holds (`name`, `relation`, …), from the
/// form's prefill declarations (`docs/forms.md`).
fn member_fields(definition: &Value) -> Option<(String, Vec<(String, String)>)> {
    let repeat = definition["fields"]
        .as_array()?
        .iter()
        .find(|f| f["type"] == "repeat" && f["prefill"] == "subject.members")?;
    let fields = repeat["fields"]
        .as_array()?
        .iter()
        .filter_map(|f| {
            let attr = f["prefill"].as_str()?.strip_prefix("member.")?;
            let name = f["name"].as_str()?;
            (attr != "age").then(|| (name.to_string(), attr.to_string()))
        })
        .collect();
    Some((repeat["name"].as_str()?.to_string(), fields))
}

fn valid_member_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `GET /v1/roster`: the caller's households, assigned by the township and
/// added by them.
pub(crate) async fn list(State(state): State<Arc<AppState>>, caller: Caller) -> Response {
    Json(state.roster.list(&caller)).into_response()
}

/// `PUT /v1/roster/households/{id}`: a household the worker added on the
/// phone (idempotent by its id).
pub(crate) async fn put_household(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Reply {
    crate::edge::require_media_type(&headers, "application/json")?;
    Ok(stored(state.roster.put_household(&caller, &id, &body)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::tests::caller;

    #[test]
    fn assigned_and_added_households_with_idempotent_adds() {
        let s = Roster::open(None).unwrap();
        assert!(s.assign("w1", &AssignedHousehold::sample(3)));
        let w1 = caller("w1");
        let body = r#"{"head_name":"赵六","address":"3组","division":"330106001001"}"#.as_bytes();
        let id = "0b6f3a52-9c1e-4c8e-9d1f-2f7b3c4d5e6f";
        let (status, first) = s.put_household(&w1, id, body).unwrap();
        assert_eq!(status, StatusCode::CREATED);
        let (status, again) = s.put_household(&w1, id, body).unwrap();
        assert_eq!((status, &again), (StatusCode::OK, &first));
        let changed =
            r#"{"head_name":"赵七","address":"3组","division":"330106001001"}"#.as_bytes();
        assert_eq!(
            s.put_household(&w1, id, changed).unwrap_err().0,
            StatusCode::CONFLICT
        );
        assert_eq!(
            s.put_household(&caller("w2"), id, body).unwrap_err().0,
            StatusCode::CONFLICT
        );
        let list = s.list(&w1);
        assert_eq!(list["households"].as_array().unwrap().len(), 4);
        assert_eq!(list["households"][0]["origin"], "added");
        assert_eq!(s.list(&caller("w2"))["households"], json!([]));
        // Reassignment replaces assigned households and keeps added ones.
        assert!(s.assign("w1", &AssignedHousehold::sample(1)));
        assert_eq!(s.households_of("w1").len(), 2);
    }

    #[test]
    fn a_visit_corrects_and_adds_members_and_removes_none() {
        let s = Roster::open(None).unwrap();
        assert!(s.assign("w1", &AssignedHousehold::sample(1)));
        let before = s.members_of("HH-001");
        assert_eq!(before.len(), 3);
        assert_eq!(before[0].relation, "head");
        let definition: Value = serde_json::from_str(crate::submissions::BUNDLED_FORMS[0]).unwrap();
        let visit = json!({
            "form_id": "household-visit", "form_version": 1,
            "subject": {"household_id": "HH-001", "name": "王秀英"},
            "answers": {"members": [
                // The spouse's ID number corrected at the visit.
                {"_id": "HH-001-M2", "member_name": "李卫东", "relation": "spouse",
                 "member_id_number": "330106195011080011", "member_age": 76},
                // A daughter-in-law who moved in, added at the visit.
                {"_id": "0b6f3a52-9c1e-4c8e-9d1f-2f7b3c4d5e70", "member_name": "何雪梅",
                 "relation": "other", "member_age": 41},
                {"_id": "../x", "member_name": "不可用"}
            ]}
        });
        // Another worker's visit to this household changes nothing.
        assert_eq!(s.fold_visit(&caller("w2"), &definition, &visit), 0);
        assert_eq!(s.fold_visit(&caller("w1"), &definition, &visit), 2);
        let after = s.members_of("HH-001");
        assert_eq!(after.len(), 4, "nobody is removed by a visit");
        assert_eq!(after[1].id_number.as_deref(), Some("330106195011080011"));
        assert_eq!(after[1].birth_date, before[1].birth_date);
        assert_eq!(
            (after[3].name.as_str(), after[3].relation.as_str()),
            ("何雪梅", "other")
        );
        // The same visit again (a repeat delivery) changes nothing more.
        assert_eq!(s.fold_visit(&caller("w1"), &definition, &visit), 0);
        let listed = s.list(&caller("w1"));
        assert_eq!(
            listed["households"][0]["members"].as_array().unwrap().len(),
            4
        );
    }

    #[test]
    fn sample_people_are_people_of_their_own() {
        let people: Vec<SamplePerson> = (0..10_000).map(sample_person).collect();
        let ids: std::collections::HashSet<&str> =
            people.iter().map(|p| p.id_number.as_str()).collect();
        assert_eq!(ids.len(), people.len(), "no two share an ID number");
        for p in people.iter().take(50) {
            assert_eq!(with_check(&p.id_number[..17]), p.id_number);
            assert_eq!(&p.id_number[6..14], p.birth_date.replace('-', ""));
        }
        // Sample households' members are real too: their own numbers.
        let members: Vec<Member> = AssignedHousehold::sample(6)
            .into_iter()
            .flat_map(|h| h.members)
            .collect();
        let numbers: std::collections::HashSet<_> =
            members.iter().filter_map(|m| m.id_number.clone()).collect();
        assert_eq!(numbers.len(), members.len());
    }

    #[test]
    fn malformed_households_are_refused() {
        let s = Roster::open(None).unwrap();
        let w = caller("w1");
        let id = "0b6f3a52-9c1e-4c8e-9d1f-2f7b3c4d5e6f";
        for body in [
            &br#"{"head_name":" ","address":"","division":"330106"}"#[..],
            br#"{"head_name":"x","address":"","division":"33010"}"#,
            br#"{"head_name":"x","address":"","division":"330106","extra":1}"#,
            b"<html>",
        ] {
            assert_eq!(
                s.put_household(&w, id, body).unwrap_err().1["error"],
                "invalid_household"
            );
        }
        let ok = br#"{"head_name":"x","address":"","division":"330106"}"#;
        assert_eq!(
            s.put_household(&w, "../etc", ok).unwrap_err().0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
