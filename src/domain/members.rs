//! The register of CPPCC members (政协委员, docs/DOMAIN.md §18.1): the checks
//! of a member's fields, shared by the form and the import.

/// Whether `mobile` is a mainland mobile number: eleven digits starting with 1.
pub fn valid_mobile(mobile: &str) -> bool {
    mobile.len() == 11 && mobile.starts_with('1') && mobile.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mobile_is_eleven_digits_starting_with_one() {
        assert!(valid_mobile("13900001001"));
        assert!(!valid_mobile("1390000100"));
        assert!(!valid_mobile("23900001001"));
        assert!(!valid_mobile("1390000100a"));
    }
}
