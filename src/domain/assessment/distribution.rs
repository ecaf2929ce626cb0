//! How an allocation unit's computed grades fall, against the quota of its
//! top grade (docs/DOMAIN.md §17.8): the numbers of the distribution table
//! and chart beside a ranking.

/// The number of people of a unit holding each grade, best first, every
/// grade listed (zeros included), and the quota of the top grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution<G> {
    pub counts: Vec<(G, usize)>,
    /// People without a computed grade: no score, or a result the gates hold
    /// back (pending, not assessed).
    pub without_grade: usize,
    /// How many may hold the top grade (the first of `counts`).
    pub quota: usize,
}

impl<G: Copy> Distribution<G> {
    /// The top grade, the one the quota limits.
    pub fn top(&self) -> Option<G> {
        self.counts.first().map(|(g, _)| *g)
    }

    /// How many hold the top grade.
    pub fn top_count(&self) -> usize {
        self.counts.first().map_or(0, |(_, n)| *n)
    }

    pub fn people(&self) -> usize {
        self.counts.iter().map(|(_, n)| n).sum::<usize>() + self.without_grade
    }
}

/// Counts the computed grades of a unit's people by the grades of the kind,
/// in the order given (best first); a grade outside that list counts as none.
pub fn distribution<G: Copy + PartialEq>(
    grades: &[G],
    computed: impl IntoIterator<Item = Option<G>>,
    quota: usize,
) -> Distribution<G> {
    let mut counts: Vec<(G, usize)> = grades.iter().map(|g| (*g, 0)).collect();
    let mut without_grade = 0;
    for grade in computed {
        match grade.and_then(|g| counts.iter_mut().find(|(c, _)| *c == g)) {
            Some((_, n)) => *n += 1,
            None => without_grade += 1,
        }
    }
    Distribution { counts, without_grade, quota }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assessment::{AnnualGrade, QuarterGrade};

    #[test]
    fn every_quarterly_grade_is_listed_in_order_zeros_included() {
        use QuarterGrade::*;
        let d = distribution(&QuarterGrade::ALL, [Some(FairlyGood), Some(Good), Some(FairlyGood), None], 1);
        assert_eq!(d.counts, vec![(Good, 1), (FairlyGood, 2), (Average, 0), (Poor, 0)]);
        assert_eq!(d.without_grade, 1);
        assert_eq!(d.top(), Some(Good));
        assert_eq!(d.top_count(), 1);
        assert_eq!((d.quota, d.people()), (1, 4));
    }

    #[test]
    fn an_annual_unit_without_excellent_quota_shows_zero_against_zero() {
        use AnnualGrade::*;
        let grades = [Some(Competent), Some(Ungraded), Some(Competent), Some(BasicallyCompetent)];
        let d = distribution(&AnnualGrade::ALL, grades, 0);
        assert_eq!(d.top(), Some(Excellent));
        assert_eq!((d.top_count(), d.quota), (0, 0));
        assert_eq!(d.counts[1], (Competent, 2));
        assert_eq!(d.counts[4], (Ungraded, 1));
        assert_eq!(d.without_grade, 0);
    }

    #[test]
    fn a_grade_outside_the_list_counts_as_without_grade() {
        use AnnualGrade::*;
        let d = distribution(&[Excellent, Competent], [Some(Incompetent), Some(Excellent)], 1);
        assert_eq!(d.counts, vec![(Excellent, 1), (Competent, 0)]);
        assert_eq!(d.without_grade, 1);
    }

    #[test]
    fn an_empty_unit_counts_nothing() {
        let d = distribution::<QuarterGrade>(&QuarterGrade::ALL, [], 0);
        assert_eq!(d.people(), 0);
        assert!(d.counts.iter().all(|(_, n)| *n == 0));
    }
}
