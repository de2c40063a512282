//! The reminders due, as a pure function of what the phone knows, the
//! region's policy, the time and the time zone: the same inputs always give
//! the same list, in the same order, with the same ids.

use super::{Reminder, ReminderKind};
use crate::error::MessageArg;
use crate::i18n::text;
use crate::outbox::ApplicationStatus;
use crate::region::profile::RemindersPart;
use crate::wallet::Holding;

const HOUR: i64 = 3600 * 1000;
const DAY: i64 = 24 * HOUR;

/// What reminders are computed from.
#[derive(Debug, Default, Clone)]
pub(crate) struct Inputs {
    pub applications: Vec<ApplicationStatus>,
    pub licences: Vec<Holding>,
    /// Ids the shell reported shown.
    pub shown: Vec<String>,
}

/// Local time in one zone, by its offset from UTC.
#[derive(Clone, Copy)]
struct Zone {
    offset_ms: i64,
}

impl Zone {
    /// The local day (days since 1970-01-01) of an instant.
    fn day(self, at_ms: i64) -> i64 {
        (at_ms + self.offset_ms).div_euclid(DAY)
    }

    /// The instant of `hour` o'clock on a local day.
    fn at(self, day: i64, hour: u32) -> i64 {
        day * DAY + i64::from(hour) * HOUR - self.offset_ms
    }

