//! Members' satisfaction surveys by one-time links (委员满意度测评,
//! docs/DOMAIN.md §18.3): the kinds and states of a survey, when a link may
//! be used, what an answer sheet must hold, the public page's rate limit and
//! when results may be shown. The answers and their index and rate are in
//! [`super::satisfaction`].

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::satisfaction::{Answer, Tally};
use super::settings::Settings;
use super::validate::FieldError;

/// What a survey asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "survey_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum SurveyKind {
    /// The year-end survey: one item per department assessed.
    YearEnd,
    /// One event of the work systems, counted for its owner department.
    Event,
}

impl SurveyKind {
    pub const ALL: [SurveyKind; 2] = [SurveyKind::YearEnd, SurveyKind::Event];

    pub fn code(self) -> &'static str {
        match self {
            SurveyKind::YearEnd => "year_end",
            SurveyKind::Event => "event",
        }
    }

    pub fn parse(code: &str) -> Option<SurveyKind> {
        SurveyKind::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    pub fn label_key(self) -> &'static str {
        match self {
            SurveyKind::YearEnd => "survey-kind-year-end",
            SurveyKind::Event => "survey-kind-event",
        }
    }
}

/// Whether a survey still takes answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "survey_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    Open,
    Closed,
}

impl SurveyStatus {
    pub fn label_key(self) -> &'static str {
        match self {
            SurveyStatus::Open => "survey-status-open",
            SurveyStatus::Closed => "survey-status-closed",
        }
    }
}

/// Why a link cannot be answered (now or ever).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// No such token.
    Unknown,
    /// The link has been used.
    Used,
    /// Its last day has passed.
    Expired,
    /// The office closed the survey.
    Closed,
}

impl LinkRefusal {
    /// The locale key stem of the page: `<stem>-title` and `<stem>-text`.
    pub fn key(self) -> &'static str {
        match self {
            LinkRefusal::Unknown => "survey-link-unknown",
            LinkRefusal::Used => "survey-link-used",
            LinkRefusal::Expired => "survey-link-expired",
            LinkRefusal::Closed => "survey-link-closed",
        }
    }

    /// An unknown link is not found (404); the others are gone for good (410).
    pub fn is_unknown(self) -> bool {
        self == LinkRefusal::Unknown
    }
}

/// Whether a link may be answered on `today`: unused, its survey open, and
/// not past its last day. A used link says so first: a member who answered
/// is told that, whatever happened to the survey since.
pub fn check_link(
    used_on: Option<NaiveDate>,
    expires_on: NaiveDate,
    status: SurveyStatus,
    today: NaiveDate,
) -> Result<(), LinkRefusal> {
    if used_on.is_some() {
        Err(LinkRefusal::Used)
    } else if status == SurveyStatus::Closed {
        Err(LinkRefusal::Closed)
    } else if today > expires_on {
        Err(LinkRefusal::Expired)
    } else {
        Ok(())
    }
}

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// An answer sheet as typed: the answer code per item id, and the comment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetInput {
    pub answers: BTreeMap<i64, String>,
    pub comment: String,
}

/// A valid answer sheet: one answer per item, and the comment if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub answers: Vec<(i64, Answer)>,
    pub comment: Option<String>,
}

/// What is wrong with a sheet: the items left unanswered (or answered with
/// an unknown code) and the comment's error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetErrors {
    pub items: Vec<i64>,
    pub comment: Option<FieldError>,
}

impl SheetInput {
    /// Checks the sheet against the survey's items: every item answered,
    /// the comment within its length. Answers to other ids are ignored.
    pub fn validate(&self, items: &[i64]) -> Result<Sheet, SheetErrors> {
        let mut errors = SheetErrors::default();
        let mut answers = Vec::with_capacity(items.len());
        for item in items {
            match self.answers.get(item).and_then(|code| Answer::from_code(code.trim())) {
                Some(answer) => answers.push((*item, answer)),
                None => errors.items.push(*item),
            }
        }
        let comment = self.comment.trim();
        if comment.chars().count() > MAX_COMMENT_CHARS {
            errors.comment = Some(FieldError::TooLong);
        }
        if errors.items.is_empty() && errors.comment.is_none() {
            Ok(Sheet { answers, comment: (!comment.is_empty()).then(|| comment.to_string()) })
        } else {
            Err(errors)
        }
    }
}

