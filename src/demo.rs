//! The demo office.

use sqlx::PgPool;

use crate::auth::password::Passwords;

pub async fn load(_pool: &PgPool, _passwords: &Passwords) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