    /// `at_ms`, or the end of the quiet hours it falls in.
    fn awake(self, at_ms: i64, (from, to): (u32, u32)) -> i64 {
        if from == to {
            return at_ms;
        }
        let local = (at_ms + self.offset_ms).rem_euclid(DAY);
        let hour = (local / HOUR) as u32;
        let quiet = if from < to {
            (from..to).contains(&hour)
        } else {
            hour >= from || hour < to
        };
        if !quiet {
            return at_ms;
        }
        let day = self.day(at_ms) + i64::from(hour >= from && from > to);
        self.at(day, to)
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
fn days_of(date: &str) -> Option<i64> {
    palmgov_credentials::compact::date_to_days(date).map(i64::from)
}

/// The reminders of an event with lead times before its `day` (each no
/// later than `before`): each lead still ahead, and of those already
/// passed only the latest, moved to now (out of the quiet hours), unless
/// the next is less than a day away: a phone that was off for a week shows
/// one reminder, not three, and its text counts from when it is shown.
fn leads(
    zone: Zone,
    day: i64,
    leads: &[u32],
    policy: &RemindersPart,
    now: i64,
    before: i64,
) -> Vec<(u32, i64)> {
    let mut times: Vec<(u32, i64)> = leads
        .iter()
        .map(|&lead| {
            (
                lead,
                zone.at(day - i64::from(lead), policy.hour).min(before),
            )
        })
        .collect();
    times.sort_unstable_by_key(|&(lead, at)| (at, lead));
    times.dedup_by_key(|t| t.1);
    let passed = times.iter().filter(|t| t.1 <= now).count();
    times.drain(..passed.saturating_sub(1));
    if times.first().is_some_and(|t| t.1 <= now) {
        let awake = zone.awake(now, policy.quiet_hours);
        times[0].1 = if awake < before { awake } else { now };
        // A late one less than a day before the next is only noise.
        if times.get(1).is_some_and(|next| next.1 - times[0].1 < DAY) {
            times.remove(0);
        }
    }
    times
}

/// A short, stable tag of what makes an event itself (a licence's row and
/// last valid day, a due date), for a reminder's id: ids reach the OS's
/// notification store and the shells' logs, so they carry no date of the
/// person's.
fn tag(event: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, event.as_bytes());
    crate::crypto::hex(&digest.as_ref()[..6])
}

fn number(n: i64) -> MessageArg {
    MessageArg::Number(n as f64)
}

/// The reminders due within `horizon_days` of `now_ms`, soonest first.
pub(crate) fn compute(
    inputs: &Inputs,
    policy: &RemindersPart,
    now_ms: i64,
    utc_offset_minutes: i32,
    horizon_days: u32,
    language: &str,
) -> Vec<Reminder> {
    let zone = Zone {
        offset_ms: i64::from(utc_offset_minutes.clamp(-14 * 60, 14 * 60)) * 60 * 1000,
    };
    let mut out = Vec::new();
    // Hundreds of reminders share a handful of texts: each is formatted once.
    let mut texts: Vec<(&'static str, MessageArg, String)> = Vec::new();
    let mut say = |id: &'static str, name: &'static str, arg: MessageArg| -> String {
        if let Some((_, _, t)) = texts.iter().find(|(i, a, _)| *i == id && *a == arg) {
            return t.clone();
        }
        let t = text(id, language, &[(name, arg.clone())]);
        texts.push((id, arg, t.clone()));
        t
    };
    // A reminder: its title's message, and its body's with one argument.
    let mut add = |id: String,
                   kind,
                   at_ms,
                   title: &'static str,
                   (body, name, arg): (&'static str, &'static str, MessageArg),
                   deep_link: String| {
        out.push(Reminder {
            id,
            kind,
            at_ms,
            title: say(title, "_", MessageArg::Number(0.0)),
            body: say(body, name, arg),
            deep_link,
        });
    };

    for app in &inputs.applications {
        let link = format!("applications/{}", app.instance_id);
        // What the phone sent itself is no news; a change a sync found is,
        // for a while.
        let window = i64::from(policy.status_window_hours) * HOUR;
        if app.status != "submitted" && app.updated_at_ms + window > now_ms {
            add(
                format!("status.{}.{}", app.instance_id, app.history.len()),
                ReminderKind::StatusChanged,
                zone.awake(app.updated_at_ms, policy.quiet_hours),
                "reminder-status-title",
                (
                    "reminder-status-body",
                    "status",
                    MessageArg::Text(app.status.clone()),
                ),
                link.clone(),
            );
        }
        // The latest event asks for materials by a date still ahead.
        let Some(due) = app.history.last().and_then(|e| e.due_at_ms) else {
            continue;
        };
        // A date that passed, or one no caseworker means (a backend's
        // value, bounded so the arithmetic below cannot overflow).
        if due <= now_ms || due > now_ms.saturating_add(3650 * DAY) {
            continue;
        }
        let due_day = zone.day(due);
        let times = leads(
            zone,
            due_day,
            &policy.correction_due_days,
            policy,
            now_ms,
            due - HOUR,
        );
        // One hash per event, not per lead.
        let event = if times.is_empty() {
            String::new()
        } else {
            tag(&due.to_string())
        };
        for (lead, at) in times {
            add(
                format!("due.{}.{}.{}", app.instance_id, event, lead),
                ReminderKind::MaterialsDue,
                at,
                "reminder-due-title",
                ("reminder-due-body", "days", number(due_day - zone.day(at))),
                link.clone(),
            );
        }
    }

    let today = zone.day(now_ms);
    for licence in &inputs.licences {
        let Some(last_day) = days_of(&licence.valid_until) else {
            continue;
        };
        // A licence without an end, or already expired (the wallet says so).
        if licence.valid_until.starts_with("9999") || last_day < today {
            continue;
        }
        let end = zone.at(last_day + 1, 0);
        let times = leads(
            zone,
            last_day,
            &policy.licence_expiry_days,
            policy,
            now_ms,
            end,
        );
        let event = if times.is_empty() {
            String::new()
        } else {
            tag(&format!("{}|{}", licence.row, licence.valid_until))
        };
        for (lead, at) in times {
            add(
                format!("licence.{}.{}", event, lead),
                ReminderKind::LicenceExpiring,
                at,
                "reminder-licence-title",
                (
                    "reminder-licence-body",
                    "days",
                    number(last_day - zone.day(at)),
                ),
                "wallet".into(),
            );
        }
    }

    let horizon = now_ms + i64::from(horizon_days) * DAY;
    // Shown ids are kept 400 days: a set, not a scan per reminder.
    let shown: std::collections::HashSet<&str> = inputs.shown.iter().map(String::as_str).collect();
    out.retain(|r| r.at_ms <= horizon && !shown.contains(r.id.as_str()));
    // Ids are unique, so an unstable sort gives one order.
    out.sort_unstable_by(|a, b| a.at_ms.cmp(&b.at_ms).then_with(|| a.id.cmp(&b.id)));
    out
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn dates_count_days_from_1970() {
        assert_eq!(days_of("1970-01-01"), Some(0));
        assert_eq!(days_of("2000-03-01"), Some(11_017));
        assert_eq!(days_of("2026-12-07"), Some(20_794));
        assert_eq!(days_of("2026-13-01"), None);
        assert_eq!(days_of("soon"), None);
    }

    #[test]
    fn quiet_hours_move_to_their_end() {
        let beijing = Zone {
            offset_ms: 8 * HOUR,
        };
        let day = 20_794;
        // 02:00 local is quiet (21–8): moved to 08:00 the same day.
        assert_eq!(
            beijing.awake(beijing.at(day, 2), (21, 8)),
            beijing.at(day, 8)
        );
        // 22:00 local: to 08:00 the next day.
        assert_eq!(
            beijing.awake(beijing.at(day, 22), (21, 8)),
            beijing.at(day + 1, 8)
        );
        // 12:00 is not quiet.
        assert_eq!(
            beijing.awake(beijing.at(day, 12), (21, 8)),
            beijing.at(day, 12)
        );
        // A quiet span within a day (13–14).
        assert_eq!(
            beijing.awake(beijing.at(day, 13), (13, 14)),
            beijing.at(day, 14)
        );
    }
}