/// The public page's rate limit: requests per client address in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: i32,
    pub window: Duration,
}

impl RateLimit {
    pub fn of(settings: &Settings) -> RateLimit {
        RateLimit {
            limit: settings.survey_rate_limit,
            window: Duration::minutes(i64::from(settings.survey_rate_window_minutes)),
        }
    }

    /// A window that started at or before this time has ended at `now`:
    /// the next request starts a new one.
    pub fn window_start_cutoff(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window
    }

    /// Whether the `hits`-th request of a window is one too many.
    pub fn is_over(&self, hits: i32) -> bool {
        hits > self.limit
    }
}

/// Whether an item's counts, index and rate may be shown: from the
/// minimum number of valid answers on (the setting `survey_min_answers`).
pub fn tally_shown(tally: &Tally, settings: &Settings) -> bool {
    tally.shown(min_answers(settings))
}

/// Whether a survey's comments may be shown: once it has the minimum
/// number of answer sheets, so that no comment stands out as one member's.
pub fn comments_shown(answer_sheets: i64, settings: &Settings) -> bool {
    answer_sheets >= i64::from(min_answers(settings))
}

fn min_answers(settings: &Settings) -> u32 {
    u32::try_from(settings.survey_min_answers).unwrap_or(u32::MAX)
}

/// The default last day of a new survey's links: `survey_link_days` after today.
pub fn default_expiry(today: NaiveDate, settings: &Settings) -> NaiveDate {
    today + Duration::days(i64::from(settings.survey_link_days))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn a_link_is_good_until_its_last_day() {
        assert_eq!(check_link(None, day(10), SurveyStatus::Open, day(10)), Ok(()));
        assert_eq!(check_link(None, day(10), SurveyStatus::Open, day(11)), Err(LinkRefusal::Expired));
    }

    #[test]
    fn a_used_link_says_so_before_anything_else() {
        assert_eq!(check_link(Some(day(1)), day(10), SurveyStatus::Closed, day(20)), Err(LinkRefusal::Used));
        assert_eq!(check_link(None, day(10), SurveyStatus::Closed, day(20)), Err(LinkRefusal::Closed));
    }

    #[test]
    fn every_item_must_be_answered() {
        let mut input = SheetInput::default();
        input.answers.insert(1, "satisfied".into());
        input.answers.insert(3, "maybe".into());
        input.answers.insert(9, "dissatisfied".into());
        let errors = input.validate(&[1, 2, 3]).unwrap_err();
        assert_eq!(errors.items, [2, 3]);
        input.answers.insert(2, "not_known".into());
        input.answers.insert(3, "basically_satisfied".into());
        let sheet = input.validate(&[1, 2, 3]).unwrap();
        assert_eq!(sheet.answers.len(), 3);
        assert_eq!(sheet.comment, None);
    }

    #[test]
    fn a_comment_is_trimmed_and_bounded() {
        let mut input = SheetInput { comment: "  很好  ".into(), ..Default::default() };
        assert_eq!(input.validate(&[]).unwrap().comment.as_deref(), Some("很好"));
        input.comment = "长".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(input.validate(&[]).unwrap_err().comment, Some(FieldError::TooLong));
    }

    #[test]
    fn the_rate_limit_allows_its_number_in_a_window() {
        let settings = Settings { survey_rate_limit: 3, survey_rate_window_minutes: 10, ..Settings::DEFAULT };
        let limit = RateLimit::of(&settings);
        assert!(!limit.is_over(3));
        assert!(limit.is_over(4));
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(now - limit.window_start_cutoff(now), Duration::minutes(10));
    }

    #[test]
    fn results_wait_for_the_minimum() {
        let settings = Settings::DEFAULT;
        let two = Tally { satisfied: 2, ..Default::default() };
        assert!(!tally_shown(&two, &settings));
        assert!(tally_shown(&Tally { not_known: 1, ..two }, &settings));
        assert!(!comments_shown(2, &settings));
        assert!(comments_shown(3, &settings));
    }

    #[test]
    fn links_last_the_set_number_of_days() {
        let settings = Settings { survey_link_days: 14, ..Settings::DEFAULT };
        assert_eq!(default_expiry(day(1), &settings), day(15));
    }
}
