//! The office's clock: what "now" and "today" are for every deadline, period
//! and colour the application works out.
//!
//! Production reads the system clock. Tests, the demo and the browser journeys
//! pin it (a fixed instant they may step forward), so nothing the application
//! shows depends on the day a test happens to run.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

/// The office's time zone: days, deadlines and display are in Beijing time.
pub const OFFICE_TZ: chrono_tz::Tz = Shanghai;

/// A clock that handlers, the background task and the demo share.
#[derive(Debug, Clone)]
pub struct Clock(Arc<Source>);

#[derive(Debug)]
enum Source {
    System,
    /// A pinned instant; `set` and `advance` move it (tests only).
    Pinned(Mutex<DateTime<Utc>>),
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(Arc::new(Source::System))
    }

    /// A clock stopped at `at`.
    pub fn pinned(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(Source::Pinned(Mutex::new(at))))
    }

    /// A clock stopped at `hour` o'clock of `day` in the office's time zone.
    pub fn pinned_on(day: NaiveDate, hour: u32) -> Clock {
        Clock::pinned(office_instant(day, hour))
    }

    /// Parses the hidden `--clock` setting: a day (`2026-11-27`, taken at 10:00
    /// office time) or an RFC 3339 instant.
    pub fn parse(text: &str) -> Result<Clock, String> {
        let text = text.trim();
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(Clock::pinned_on(day, 10));
        }
        DateTime::parse_from_rfc3339(text)
            .map(|at| Clock::pinned(at.with_timezone(&Utc)))
            .map_err(|_| format!("not a date (YYYY-MM-DD) or an RFC 3339 time: {text}"))
    }

    /// Whether this is the system clock.
    pub fn is_system(&self) -> bool {
        matches!(*self.0, Source::System)
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match &*self.0 {
            Source::System => Utc::now(),
            Source::Pinned(at) => *at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
        }
    }

    /// Today in the office's time zone.
    pub fn today(&self) -> NaiveDate {
        office_date(self.now())
    }

    /// Moves a pinned clock to `at`; the system clock cannot be moved.
    pub fn set(&self, at: DateTime<Utc>) {
        match &*self.0 {
            Source::System => panic!("the system clock cannot be set"),
            Source::Pinned(pinned) => *pinned.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = at,
        }
    }

    /// Moves a pinned clock to `hour` o'clock of `day`, office time.
    pub fn set_day(&self, day: NaiveDate, hour: u32) {
        self.set(office_instant(day, hour));
    }

    /// Moves a pinned clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.set(self.now() + by);
    }
}

/// `hour` o'clock of `day` in the office's time zone, as an instant.
pub fn office_instant(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or(NaiveTime::MIN);
    // Beijing time has had no daylight saving since 1991: the local time is unique.
    OFFICE_TZ
        .from_local_datetime(&day.and_time(time))
        .single()
        .map_or_else(|| DateTime::from_naive_utc_and_offset(day.and_time(time), Utc), |local| local.with_timezone(&Utc))
}

/// The office's calendar day of an instant (Beijing time).
pub fn office_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&OFFICE_TZ).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_pinned_clock_tells_the_office_day_not_the_utc_day() {
        // 23:30 UTC on 31 December is already New Year's Day in Beijing.
        let clock = Clock::pinned(Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap());
        assert_eq!(clock.today(), day(2027, 1, 1));
    }

    #[test]
    fn a_pinned_clock_steps_only_when_told() {
        let clock = Clock::pinned_on(day(2026, 11, 27), 10);
        assert_eq!(clock.today(), day(2026, 11, 27));
        clock.advance(Duration::days(3));
        assert_eq!(clock.today(), day(2026, 11, 30));
        clock.set_day(day(2027, 1, 8), 9);
        assert_eq!(clock.today(), day(2027, 1, 8));
        assert_eq!(clock.clone().today(), day(2027, 1, 8), "clones share the instant");
    }

    #[test]
    fn the_clock_setting_takes_a_day_or_an_instant() {
        assert_eq!(Clock::parse("2026-06-15").unwrap().today(), day(2026, 6, 15));
        assert_eq!(Clock::parse("2026-06-15T20:00:00Z").unwrap().today(), day(2026, 6, 16));
        assert!(Clock::parse("tomorrow").is_err());
        assert!(Clock::system().is_system() && !Clock::parse("2026-06-15").unwrap().is_system());
    }
}
