//! Reminders as a pure function: times, lead times, quiet hours, time
//! zones, what is left out, and the texts on the lock screen.

use super::compute::{Inputs, compute};
use super::{ReminderKind, reconcile};
use crate::outbox::{ApplicationStatus, StatusEvent};
use crate::region::profile::RemindersPart;
use crate::wallet::Holding;

const HOUR: i64 = 3600 * 1000;
const DAY: i64 = 24 * HOUR;
/// 2026-12-07 00:00 in Beijing (UTC+8), ms.
const DEC7: i64 = 20_794 * DAY - 8 * HOUR;
const BEIJING: i32 = 480;

fn event(status: &str, at_ms: i64, due_at_ms: Option<i64>) -> StatusEvent {
    StatusEvent {
        status: status.into(),
        at_ms,
        note: Some("陈丽华的材料缺户口簿首页".into()),
        due_at_ms,
        requested_materials: if due_at_ms.is_some() {
            vec!["户口簿首页复印件".into()]
        } else {
            Vec::new()
        },
    }
}

fn application(id: &str, status: &str, found_at: i64, due: Option<i64>) -> ApplicationStatus {
    ApplicationStatus {
        instance_id: id.into(),
        form_id: "residence-certificate".into(),
        status: status.into(),
        updated_at_ms: found_at,
        history: vec![
            event("submitted", found_at - DAY, None),
            event(status, found_at, due),
        ],
    }
}

fn licence(row: &str, valid_until: &str) -> Holding {
    Holding {
        row: row.into(),
        licence_type: "driving_licence".into(),
        valid_until: valid_until.into(),
        usable: true,
    }
}

fn policy() -> RemindersPart {
    RemindersPart::default()
}

#[test]
fn a_status_change_found_at_night_waits_for_morning_and_expires() {
    let found = DEC7 + 2 * HOUR; // 02:00 in Beijing
    let inputs = Inputs {
        applications: vec![
            application("a1", "approved", found, None),
            // What the phone itself sent is no news.
            ApplicationStatus {
                status: "submitted".into(),
                history: vec![event("submitted", found, None)],
                ..application("a2", "submitted", found, None)
            },
        ],
        ..Default::default()
    };
    let now = found + HOUR;
    let due = compute(&inputs, &policy(), now, BEIJING, 30, "zh-Hans");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].kind, ReminderKind::StatusChanged);
    assert_eq!(due[0].at_ms, DEC7 + 8 * HOUR);
    assert_eq!(due[0].id, "status.a1.2");
    assert_eq!(due[0].deep_link, "applications/a1");
    assert_eq!(due[0].title, "办件进度更新");
    assert_eq!(due[0].body, "您的一项申请已办结。");
    // Past the policy's window (72 h) it is no longer worth a notification.
    assert!(
        compute(
            &inputs,
            &policy(),
            found + 73 * HOUR,
            BEIJING,
            30,
            "zh-Hans"
        )
        .is_empty()
    );
}

#[test]
fn materials_due_are_reminded_at_each_lead_and_a_missed_lead_once() {
    // Due 2026-12-12 17:00 Beijing; leads 3 and 1 days, at 09:00.
    let due_at = DEC7 + 5 * DAY + 17 * HOUR;
    let app = application("a7", "correction_required", DEC7 - 10 * DAY, Some(due_at));
    let inputs = Inputs {
        applications: vec![app],
        ..Default::default()
    };
    let r = compute(&inputs, &policy(), DEC7 + 10 * HOUR, BEIJING, 30, "zh-Hans");
    let times: Vec<_> = r.iter().map(|r| (r.kind, r.at_ms)).collect();
    assert_eq!(
        times,
        [
            (ReminderKind::MaterialsDue, DEC7 + 2 * DAY + 9 * HOUR),
            (ReminderKind::MaterialsDue, DEC7 + 4 * DAY + 9 * HOUR),
        ]
    );
    assert_eq!(r[0].body, "一项申请需在 3 天内补正材料。");
    assert_eq!(r[1].body, "一项申请需在 1 天内补正材料。");
    // A phone off until the day before, 10:00: both leads passed unseen;
    // only the latest remains, shown now, counting from now.
    let now = DEC7 + 4 * DAY + 10 * HOUR;
    let late = compute(&inputs, &policy(), now, BEIJING, 30, "zh-Hans");
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].at_ms, now);
    assert_eq!(late[0].body, "一项申请需在 1 天内补正材料。");
    // Off until 02:00 that day: the missed one would wait for 08:00, an
    // hour before the next, so only the next is left.
    let night = compute(
        &inputs,
        &policy(),
        DEC7 + 4 * DAY + 2 * HOUR,
        BEIJING,
        30,
        "zh-Hans",
    );
    assert_eq!(
        night.iter().map(|r| r.at_ms).collect::<Vec<_>>(),
        [DEC7 + 4 * DAY + 9 * HOUR]
    );
    // Past the due date: nothing.
    assert!(compute(&inputs, &policy(), due_at + 1, BEIJING, 30, "zh-Hans").is_empty());
}

