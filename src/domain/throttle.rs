//! Sign-in throttling: after a number of failures within a window, the key
//! (an account or an address) is held for a while.

use chrono::{DateTime, Duration, Utc};

/// The numbers of the rule; the defaults follow the office's security policy.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    pub max_failures: i32,
    pub window: Duration,
    pub hold: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy { max_failures: 5, window: Duration::minutes(15), hold: Duration::minutes(15) }
    }
}

/// What is stored for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    pub failures: i32,
    pub window_start: DateTime<Utc>,
    pub held_until: Option<DateTime<Utc>>,
}

impl ThrottlePolicy {
    /// Whether the key may not try now.
    pub fn is_held(&self, state: Option<&ThrottleState>, now: DateTime<Utc>) -> bool {
        state.and_then(|s| s.held_until).is_some_and(|until| until > now)
    }

    /// The state after one more failure at `now`. The failure that reaches the
    /// limit starts the hold and a new window.
    pub fn after_failure(&self, state: Option<&ThrottleState>, now: DateTime<Utc>) -> ThrottleState {
        let (failures, window_start) = match state {
            Some(s) if now - s.window_start < self.window => (s.failures + 1, s.window_start),
            _ => (1, now),
        };
        if failures >= self.max_failures {
            ThrottleState { failures: 0, window_start: now, held_until: Some(now + self.hold) }
        } else {
            ThrottleState { failures, window_start, held_until: state.and_then(|s| s.held_until) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minute)
    }

    fn fail_times(policy: &ThrottlePolicy, minutes: &[i64]) -> Option<ThrottleState> {
        minutes.iter().fold(None, |state, m| Some(policy.after_failure(state.as_ref(), at(*m))))
    }

    #[test]
    fn four_failures_do_not_hold() {
        let policy = ThrottlePolicy::default();
        let state = fail_times(&policy, &[0, 1, 2, 3]);
        assert!(!policy.is_held(state.as_ref(), at(4)));
    }

    #[test]
    fn the_fifth_failure_within_fifteen_minutes_holds_for_fifteen_minutes() {
        let policy = ThrottlePolicy::default();
        let state = fail_times(&policy, &[0, 1, 2, 3, 14]);
        assert!(policy.is_held(state.as_ref(), at(14)));
        assert!(policy.is_held(state.as_ref(), at(28)));
        assert!(!policy.is_held(state.as_ref(), at(29)));
    }

    #[test]
    fn failures_spread_beyond_the_window_do_not_hold() {
        let policy = ThrottlePolicy::default();
        let state = fail_times(&policy, &[0, 5, 10, 15, 20, 25]);
        assert!(!policy.is_held(state.as_ref(), at(26)));
    }

    #[test]
    fn after_a_hold_the_count_starts_again() {
        let policy = ThrottlePolicy::default();
        let state = fail_times(&policy, &[0, 1, 2, 3, 4, 30]);
        assert_eq!(state.unwrap().failures, 1);
        assert!(!policy.is_held(state.as_ref(), at(31)));
    }
}
