//! Organisation checks: post responsibility and the A/B backup system (docs/DOMAIN.md §3.1, §3.2).

/// Something wrong with a post's A/B holders that the office must fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostWarning {
    /// Nobody holds the post (no A).
    NoHolder,
    /// The post has no B backup.
    NoBackup,
    /// The same person is named as A and as B.
    SameHolder,
}

impl PostWarning {
    pub fn label_key(self) -> &'static str {
        match self {
            PostWarning::NoHolder => "post-warning-no-holder",
            PostWarning::NoBackup => "post-warning-no-backup",
            PostWarning::SameHolder => "post-warning-same-holder",
        }
    }
}

/// The warnings for a post with the given A and B holders.
pub fn post_warnings(a_holder: Option<i64>, b_holder: Option<i64>) -> Vec<PostWarning> {
    let mut warnings = Vec::new();
    if a_holder.is_none() {
        warnings.push(PostWarning::NoHolder);
    }
    match (a_holder, b_holder) {
        (_, None) => warnings.push(PostWarning::NoBackup),
        (Some(a), Some(b)) if a == b => warnings.push(PostWarning::SameHolder),
        _ => {}
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_with_distinct_a_and_b_is_fine() {
        assert!(post_warnings(Some(1), Some(2)).is_empty());
    }

    #[test]
    fn a_post_without_b_is_flagged() {
        assert_eq!(post_warnings(Some(1), None), vec![PostWarning::NoBackup]);
    }

    #[test]
    fn the_same_person_as_a_and_b_is_flagged() {
        assert_eq!(post_warnings(Some(4), Some(4)), vec![PostWarning::SameHolder]);
    }

    #[test]
    fn an_empty_post_is_flagged_twice() {
        assert_eq!(post_warnings(None, None), vec![PostWarning::NoHolder, PostWarning::NoBackup]);
    }
}
