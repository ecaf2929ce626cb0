//! Validation of what people type: usernames, names, passwords.

/// Why a value was refused; each maps to a locale key shown beside the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    Required,
    TooLong,
    UsernameFormat,
    PasswordTooShort,
    PasswordLikeUsername,
    PasswordMismatch,
    Invalid,
    Taken,
    /// A change request that changes nothing.
    Unchanged,
    /// An id that is not among the choices the form offers.
    NotOffered,
}

impl FieldError {
    pub fn label_key(self) -> &'static str {
        match self {
            FieldError::Required => "error-required",
            FieldError::TooLong => "error-too-long",
            FieldError::UsernameFormat => "error-username-format",
            FieldError::PasswordTooShort => "error-password-too-short",
            FieldError::PasswordLikeUsername => "error-password-like-username",
            FieldError::PasswordMismatch => "error-password-mismatch",
            FieldError::Invalid => "error-invalid",
            FieldError::Taken => "error-taken",
            FieldError::Unchanged => "error-unchanged",
            FieldError::NotOffered => "error-not-offered",
        }
    }
}

/// Shortest password accepted (OWASP ASVS asks for at least 8; the office asks 10).
pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A trimmed, non-empty text of at most `max` characters.
pub fn required_text(value: &str, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        Err(FieldError::Required)
    } else if value.chars().count() > max {
        Err(FieldError::TooLong)
    } else {
        Ok(value.to_string())
    }
}

/// A decimal as typed: empty is none; "98", "98.5" and "1,200" are accepted
/// (thousands separators, ASCII or full-width, are dropped).
pub fn optional_decimal(value: &str) -> Result<Option<rust_decimal::Decimal>, FieldError> {
    let value = value.trim().replace([',', '，'], "");
    if value.is_empty() {
        return Ok(None);
    }
    std::str::FromStr::from_str(&value).map(Some).map_err(|_| FieldError::Invalid)
}

/// A trimmed optional text of at most `max` characters.
pub fn optional_text(value: &str, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    if value.chars().count() > max { Err(FieldError::TooLong) } else { Ok(value.to_string()) }
}

/// Usernames are 2–32 of lowercase letters, digits, dot, dash, underscore,
/// starting with a letter or digit. Input is lower-cased.
pub fn username(value: &str) -> Result<String, FieldError> {
    let value = value.trim().to_lowercase();
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    let mut chars = value.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    let len = value.chars().count();
    if first_ok && rest_ok && (2..=32).contains(&len) { Ok(value) } else { Err(FieldError::UsernameFormat) }
}

/// A new password: long enough, not too long, not the username.
pub fn new_password(password: &str, confirm: &str, username: &str) -> Result<(), FieldError> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_CHARS {
        Err(FieldError::PasswordTooShort)
    } else if len > MAX_PASSWORD_CHARS {
        Err(FieldError::TooLong)
    } else if password.to_lowercase().contains(&username.to_lowercase()) {
        Err(FieldError::PasswordLikeUsername)
    } else if password != confirm {
        Err(FieldError::PasswordMismatch)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lowercased_and_checked() {
        assert_eq!(username(" Zhang.Wei "), Ok("zhang.wei".into()));
        assert_eq!(username(""), Err(FieldError::Required));
        assert_eq!(username("-x"), Err(FieldError::UsernameFormat));
        assert_eq!(username("张伟"), Err(FieldError::UsernameFormat));
        assert_eq!(username("a"), Err(FieldError::UsernameFormat));
    }

    #[test]
    fn passwords_need_length_and_must_not_contain_the_username() {
        assert_eq!(new_password("short", "short", "li"), Err(FieldError::PasswordTooShort));
        assert_eq!(new_password("wangfang-2026", "wangfang-2026", "wangfang"), Err(FieldError::PasswordLikeUsername));
        assert_eq!(new_password("correct horse", "correct house", "li"), Err(FieldError::PasswordMismatch));
        assert_eq!(new_password("correct horse", "correct horse", "li.na"), Ok(()));
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(required_text("  办公室 ", 10), Ok("办公室".into()));
        assert_eq!(required_text("   ", 10), Err(FieldError::Required));
        assert_eq!(required_text("一二三", 2), Err(FieldError::TooLong));
        assert_eq!(optional_text("", 2), Ok(String::new()));
    }

    #[test]
    fn decimals_accept_plain_and_grouped_numbers() {
        assert_eq!(optional_decimal(" 98.5 "), Ok(Some(rust_decimal::Decimal::new(985, 1))));
        assert_eq!(optional_decimal("1,200"), Ok(Some(rust_decimal::Decimal::from(1200))));
        assert_eq!(optional_decimal(""), Ok(None));
        assert_eq!(optional_decimal("九十"), Err(FieldError::Invalid));
    }
}
