//! Sign-in throttling. Failures are counted per account and client (address)
//! and per client. Once a key has had its free failures, each further failure
//! makes it wait, twice as long as the time before, up to a longest wait; a
//! key is forgotten after a quiet while. Nothing holds an account for every
//! client, so guessing from one computer cannot lock its holder out; failures
//! against an account from any client are counted only to tell its holder.

use chrono::{DateTime, Duration, Utc};

/// How one kind of key is throttled.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    /// Failures that cost no wait; the next ones do.
    pub free_failures: i32,
    /// The wait after the last free failure.
    pub first_hold: Duration,
    /// The longest wait.
    pub max_hold: Duration,
    /// A key without failures for this long starts again from nothing.
    pub forget_after: Duration,
}

/// The rules of the office's security policy (§14.2 of docs/DOMAIN.md).
#[derive(Debug, Clone, Copy)]
pub struct ThrottleRules {
    /// One account from one client.
    pub account_client: ThrottlePolicy,
    /// One client, whatever the accounts (guessing across many accounts).
    pub client: ThrottlePolicy,
    /// Failures against one account, from any client, that its holder is told about.
    pub notify_after: i32,
}

impl Default for ThrottleRules {
    fn default() -> Self {
        let policy = |free_failures| ThrottlePolicy {
            free_failures,
            first_hold: Duration::seconds(30),
            max_hold: Duration::minutes(15),
            forget_after: Duration::hours(1),
        };
        ThrottleRules { account_client: policy(5), client: policy(10), notify_after: 5 }
    }
}

impl ThrottleRules {
    /// How long a key's last failure can still matter: the longest time a key
    /// is remembered plus the longest wait. Older rows are forgotten by the
    /// background task.
    pub fn memory(&self) -> Duration {
        let (a, c) = (&self.account_client, &self.client);
        a.forget_after.max(c.forget_after) + a.max_hold.max(c.max_hold)
    }

    /// Whether an account's failure count has just reached the point where
    /// its holder is told (once per run of failures).
    pub fn tells_holder(&self, account_failures: i32) -> bool {
        account_failures == self.notify_after
    }
}

/// What is stored for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    pub failures: i32,
    pub last_failure: DateTime<Utc>,
    pub held_until: Option<DateTime<Utc>>,
}

impl ThrottlePolicy {
    /// Whether the key may not try now.
    pub fn is_held(&self, state: Option<&ThrottleState>, now: DateTime<Utc>) -> bool {
        state.and_then(|s| s.held_until).is_some_and(|until| until > now)
    }

    /// The state after one more failure at `now`.
    pub fn after_failure(&self, state: Option<&ThrottleState>, now: DateTime<Utc>) -> ThrottleState {
        let failures = match state {
            Some(s) if now - s.last_failure < self.forget_after => s.failures + 1,
            _ => 1,
        };
        ThrottleState { failures, last_failure: now, held_until: self.hold_after(failures).map(|hold| now + hold) }
    }

    /// The wait after the `failures`-th failure: none while free, then the
    /// first wait, doubled at each further failure up to the longest.
    pub fn hold_after(&self, failures: i32) -> Option<Duration> {
        let beyond = failures - self.free_failures;
        if beyond < 0 {
            return None;
        }
        let seconds = self.first_hold.num_seconds().saturating_mul(1 << beyond.min(32));
        Some(Duration::seconds(seconds.min(self.max_hold.num_seconds())))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_key_matters_for_its_memory_and_its_longest_wait() {
        assert_eq!(ThrottleRules::default().memory(), Duration::minutes(75));
    }

    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minute)
    }

    fn fail_times(policy: &ThrottlePolicy, minutes: &[i64]) -> Option<ThrottleState> {
        minutes.iter().fold(None, |state, m| Some(policy.after_failure(state.as_ref(), at(*m))))
    }

    #[test]
    fn four_failures_do_not_hold() {
        let policy = ThrottleRules::default().account_client;
        let state = fail_times(&policy, &[0, 1, 2, 3]);
        assert!(!policy.is_held(state.as_ref(), at(3)));
    }

    #[test]
    fn the_fifth_failure_holds_for_thirty_seconds() {
        let policy = ThrottleRules::default().account_client;
        let state = fail_times(&policy, &[0, 1, 2, 3, 4]);
        assert!(policy.is_held(state.as_ref(), at(4)));
        assert!(!policy.is_held(state.as_ref(), at(4) + Duration::seconds(30)));
    }

    #[test]
    fn each_further_failure_doubles_the_wait_up_to_fifteen_minutes() {
        let policy = ThrottleRules::default().account_client;
        let waits: Vec<i64> = (5..=12).map(|n| policy.hold_after(n).unwrap().num_seconds()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 900, 900, 900]);
        assert_eq!(policy.hold_after(i32::MAX).unwrap(), Duration::minutes(15));
    }

    #[test]
    fn an_hour_without_failures_forgets_them() {
        let policy = ThrottleRules::default().account_client;
        let state = fail_times(&policy, &[0, 1, 2, 3, 4, 65]);
        assert_eq!(state.unwrap().failures, 1);
        assert!(!policy.is_held(state.as_ref(), at(65)));
    }

    #[test]
    fn the_holder_is_told_once_a_run() {
        let rules = ThrottleRules::default();
        let told: Vec<i32> = (1..=20).filter(|n| rules.tells_holder(*n)).collect();
        assert_eq!(told, [5]);
    }
}