#[test]
fn licences_near_expiry_follow_the_lead_times_and_the_horizon() {
    // Last valid day 2027-01-16: 40 days ahead.
    let inputs = Inputs {
        licences: vec![
            licence("row-1", "2027-01-16"),
            licence("row-2", "9999-12-31"),
            licence("row-3", "2026-12-01"),
        ],
        ..Default::default()
    };
    let now = DEC7 + 12 * HOUR;
    let r = compute(&inputs, &policy(), now, BEIJING, 60, "en");
    // Ids name the licence's row and lead, never its date.
    let got: Vec<_> = r
        .iter()
        .map(|r| (r.id.rsplit('.').next().unwrap(), r.at_ms, r.body.as_str()))
        .collect();
    for reminder in &r {
        assert!(
            !reminder.id.contains("2027") && !reminder.id.contains("row-1"),
            "{}",
            reminder.id
        );
    }
    assert_eq!(r[0].id.split('.').nth(1), r[2].id.split('.').nth(1));
    let last_day = DEC7 + 40 * DAY;
    assert_eq!(
        got,
        [
            (
                "30",
                last_day - 30 * DAY + 9 * HOUR,
                "One of your e-licences expires in 30 days. Please renew it."
            ),
            (
                "7",
                last_day - 7 * DAY + 9 * HOUR,
                "One of your e-licences expires in 7 days. Please renew it."
            ),
            (
                "0",
                last_day + 9 * HOUR,
                "One of your e-licences expires today. Please renew it."
            ),
        ]
    );
    // A 20-day horizon holds only the first.
    assert_eq!(compute(&inputs, &policy(), now, BEIJING, 20, "en").len(), 1);
    // Another time zone moves the same local 09:00.
    let urumqi = compute(&inputs, &policy(), now, 360, 60, "en");
    assert_eq!(urumqi[0].at_ms, r[0].at_ms + 2 * HOUR);
}

#[test]
fn the_same_inputs_give_the_same_list_and_shown_ones_are_left_out() {
    let found = DEC7 + 10 * HOUR;
    let mut inputs = Inputs {
        applications: vec![
            application("b2", "accepted", found, None),
            application("b1", "accepted", found, None),
        ],
        licences: vec![licence("row-9", "2026-12-20")],
        shown: Vec::new(),
    };
    let now = found + HOUR;
    let one = compute(&inputs, &policy(), now, BEIJING, 30, "ug");
    let two = compute(&inputs, &policy(), now, BEIJING, 30, "ug");
    assert_eq!(one, two);
    // Equal times are ordered by id.
    assert_eq!(one[0].id, "status.b1.2");
    assert_eq!(one[1].id, "status.b2.2");
    // The licence's 30-day lead passed before it was fetched: shown now,
    // counting the 13 days left, not 30.
    let missed = one
        .iter()
        .find(|r| r.kind == ReminderKind::LicenceExpiring && r.id.ends_with(".30"))
        .unwrap();
    assert_eq!(missed.at_ms, now);
    assert!(
        missed.body.contains("\u{2068}13\u{2069}"),
        "{}",
        missed.body
    );
    // Uyghur text isolates the number it carries (FSI … PDI).
    let licence_body = &one
        .iter()
        .find(|r| r.kind == ReminderKind::LicenceExpiring && r.id.ends_with(".7"))
        .unwrap()
        .body;
    assert!(licence_body.contains("\u{2068}7\u{2069}"), "{licence_body}");
    inputs.shown = vec!["status.b1.2".into()];
    let three = compute(&inputs, &policy(), now, BEIJING, 30, "ug");
    assert!(three.iter().all(|r| r.id != "status.b1.2"));
    assert_eq!(three.len(), one.len() - 1);
}

#[test]
fn lock_screen_texts_carry_no_personal_data() {
    let found = DEC7 + 10 * HOUR;
    let inputs = Inputs {
        applications: vec![application(
            "c1",
            "correction_required",
            found,
            Some(found + 3 * DAY),
        )],
        licences: vec![licence("row-4", "2026-12-30")],
        shown: Vec::new(),
    };
    for language in ["zh-Hans", "zh-Hant", "ug", "en"] {
        for r in compute(&inputs, &policy(), found + HOUR, BEIJING, 60, language) {
            for text in [&r.title, &r.body] {
                for private in [
                    "陈丽华",
                    "户口簿",
                    "residence-certificate",
                    "driving",
                    "c1",
                    "row-4",
                ] {
                    assert!(!text.contains(private), "{language}: {text}");
                }
            }
        }
    }
}

#[test]
fn a_plan_cancels_what_vanished_adds_what_is_new_and_keeps_the_soonest() {
    let found = DEC7 + 10 * HOUR;
    let inputs = Inputs {
        applications: (0..5)
            .map(|i| application(&format!("d{i}"), "accepted", found + i * HOUR, None))
            .collect(),
        ..Default::default()
    };
    let due = compute(&inputs, &policy(), found, BEIJING, 30, "zh-Hans");
    assert_eq!(due.len(), 5);
    let scheduled = vec!["status.d0.2".to_string(), "status.gone.2".to_string()];
    let plan = reconcile(due.clone(), &scheduled, 3);
    assert_eq!(plan.cancel, ["status.gone.2"]);
    let added: Vec<_> = plan.schedule.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(added, ["status.d1.2", "status.d2.2"]);
    assert_eq!(plan.due.len(), 3);
    // Beyond the capacity: a scheduled later one is cancelled.
    let plan = reconcile(due, &["status.d4.2".to_string()], 3);
    assert_eq!(plan.cancel, ["status.d4.2"]);
}

#[test]
fn a_due_date_no_caseworker_means_is_left_out_without_overflow() {
    let found = DEC7 + 10 * HOUR;
    for due in [i64::MAX, i64::MAX - 1, found + 20 * 365 * DAY] {
        let inputs = Inputs {
            applications: vec![application("e1", "correction_required", found, Some(due))],
            ..Default::default()
        };
        let r = compute(&inputs, &policy(), found + HOUR, BEIJING, 36_500, "en");
        assert!(
            r.iter().all(|r| r.kind != ReminderKind::MaterialsDue),
            "{r:?}"
        );
    }
}
