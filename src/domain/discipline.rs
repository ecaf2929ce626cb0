//! Discipline inspection's records (机关纪委, docs/DOMAIN.md §2.5): disciplinary
//! actions (处分), accountability measures (问责) and investigations (立案审查),
//! the period each is in force, and who keeps and reads them.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::settings::Settings;
use super::validate::FieldError;

code_enum!(
    /// What a record decides, lightest first within each kind.
    Measure, "discipline_measure", "discipline-measure", {
        Warning => "warning", Demerit => "demerit", MajorDemerit => "major_demerit",
        Demotion => "demotion", Removal => "removal", Expulsion => "expulsion",
        Criticism => "criticism", Admonition => "admonition", Organisational => "organisational",
        Investigation => "investigation",
    }
);

/// The three kinds of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// 处分 (公务员法 art. 62).
    Sanction,
    /// 问责 on a person.
    Accountability,
    /// 立案审查.
    Investigation,
}

impl RecordKind {
    pub const ALL: [RecordKind; 3] = [RecordKind::Sanction, RecordKind::Accountability, RecordKind::Investigation];

    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Sanction => "sanction",
            RecordKind::Accountability => "accountability",
            RecordKind::Investigation => "investigation",
        }
    }

    pub fn parse(text: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.code() == text.trim())
    }

    pub fn label_key(self) -> String {
        format!("discipline-kind-{}", self.code())
    }

    /// The measures of this kind, lightest first.
    pub fn measures(self) -> impl Iterator<Item = Measure> {
        Measure::ALL.iter().copied().filter(move |m| m.kind() == self)
    }
}

impl Measure {
    pub fn kind(self) -> RecordKind {
        use Measure::*;
        match self {
            Warning | Demerit | MajorDemerit | Demotion | Removal | Expulsion => RecordKind::Sanction,
            Criticism | Admonition | Organisational => RecordKind::Accountability,
            Investigation => RecordKind::Investigation,
        }
    }

    /// The months a sanction is in force by law (公务员法 art. 64), as the
    /// year's settings state them; `None` for a measure without a fixed
    /// period (an expulsion ends service; accountability and investigations
    /// are dated by their records).
    pub fn period_months(self, settings: &Settings) -> Option<u32> {
        let months = match self {
            Measure::Warning => settings.sanction_warning_months,
            Measure::Demerit => settings.sanction_demerit_months,
            Measure::MajorDemerit => settings.sanction_major_demerit_months,
            Measure::Demotion | Measure::Removal => settings.sanction_demotion_months,
            _ => return None,
        };
        u32::try_from(months).ok()
    }

    /// Whether the measure is an admonition (诫勉) or heavier accountability,
    /// or any sanction: what bars 优秀 in its year (docs/DOMAIN.md §2.5).
    pub fn bars_excellent(self) -> bool {
        self != Measure::Criticism
    }

    /// Whether, while in force, the person gets a comment and no grade
    /// (不定等次): a sanction of 记过 or heavier, or an open investigation.
    pub fn withholds_grade(self) -> bool {
        matches!(
            self,
            Measure::Demerit
                | Measure::MajorDemerit
                | Measure::Demotion
                | Measure::Removal
                | Measure::Expulsion
                | Measure::Investigation
        )
    }
}

/// The 廉 (integrity) level of a period from the discipline records in force
/// in it (docs/DOMAIN.md §17.13), read against the scheme's descriptors: no
/// record is "无问题线索" (优秀); accountability alone, 一般; a disciplinary
/// action or an investigation, "有违纪违规问题" (较差).
pub fn integrity_level(measures: &[Measure]) -> IntegrityLevel {
    if measures.iter().any(|m| matches!(m.kind(), RecordKind::Sanction | RecordKind::Investigation)) {
        IntegrityLevel::Poor
    } else if measures.is_empty() {
        IntegrityLevel::Excellent
    } else {
        IntegrityLevel::Fair
    }
}

/// The levels `integrity_level` gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegrityLevel {
    Excellent,
    Fair,
    Poor,
}

/// The last day a record is in force when its measure has a fixed period:
/// the day before the same date `months` later.
pub fn period_end(from: NaiveDate, months: u32) -> Option<NaiveDate> {
    from.checked_add_months(Months::new(months)).and_then(|d| d.pred_opt())
}

/// A record's dates as entered, checked: the end defaults to the measure's
/// legal period; a sanction with a fixed period may not be left open, and
/// the end may not come before the start.
pub fn in_force_until(
    measure: Measure,
    from: NaiveDate,
    to: Option<NaiveDate>,
    settings: &Settings,
) -> Result<Option<NaiveDate>, FieldError> {
    match (to, measure.period_months(settings)) {
        (Some(to), _) if to < from => Err(FieldError::Invalid),
        (Some(to), _) => Ok(Some(to)),
        (None, Some(months)) => Ok(period_end(from, months)),
        (None, None) => Ok(None),
    }
}

