//! Stage 2 boards: the colour a target shows on the department board, report
//! timeliness per period, and the office's measures of the monitoring stage
//! (全面 comprehensive, 有力 strong, 有效 effective; docs/DOMAIN.md §11.2).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::monitor::{self, ProgressState, ReportStatus};
use super::plan::ReportFrequency;
use super::workdays::WorkCalendar;

/// The traffic light of a target on the department board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BoardColour {
    Red,
    Yellow,
    Green,
}

impl BoardColour {
    pub const ALL: &'static [BoardColour] = &[BoardColour::Red, BoardColour::Yellow, BoardColour::Green];

    /// The stable code used in the filter.
    pub fn code(self) -> &'static str {
        match self {
            BoardColour::Red => "red",
            BoardColour::Yellow => "yellow",
            BoardColour::Green => "green",
        }
    }

    pub fn parse(text: &str) -> Option<BoardColour> {
        Self::ALL.iter().copied().find(|c| c.code() == text.trim())
    }

    pub fn label_key(self) -> String {
        format!("boards-colour-{}", self.code())
    }

    /// The badge class showing the colour.
    pub fn badge(self) -> &'static str {
        match self {
            BoardColour::Red => "badge badge-danger",
            BoardColour::Yellow => "badge badge-warn",
            BoardColour::Green => "badge badge-ok",
        }
    }
}

/// What the colour of a target depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standing {
    /// Whether the latest period whose report deadline has passed has a
    /// report; `None` while no deadline has passed yet.
    pub last_due_reported: Option<bool>,
    /// The state and status of the target's latest report, if any.
    pub latest_state: Option<ProgressState>,
    pub latest_status: Option<ReportStatus>,
    /// The completion (%) of the latest verified report, and the share (%) of
    /// the cycle elapsed at the end of that report's period: what the
    /// completion is measured against.
    pub completion: Option<Decimal>,
    pub elapsed: Option<Decimal>,
}

/// Percentage points the completion may lag the elapsed share of the cycle
/// before the target turns yellow: a target verified at 40 % when half the
/// year has gone (50 %) is yellow, at 45 % still green. Kept here as named
/// constants until the per-year settings carry them.
pub const YELLOW_BEHIND_POINTS: i64 = 10;
/// Percentage points of lag that turn the target red: 12.5 % at the end of
/// November (about 92 % elapsed) is red, not green.
pub const RED_BEHIND_POINTS: i64 = 30;

/// The share of the cycle `[start, end]` elapsed by the end of `day`, in %
/// (0 before the start, 100 from the end on).
pub fn elapsed_share(cycle: (NaiveDate, NaiveDate), day: NaiveDate) -> Decimal {
    let whole = (cycle.1 - cycle.0).num_days() + 1;
    let gone = ((day - cycle.0).num_days() + 1).clamp(0, whole.max(1));
    share(gone, whole).unwrap_or(Decimal::ONE_HUNDRED)
}

/// How far (in percentage points) the completion lags the elapsed share; 0
/// when either is unknown or the target is ahead.
fn behind_points(standing: &Standing) -> Decimal {
    match (standing.completion, standing.elapsed) {
        (Some(completion), Some(elapsed)) => (elapsed - completion).max(Decimal::ZERO),
        _ => Decimal::ZERO,
    }
}

/// The colour from both timeliness and results.
/// Red when the latest due period has no report and its deadline has passed,
/// or the verified completion lags the elapsed share of the cycle by more
/// than [`RED_BEHIND_POINTS`]; yellow when the latest report says behind or
/// at risk, or was returned, or the completion lags by more than
/// [`YELLOW_BEHIND_POINTS`]; green otherwise.
pub fn colour(standing: &Standing) -> BoardColour {
    let behind = behind_points(standing);
    if standing.last_due_reported == Some(false) || behind > Decimal::from(RED_BEHIND_POINTS) {
        BoardColour::Red
    } else if matches!(standing.latest_state, Some(ProgressState::Behind | ProgressState::AtRisk))
        || standing.latest_status == Some(ReportStatus::Returned)
        || behind > Decimal::from(YELLOW_BEHIND_POINTS)
    {
        BoardColour::Yellow
    } else {
        BoardColour::Green
    }
}

