//! The numbers of the office's rules that the performance office sets, per
//! year (docs/DOMAIN.md §1.4): their names, ranges and shipped defaults, and
//! which year's values apply. A year without values of its own takes the
//! nearest earlier year's, else the defaults; a name a year's values lack
//! (a setting added later) takes its default.

use std::collections::BTreeMap;

use serde_json::Value;

use super::validate::FieldError;

/// One setting: its name (the form field and the stored key), range and default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingField {
    pub name: &'static str,
    pub min: i32,
    pub max: i32,
    pub default: i32,
}

impl SettingField {
    /// The locale key of the setting's label (`setting-<name with dashes>`).
    pub fn label_key(&self) -> String {
        format!("setting-{}", self.name.replace('_', "-"))
    }

    /// The locale key of the hint under the field.
    pub fn hint_key(&self) -> String {
        format!("{}-hint", self.label_key())
    }

    /// A value as typed: a whole number within the range.
    pub fn parse(&self, text: &str) -> Result<i32, FieldError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(FieldError::Required);
        }
        match text.parse::<i32>() {
            Ok(value) if (self.min..=self.max).contains(&value) => Ok(value),
            _ => Err(FieldError::Invalid),
        }
    }
}

/// Declares `Settings` (one `i32` per setting), its defaults and `FIELDS`.
macro_rules! settings {
    ($( $(#[$doc:meta])* $field:ident : $min:literal ..= $max:literal = $default:literal ),+ $(,)?) => {
        /// The numbers in force for one year.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Settings { $( $(#[$doc])* pub $field: i32 ),+ }

        impl Settings {
            /// The values the application ships: the office's rules as first implemented.
            pub const DEFAULT: Settings = Settings { $( $field: $default ),+ };
        }

        impl Default for Settings {
            fn default() -> Settings {
                Settings::DEFAULT
            }
        }

        /// Every setting, in the order the settings page shows them.
        pub const FIELDS: &[SettingField] =
            &[ $( SettingField { name: stringify!($field), min: $min, max: $max, default: $default } ),+ ];

        impl Settings {
            /// The value of the setting named `name`.
            pub fn get(&self, name: &str) -> Option<i32> {
                match name { $( stringify!($field) => Some(self.$field), )+ _ => None }
            }

            fn set(&mut self, name: &str, value: i32) {
                match name { $( stringify!($field) => self.$field = value, )+ _ => {} }
            }
        }
    };
}

settings! {
    /// Work days after a period's end that its progress report is due (§7.2).
    report_due_workdays: 0..=30 = 5,
    /// Work days before an item's due date that it turns blue (§8.4).
    slip_blue_workdays: 0..=30 = 3,
    /// Rejected done reports that make an item yellow (§8.4).
    slip_yellow_rejections: 1..=10 = 2,
    /// An item not yet in progress once this share (%) of its time, from opening
    /// to due date, has passed is behind, so yellow (§8.4).
    behind_unstarted_percent: 1..=100 = 50,
    /// An item in progress without an update (a step or a slip answer) for this
    /// many of its reporting periods (month or quarter) is behind (§8.4); 0: off.
    behind_missed_updates: 0..=12 = 0,
    /// Weeks between two slips of the same colour for one item (§8.5): 1 is every ISO week.
    slip_reissue_weeks: 1..=12 = 1,
    /// Red slips: weeks an item stays red before its red-slip penalty is proposed
    /// once more (§8.5); 0: never, one penalty per item.
    red_slip_repeat_weeks: 0..=52 = 0,
    /// Work days to answer a slip (§8.5).
    slip_answer_workdays: 1..=60 = 10,
    /// Work days before its due date that an open preparation task of an event
    /// shows on its owner's to-dos as due soon (§18.2).
    event_task_soon_workdays: 0..=30 = 3,
    /// Largest evidence file, in MiB (§7.6); below the upload routes' 25 MiB body limit.
    max_upload_mib: 1..=24 = 20,
    /// Most points commendations (the ledger's positive items) add up to for one
    /// subject in one period (§9.4), whatever the items.
    commendation_cap: 1..=100 = 5,
    /// Highest completion rate, in percent (§6.7).
    completion_cap_percent: 100..=1000 = 150,
    /// Longest time limit a service commitment may promise, in work days (§10.1).
    commitment_max_workdays: 1..=730 = 365,
    /// Days after a new annual cycle's start that planning ends (§5.3).
    planning_days: 1..=180 = 30,
    /// Days after a new annual cycle's end that assessment ends (§5.3).
    assessment_days: 1..=180 = 31,
    /// Days after a new annual cycle's end that feedback ends (§5.3).
    feedback_days: 1..=365 = 60,
    /// Work days after a cycle's period end that self-summaries are due,
    /// never after the assessment stage's planned end (§17.11).
    summary_due_workdays: 1..=60 = 10,
    /// Work days after a result becomes final (or is corrected) within which
    /// its written notice reaches the person (§19.1).
    notice_workdays: 0..=30 = 5,
    /// Sick and personal leave over this share (%) of the year leaves the
    /// year without a grade (§3.3, 公务员考核规定 art. 14: more than half).
    leave_no_grade_percent: 1..=100 = 50,
    /// A former department that held a transferred person for more than this
    /// share (%) of the period is consulted and rates them (§2.7, 公务员考核规定:
    /// more than half a year in the former unit).
    transfer_consult_percent: 1..=100 = 50,
    /// Days a new survey's links stay valid, counted from the day it is
    /// created (§18.3); the office may choose another expiry on the form.
    survey_link_days: 1..=90 = 14,
    /// Answers an item needs before its counts, index and rate are shown, and
    /// answer sheets a survey needs before its comments are (§18.3).
    survey_min_answers: 1..=50 = 3,
    /// Requests one client address may make to the public answer page in one
    /// window (§18.3); a meeting hall behind one address needs room for every member.
    survey_rate_limit: 10..=10000 = 300,
    /// Minutes of that window (§18.3).
    survey_rate_window_minutes: 1..=1440 = 10,
    /// Months a 警告 is in force (§2.5, 公务员法 art. 64).
    sanction_warning_months: 1..=60 = 6,
    /// Months a 记过 is in force (§2.5).
    sanction_demerit_months: 1..=60 = 12,
    /// Months a 记大过 is in force (§2.5).
    sanction_major_demerit_months: 1..=60 = 18,
    /// Months a 降级 or 撤职 is in force (§2.5).
    sanction_demotion_months: 1..=60 = 24,
    /// Calendar days from the day a rectification item is raised that the
    /// form proposes as its due date (§19.5); the form may choose another.
    rectification_due_days: 1..=365 = 30,
    /// 优秀 years in a row that make a 记三等功 due (§19.6, 公务员法 art. 50).
    merit_excellent_years: 2..=10 = 3,
    /// Counted years (称职 or better) since the current step that make a
    /// salary step due (§19.6, 公务员法 art. 80).
    salary_step_years: 1..=10 = 2,
    /// Counted years since the current level that make a level due (§19.6).
    level_years: 1..=20 = 5,
    /// 不称职 years in a row that flag dismissal proceedings (§19.6, 公务员法 art. 88).
    dismissal_incompetent_years: 1..=10 = 2,
    /// Calendar days after learning a final result to request a review (复核) (§19.4, 公务员法 art. 95).
    review_request_days: 1..=180 = 30,
    /// Calendar days the committee has to decide a review (§19.4).
    review_decide_days: 1..=180 = 30,
    /// Calendar days after a review's decision to appeal (申诉) (§19.4).
    appeal_after_review_days: 1..=180 = 15,
    /// Calendar days after learning a final result to appeal without a review (§19.4).
    appeal_direct_days: 1..=180 = 30,
    /// Calendar days the committee has to decide an appeal (§19.4).
    appeal_decide_days: 1..=365 = 60,
    /// Most calendar days an appeal's answer deadline may be extended, once, with a reason (§19.4).
    appeal_extension_days: 1..=180 = 30,
    /// The excellence self-assessment's scoring bands (§21.2): the highest
    /// percentage of bands 1 to 5; each band starts one step above the
    /// previous band's top, band 1 at 0 and band 6 ends at 100.
    excellence_band_1_top: 0..=100 = 5,
    excellence_band_2_top: 0..=100 = 25,
    excellence_band_3_top: 0..=100 = 45,
    excellence_band_4_top: 0..=100 = 65,
    excellence_band_5_top: 0..=100 = 85,
    /// The step of an excellence score, in percent (§21.2): scores are multiples of it.
    excellence_score_step: 1..=25 = 5,
}

impl Settings {
    /// The values stored for a year: a JSON object by name. A missing name,
    /// or a value out of its range, takes the default.
    pub fn from_json(values: &Value) -> Settings {
        let mut settings = Settings::default();
        for field in FIELDS {
            let value = values.get(field.name).and_then(Value::as_i64).and_then(|v| i32::try_from(v).ok());
            if let Some(value) = value.filter(|v| (field.min..=field.max).contains(v)) {
                settings.set(field.name, value);
            }
        }
        settings
    }

    /// The values as stored (every name, so the row says what was decided).
    pub fn to_json(&self) -> Value {
        let map: serde_json::Map<String, Value> =
            FIELDS.iter().map(|f| (f.name.to_string(), Value::from(self.get(f.name).unwrap_or(f.default)))).collect();
        Value::Object(map)
    }

    /// Validates the form's values by name: each error is recorded beside its field.
    pub fn parse(typed: &BTreeMap<String, String>) -> Result<Settings, Vec<(&'static str, FieldError)>> {
        let mut settings = Settings::default();
        let mut errors = Vec::new();
        for field in FIELDS {
            match field.parse(typed.get(field.name).map(String::as_str).unwrap_or("")) {
                Ok(value) => settings.set(field.name, value),
                Err(error) => errors.push((field.name, error)),
            }
        }
        if errors.is_empty() { Ok(settings) } else { Err(errors) }
    }

    /// The largest evidence file, in bytes.
    pub fn max_upload_bytes(&self) -> i64 {
        i64::from(self.max_upload_mib) * 1024 * 1024
    }

    /// The names whose values differ from `other`'s, for the audit summary.
    pub fn changed_from(&self, other: &Settings) -> Vec<&'static str> {
        FIELDS.iter().filter(|f| self.get(f.name) != other.get(f.name)).map(|f| f.name).collect()
    }
}

/// Where a year's values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsSource {
    /// The year has its own row.
    Own,
    /// The nearest earlier year with a row.
    Inherited(i32),
    /// No row at or before the year: the shipped defaults.
    Defaults,
}

