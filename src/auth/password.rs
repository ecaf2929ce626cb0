//! argon2id password hashing on the blocking pool, a bounded number at a time.

use std::sync::{Arc, LazyLock};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

/// argon2id with the OWASP parameters: 19 MiB, 2 iterations, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Verified against when the username is unknown, so both cases take as long.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_now("no such user: equal timing"));

fn hash_now(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing cannot fail with valid params")
        .to_string()
}

fn verify_now(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Letters and digits that cannot be mistaken for each other on paper (no
/// 0/O, 1/l/I), for passwords an administrator hands out.
const UNAMBIGUOUS: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A random 12-character initial or temporary password (about 69 bits).
pub fn initial_password() -> String {
    use argon2::password_hash::rand_core::RngCore;
    let mut bytes = [0u8; 12];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| UNAMBIGUOUS[*b as usize % UNAMBIGUOUS.len()] as char).collect()
}

/// Hashes and verifies off the async threads, at most N at once.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
}

impl Passwords {
    pub fn new(max_concurrent: usize) -> Passwords {
        Passwords { permits: Arc::new(Semaphore::new(max_concurrent.max(1))) }
    }

    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let _permit = self.permits.acquire().await?;
        Ok(tokio::task::spawn_blocking(move || hash_now(&password)).await?)
    }

    /// Checks `password` against `hash`; with no hash (unknown user) it does the
    /// same work and answers false.
    pub async fn verify(&self, hash: Option<String>, password: String) -> anyhow::Result<bool> {
        let _permit = self.permits.acquire().await?;
        Ok(tokio::task::spawn_blocking(move || match hash {
            Some(hash) => verify_now(&hash, &password),
            None => {
                verify_now(&DUMMY_HASH, &password);
                false
            }
        })
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let passwords = Passwords::new(1);
        let hash = passwords.hash("correct horse".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(passwords.verify(Some(hash.clone()), "correct horse".into()).await.unwrap());
        assert!(!passwords.verify(Some(hash), "wrong horse".into()).await.unwrap());
    }

    #[test]
    fn initial_passwords_avoid_look_alike_characters() {
        let password = initial_password();
        assert_eq!(password.chars().count(), 12);
        assert!(!password.contains(['0', 'O', '1', 'l', 'I']));
        assert_ne!(password, initial_password());
    }

    #[tokio::test]
    async fn an_unknown_user_never_verifies() {
        let passwords = Passwords::new(1);
        assert!(!passwords.verify(None, "no such user: equal timing".into()).await.unwrap());
    }
}