/// How a period's report came, for the timeliness chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// First sent on or before the deadline.
    OnTime,
    /// First sent after the deadline.
    Late,
    /// Not sent, and the deadline has passed.
    Missing,
    /// Not sent, and the deadline is still ahead.
    Pending,
}

/// How the report of a period arrived: `first_sent` is the day its first
/// report was sent (office time), if any.
pub fn arrival(first_sent: Option<NaiveDate>, due: NaiveDate, today: NaiveDate) -> Arrival {
    match first_sent {
        Some(day) if day <= due => Arrival::OnTime,
        Some(_) => Arrival::Late,
        None if today > due => Arrival::Missing,
        None => Arrival::Pending,
    }
}

/// A reporting period of a cycle with its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DuePeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub due: NaiveDate,
}

/// The periods of a cycle that have ended before `today`, each with its
/// report deadline (`due_workdays` work days after its end).
pub fn ended_periods(
    cycle: (NaiveDate, NaiveDate),
    frequency: ReportFrequency,
    today: NaiveDate,
    due_workdays: i64,
    calendar: &WorkCalendar,
) -> Vec<DuePeriod> {
    monitor::periods(cycle.0, cycle.1, frequency)
        .into_iter()
        .filter(|(_, end)| *end < today)
        .map(|(start, end)| DuePeriod { start, end, due: monitor::report_due(end, due_workdays, calendar) })
        .collect()
}

/// The latest period whose deadline has passed: the one a target must have reported.
pub fn last_due(periods: &[DuePeriod], today: NaiveDate) -> Option<DuePeriod> {
    periods.iter().rev().find(|p| p.due < today).copied()
}

/// The reports of one target as the timeliness rules see them: each period's
/// start with the day its first report was sent.
pub type SentDays = [(NaiveDate, NaiveDate)];

fn first_sent(sent: &SentDays, period_start: NaiveDate) -> Option<NaiveDate> {
    sent.iter().filter(|(start, _)| *start == period_start).map(|(_, day)| *day).min()
}

/// The standing of one target: whether its last due period is reported.
pub fn last_due_reported(periods: &[DuePeriod], sent: &SentDays, today: NaiveDate) -> Option<bool> {
    last_due(periods, today).map(|p| first_sent(sent, p.start).is_some())
}

/// On time, late and missing reports of one period across targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodTimeliness {
    pub period: DuePeriod,
    pub on_time: i64,
    pub late: i64,
    pub missing: i64,
}

/// Timeliness per ended period over several targets (`sent` per target).
pub fn timeliness<'a>(
    periods: &[DuePeriod],
    targets: impl IntoIterator<Item = &'a SentDays> + Clone,
    today: NaiveDate,
) -> Vec<PeriodTimeliness> {
    periods
        .iter()
        .map(|period| {
            let mut counts = PeriodTimeliness { period: *period, on_time: 0, late: 0, missing: 0 };
            for sent in targets.clone() {
                match arrival(first_sent(sent, period.start), period.due, today) {
                    Arrival::OnTime => counts.on_time += 1,
                    Arrival::Late => counts.late += 1,
                    Arrival::Missing => counts.missing += 1,
                    Arrival::Pending => {}
                }
            }
            counts
        })
        .collect()
}

/// `part` of `whole` in percent (one decimal), or `None` when `whole` is zero.
pub fn share(part: i64, whole: i64) -> Option<Decimal> {
    (whole > 0).then(|| (Decimal::from(part) * Decimal::from(100) / Decimal::from(whole)).round_dp(1))
}

/// One accepted ledger record for a department's total: whose it is (a
/// person or the department itself), its item, points and the item's cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub subject: String,
    pub item_id: i64,
    pub points: Decimal,
    pub cap: Option<Decimal>,
}

