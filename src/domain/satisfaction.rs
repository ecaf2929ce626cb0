//! Members' satisfaction (委员满意度测评): the four answers, and the index and
//! rate computed from their counts. docs/DOMAIN.md §18.3.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One member's answer about one department or event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "satisfaction_answer", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// 满意
    Satisfied,
    /// 基本满意
    BasicallySatisfied,
    /// 不满意
    Dissatisfied,
    /// 不了解
    NotKnown,
}

impl Answer {
    pub const ALL: [Answer; 4] =
        [Answer::Satisfied, Answer::BasicallySatisfied, Answer::Dissatisfied, Answer::NotKnown];

    pub fn code(self) -> &'static str {
        match self {
            Answer::Satisfied => "satisfied",
            Answer::BasicallySatisfied => "basically_satisfied",
            Answer::Dissatisfied => "dissatisfied",
            Answer::NotKnown => "not_known",
        }
    }

    pub fn from_code(code: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Answer::Satisfied => "satisfaction-satisfied",
            Answer::BasicallySatisfied => "satisfaction-basically-satisfied",
            Answer::Dissatisfied => "satisfaction-dissatisfied",
            Answer::NotKnown => "satisfaction-not-known",
        }
    }
}

/// How many valid answers of each kind one department (or event) received.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub satisfied: u32,
    pub basically_satisfied: u32,
    pub dissatisfied: u32,
    pub not_known: u32,
}

impl Tally {
    pub fn add(&mut self, answer: Answer, count: u32) {
        match answer {
            Answer::Satisfied => self.satisfied += count,
            Answer::BasicallySatisfied => self.basically_satisfied += count,
            Answer::Dissatisfied => self.dissatisfied += count,
            Answer::NotKnown => self.not_known += count,
        }
    }

    pub fn merged(self, other: Tally) -> Tally {
        Tally {
            satisfied: self.satisfied + other.satisfied,
            basically_satisfied: self.basically_satisfied + other.basically_satisfied,
            dissatisfied: self.dissatisfied + other.dissatisfied,
            not_known: self.not_known + other.not_known,
        }
    }

    /// Every valid answer, 不了解 included.
    pub fn valid(&self) -> u32 {
        self.satisfied + self.basically_satisfied + self.dissatisfied + self.not_known
    }

    /// The answers that judge the department: every valid one but 不了解.
    pub fn judging(&self) -> u32 {
        self.valid() - self.not_known
    }

    /// Index = (100·满意 + 60·基本满意) ÷ (valid − 不了解), out of 100, unrounded;
    /// none when nobody judged.
    pub fn index(&self) -> Option<Decimal> {
        let judging = self.judging();
        (judging > 0).then(|| {
            (Decimal::from(100 * self.satisfied) + Decimal::from(60 * self.basically_satisfied))
                / Decimal::from(judging)
        })
    }

    /// Rate = (满意 + 基本满意) ÷ valid, as a percentage, unrounded; none
    /// without answers.
    pub fn rate(&self) -> Option<Decimal> {
        let valid = self.valid();
        (valid > 0).then(|| Decimal::from(100 * (self.satisfied + self.basically_satisfied)) / Decimal::from(valid))
    }

    /// Whether the tally may be shown at all: results appear only in
    /// aggregate, from `minimum` answers on (the setting `survey_min_answers`).
    pub fn shown(&self, minimum: u32) -> bool {
        self.valid() >= minimum
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn tally(s: u32, b: u32, d: u32, n: u32) -> Tally {
        Tally { satisfied: s, basically_satisfied: b, dissatisfied: d, not_known: n }
    }

    #[test]
    fn index_leaves_out_those_who_do_not_know() {
        // 40 satisfied, 10 basically, 5 not, 5 don't know: (4000 + 600) ÷ 55.
        let t = tally(40, 10, 5, 5);
        assert_eq!(t.index().unwrap().round_dp(2), dec!(83.64));
        assert_eq!(t.judging(), 55);
    }

    #[test]
    fn rate_counts_every_valid_answer() {
        // (40 + 10) ÷ 60 valid = 83.33 %.
        let t = tally(40, 10, 5, 5);
        assert_eq!(t.rate().unwrap().round_dp(2), dec!(83.33));
        assert_eq!(t.valid(), 60);
    }

    #[test]
    fn all_satisfied_is_one_hundred_and_all_basic_is_sixty() {
        assert_eq!(tally(7, 0, 0, 0).index(), Some(dec!(100)));
        assert_eq!(tally(0, 7, 0, 2).index(), Some(dec!(60)));
        assert_eq!(tally(0, 0, 3, 0).index(), Some(dec!(0)));
    }

    #[test]
    fn nothing_to_compute_without_answers() {
        assert_eq!(tally(0, 0, 0, 4).index(), None);
        assert_eq!(tally(0, 0, 0, 4).rate(), Some(dec!(0)));
        assert_eq!(Tally::default().rate(), None);
    }

    #[test]
    fn shown_only_from_the_minimum() {
        assert!(!tally(1, 1, 0, 0).shown(3));
        assert!(tally(1, 1, 0, 1).shown(3));
    }

    #[test]
    fn merging_adds_each_answer() {
        let mut t = tally(1, 2, 3, 4);
        t.add(Answer::Dissatisfied, 2);
        assert_eq!(t.merged(tally(1, 0, 0, 0)), tally(2, 2, 5, 4));
    }

    #[test]
    fn codes_round_trip() {
        for a in Answer::ALL {
            assert_eq!(Answer::from_code(a.code()), Some(a));
        }
        assert_eq!(Answer::from_code("maybe"), None);
    }
}