/// Where a record stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Upcoming,
    InForce,
    Ended,
}

impl Standing {
    /// A record dated `from..=to` (open-ended when `to` is `None`) on `day`.
    pub fn on(from: NaiveDate, to: Option<NaiveDate>, day: NaiveDate) -> Standing {
        if day < from {
            Standing::Upcoming
        } else if to.is_some_and(|to| day > to) {
            Standing::Ended
        } else {
            Standing::InForce
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Standing::Upcoming => "discipline-upcoming",
            Standing::InForce => "discipline-in-force",
            Standing::Ended => "discipline-ended",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn each_sanction_runs_for_its_statutory_months_from_the_settings() {
        // 公务员法 art. 64: 警告 6 months, 记过 12, 记大过 18, 降级/撤职 24.
        let settings = Settings::default();
        let from = day("2026-03-15");
        let end = |m: Measure| in_force_until(m, from, None, &settings).unwrap();
        assert_eq!(end(Measure::Warning), Some(day("2026-09-14")));
        assert_eq!(end(Measure::Demerit), Some(day("2027-03-14")));
        assert_eq!(end(Measure::MajorDemerit), Some(day("2027-09-14")));
        assert_eq!(end(Measure::Demotion), Some(day("2028-03-14")));
        assert_eq!(end(Measure::Removal), Some(day("2028-03-14")));
        // No fixed period: open until the record says otherwise.
        assert_eq!(end(Measure::Expulsion), None);
        assert_eq!(end(Measure::Investigation), None);
        assert_eq!(end(Measure::Admonition), None);
        // A year whose settings say otherwise.
        let longer = Settings { sanction_warning_months: 9, ..Settings::default() };
        assert_eq!(in_force_until(Measure::Warning, from, None, &longer).unwrap(), Some(day("2026-12-14")));
    }

    #[test]
    fn a_period_from_the_end_of_a_month_ends_the_day_before_the_same_date() {
        assert_eq!(period_end(day("2026-08-31"), 6), Some(day("2027-02-27")));
        assert_eq!(period_end(day("2026-01-01"), 12), Some(day("2026-12-31")));
    }

    #[test]
    fn an_end_typed_before_the_start_is_refused_and_a_typed_end_wins() {
        let settings = Settings::default();
        let from = day("2026-05-10");
        assert_eq!(
            in_force_until(Measure::Warning, from, Some(day("2026-05-09")), &settings),
            Err(FieldError::Invalid)
        );
        assert_eq!(
            in_force_until(Measure::Investigation, from, Some(day("2026-07-01")), &settings),
            Ok(Some(day("2026-07-01")))
        );
    }

    #[test]
    fn a_record_is_in_force_from_its_first_to_its_last_day() {
        let (from, to) = (day("2026-01-01"), Some(day("2026-06-30")));
        assert_eq!(Standing::on(from, to, day("2025-12-31")), Standing::Upcoming);
        assert_eq!(Standing::on(from, to, day("2026-01-01")), Standing::InForce);
        assert_eq!(Standing::on(from, to, day("2026-06-30")), Standing::InForce);
        assert_eq!(Standing::on(from, to, day("2026-07-01")), Standing::Ended);
        assert_eq!(Standing::on(from, None, day("2030-01-01")), Standing::InForce);
    }

    #[test]
    fn integrity_follows_the_records_in_force() {
        assert_eq!(integrity_level(&[]), IntegrityLevel::Excellent);
        assert_eq!(integrity_level(&[Measure::Admonition]), IntegrityLevel::Fair);
        assert_eq!(integrity_level(&[Measure::Criticism, Measure::Warning]), IntegrityLevel::Poor);
        assert_eq!(integrity_level(&[Measure::Investigation]), IntegrityLevel::Poor);
    }

    #[test]
    fn what_each_measure_means_for_grades() {
        assert!(!Measure::Criticism.bars_excellent());
        assert!(Measure::Admonition.bars_excellent());
        assert!(Measure::Warning.bars_excellent());
        assert!(!Measure::Warning.withholds_grade());
        assert!(Measure::Demerit.withholds_grade());
        assert!(Measure::Investigation.withholds_grade());
        assert!(!Measure::Admonition.withholds_grade());
    }

    #[test]
    fn every_kind_and_measure_has_a_name_in_both_languages() {
        assert_eq!(RecordKind::Sanction.measures().count(), 6);
        assert_eq!(RecordKind::Accountability.measures().count(), 3);
        let keys = Measure::ALL.iter().map(|m| m.label_key()).chain(RecordKind::ALL.iter().map(|k| k.label_key()));
        for key in keys {
            for lang in Lang::ALL {
                assert_ne!(lang.t(&key), key, "{lang:?} lacks {key}");
            }
        }
    }
}