/// A department's ledger total in a period: each subject's records capped per
/// item and its commendations together within `commendation_cap`
/// (`monitor::capped_total`), then summed over the subjects.
pub fn ledger_total(entries: &[LedgerEntry], commendation_cap: Decimal) -> Decimal {
    let mut by_subject: BTreeMap<&str, Vec<monitor::CappedRecord>> = BTreeMap::new();
    for e in entries {
        by_subject.entry(e.subject.as_str()).or_default().push((e.item_id, e.points, e.cap));
    }
    by_subject.values().map(|records| monitor::capped_total(records, commendation_cap)).sum()
}

/// Served cases of a department: received, done, the commitment's limit in work days.
pub type CaseFacts = (NaiveDate, Option<NaiveDate>, i64);

/// Kept and broken cases (open cases not yet late count as neither).
pub fn kept_and_broken(cases: &[CaseFacts], today: NaiveDate, calendar: &WorkCalendar) -> (i64, i64) {
    cases.iter().fold((0, 0), |(kept, broken), (received, done, limit)| {
        match monitor::case_kept(*received, *done, *limit, today, calendar) {
            Some(true) => (kept + 1, broken),
            Some(false) => (kept, broken + 1),
            None => (kept, broken),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workdays::official_schedule_2026;
    use rust_decimal_macros::dec;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn calendar() -> WorkCalendar {
        WorkCalendar::new(official_schedule_2026().into_iter().map(|(d, k, _)| (d, k)))
    }

    #[test]
    fn a_missing_report_past_its_deadline_is_red_whatever_the_last_report_said() {
        let standing = Standing {
            last_due_reported: Some(false),
            latest_state: Some(ProgressState::OnTrack),
            latest_status: Some(ReportStatus::Verified),
            ..Default::default()
        };
        assert_eq!(colour(&standing), BoardColour::Red);
    }

    #[test]
    fn behind_at_risk_or_returned_is_yellow() {
        for (state, status) in [
            (ProgressState::Behind, ReportStatus::Verified),
            (ProgressState::AtRisk, ReportStatus::Submitted),
            (ProgressState::OnTrack, ReportStatus::Returned),
        ] {
            let standing = Standing {
                last_due_reported: Some(true),
                latest_state: Some(state),
                latest_status: Some(status),
                ..Default::default()
            };
            assert_eq!(colour(&standing), BoardColour::Yellow, "{state:?} {status:?}");
        }
    }

    #[test]
    fn on_track_or_nothing_due_yet_is_green() {
        let on_track = Standing {
            last_due_reported: Some(true),
            latest_state: Some(ProgressState::OnTrack),
            latest_status: Some(ReportStatus::Submitted),
            ..Default::default()
        };
        assert_eq!(colour(&on_track), BoardColour::Green);
        assert_eq!(colour(&Standing::default()), BoardColour::Green);
    }

    #[test]
    fn the_colour_weighs_completion_against_the_elapsed_share_of_the_cycle() {
        let year = (day(1, 1), day(12, 31));
        let at = |completion: i64, end: NaiveDate| Standing {
            last_due_reported: Some(true),
            latest_state: Some(ProgressState::OnTrack),
            latest_status: Some(ReportStatus::Verified),
            completion: Some(Decimal::from(completion)),
            elapsed: Some(elapsed_share(year, end)),
        };
        // 12.5 % at the end of November, reported on time and "on track": red, not green.
        assert_eq!(colour(&at(12, day(11, 30))), BoardColour::Red);
        // Half the year gone: 45 % is close enough, 35 % is behind.
        assert_eq!(colour(&at(45, day(6, 30))), BoardColour::Green);
        assert_eq!(colour(&at(35, day(6, 30))), BoardColour::Yellow);
        assert_eq!(colour(&at(100, day(3, 31))), BoardColour::Green);
        assert_eq!(elapsed_share(year, day(12, 31)), Decimal::ONE_HUNDRED);
        assert_eq!(elapsed_share(year, day(1, 1) - chrono::Duration::days(3)), Decimal::ZERO);
    }

    #[test]
    fn reports_arrive_on_time_late_or_not_at_all() {
        let due = day(10, 13);
        assert_eq!(arrival(Some(day(10, 13)), due, day(11, 1)), Arrival::OnTime);
        assert_eq!(arrival(Some(day(10, 14)), due, day(11, 1)), Arrival::Late);
        assert_eq!(arrival(None, due, day(10, 14)), Arrival::Missing);
        assert_eq!(arrival(None, due, day(10, 13)), Arrival::Pending);
    }

    #[test]
    fn the_september_deadline_falls_after_the_national_day_holidays() {
        let periods = ended_periods((day(7, 1), day(12, 31)), ReportFrequency::Quarterly, day(10, 12), 5, &calendar());
        assert_eq!(periods, vec![DuePeriod { start: day(7, 1), end: day(9, 30), due: day(10, 13) }]);
        // On 12 October the third quarter is not due yet; on 14 October it is.
        assert_eq!(last_due(&periods, day(10, 12)), None);
        assert_eq!(last_due(&periods, day(10, 14)).map(|p| p.start), Some(day(7, 1)));
        assert_eq!(last_due_reported(&periods, &[], day(10, 14)), Some(false));
        assert_eq!(last_due_reported(&periods, &[(day(7, 1), day(10, 20))], day(10, 21)), Some(true));
        assert_eq!(last_due_reported(&periods, &[], day(10, 12)), None);
    }

    #[test]
    fn timeliness_counts_each_target_once_per_period_by_its_first_report() {
        let periods = ended_periods((day(1, 1), day(6, 30)), ReportFrequency::Quarterly, day(11, 1), 5, &calendar());
        let on_time_then_corrected: Vec<(NaiveDate, NaiveDate)> =
            vec![(day(1, 1), day(4, 2)), (day(1, 1), day(5, 20)), (day(4, 1), day(7, 1))];
        let late_then_missing: Vec<(NaiveDate, NaiveDate)> = vec![(day(1, 1), day(4, 30))];
        let counts =
            timeliness(&periods, [on_time_then_corrected.as_slice(), late_then_missing.as_slice()], day(11, 1));
        assert_eq!(counts.len(), 2);
        assert_eq!((counts[0].on_time, counts[0].late, counts[0].missing), (1, 1, 0));
        assert_eq!((counts[1].on_time, counts[1].late, counts[1].missing), (1, 0, 1));
    }

    #[test]
    fn shares_are_percentages_of_a_nonempty_whole() {
        assert_eq!(share(2, 3), Some(dec!(66.7)));
        assert_eq!(share(0, 0), None);
    }

    #[test]
    fn ledger_caps_apply_to_each_person_separately() {
        let entry =
            |subject: &str, item, points, cap| LedgerEntry { subject: subject.into(), item_id: item, points, cap };
        let entries = [
            entry("p1", 1, dec!(3), Some(dec!(5))),
            entry("p1", 1, dec!(3), Some(dec!(5))),
            entry("p2", 1, dec!(3), Some(dec!(5))),
            entry("d1", 2, dec!(-1), None),
        ];
        // p1 is capped at 5, p2 keeps 3, the department loses 1.
        assert_eq!(ledger_total(&entries, dec!(5)), dec!(7));
        assert_eq!(ledger_total(&[], dec!(5)), dec!(0));
        // The commendation cap holds each person, not the department as a whole.
        assert_eq!(ledger_total(&entries, dec!(4)), dec!(6));
    }

    #[test]
    fn cases_count_as_kept_broken_or_not_yet() {
        let cal = calendar();
        let cases = [
            (day(9, 30), Some(day(10, 10)), 3),
            (day(9, 30), Some(day(10, 12)), 3),
            (day(11, 20), None, 3),
            (day(9, 1), None, 3),
        ];
        assert_eq!(kept_and_broken(&cases, day(11, 23), &cal), (1, 2));
    }

    #[test]
    fn every_colour_has_a_label_in_both_languages() {
        use crate::i18n::Lang;
        for colour in BoardColour::ALL {
            assert_eq!(BoardColour::parse(colour.code()), Some(*colour));
            let key = colour.label_key();
            for lang in Lang::ALL {
                assert_ne!(lang.t(&key), key, "{lang:?} lacks {key}");
            }
        }
    }
}