/// Every year's stored values, to resolve any year without another query.
#[derive(Debug, Clone, Default)]
pub struct SettingsBook {
    /// (year, values), any order.
    years: Vec<(i32, Settings)>,
}

impl SettingsBook {
    pub fn new(years: impl IntoIterator<Item = (i32, Settings)>) -> SettingsBook {
        SettingsBook { years: years.into_iter().collect() }
    }

    /// The values in force in `year`, and where they come from.
    pub fn resolve(&self, year: i32) -> (Settings, SettingsSource) {
        match self.years.iter().filter(|(y, _)| *y <= year).max_by_key(|(y, _)| *y) {
            Some((y, settings)) if *y == year => (*settings, SettingsSource::Own),
            Some((y, settings)) => (*settings, SettingsSource::Inherited(*y)),
            None => (Settings::default(), SettingsSource::Defaults),
        }
    }

    /// The values in force in `year`.
    pub fn for_year(&self, year: i32) -> Settings {
        self.resolve(year).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_shipped_defaults_are_the_rules_as_first_implemented() {
        let d = Settings::default();
        assert_eq!((d.report_due_workdays, d.slip_blue_workdays, d.slip_answer_workdays), (5, 3, 10));
        assert_eq!((d.slip_yellow_rejections, d.slip_reissue_weeks, d.max_upload_bytes()), (2, 1, 20 * 1024 * 1024));
        assert_eq!((d.completion_cap_percent, d.commitment_max_workdays), (150, 365));
        assert_eq!((d.planning_days, d.assessment_days, d.feedback_days), (30, 31, 60));
        for field in FIELDS {
            assert!((field.min..=field.max).contains(&field.default), "{} default out of range", field.name);
        }
    }

    #[test]
    fn a_year_without_values_takes_the_nearest_earlier_year_else_the_defaults() {
        let y2026 = Settings { report_due_workdays: 7, ..Settings::default() };
        let y2028 = Settings { report_due_workdays: 4, ..Settings::default() };
        let book = SettingsBook::new([(2028, y2028), (2026, y2026)]);
        assert_eq!(book.resolve(2025), (Settings::default(), SettingsSource::Defaults));
        assert_eq!(book.resolve(2026), (y2026, SettingsSource::Own));
        assert_eq!(book.resolve(2027), (y2026, SettingsSource::Inherited(2026)));
        assert_eq!(book.for_year(2030).report_due_workdays, 4);
    }

    #[test]
    fn stored_values_missing_or_out_of_range_take_the_default() {
        let s = Settings::from_json(&json!({ "report_due_workdays": 8, "slip_blue_workdays": 999, "x": 1 }));
        assert_eq!(s.report_due_workdays, 8);
        assert_eq!(s.slip_blue_workdays, 3);
        assert_eq!(Settings::from_json(&s.to_json()), s);
    }

    #[test]
    fn typed_values_must_be_whole_numbers_in_range() {
        let mut typed: BTreeMap<String, String> =
            FIELDS.iter().map(|f| (f.name.to_string(), f.default.to_string())).collect();
        assert_eq!(Settings::parse(&typed), Ok(Settings::default()));
        typed.insert("report_due_workdays".into(), "31".into());
        typed.insert("slip_answer_workdays".into(), "".into());
        typed.insert("completion_cap_percent".into(), "1.5".into());
        let errors = Settings::parse(&typed).unwrap_err();
        assert_eq!(
            errors,
            vec![
                ("report_due_workdays", FieldError::Invalid),
                ("slip_answer_workdays", FieldError::Required),
                ("completion_cap_percent", FieldError::Invalid),
            ]
        );
    }

    #[test]
    fn every_setting_has_a_label_and_a_hint_in_both_languages() {
        use crate::i18n::Lang;
        for lang in Lang::ALL {
            for field in FIELDS {
                for key in [field.label_key(), field.hint_key()] {
                    assert_ne!(lang.t(&key), key, "{lang:?} lacks {key}");
                }
            }
        }
    }
}
