//! The numbers the performance office sets per year (`office_setting`,
//! docs/DOMAIN.md §1.4): every year's row at once (a handful of rows), one
//! year's values as they apply, and saving a year with its `version`.

use sqlx::PgConnection;

use crate::domain::settings::{Settings, SettingsBook, SettingsSource};

/// Every year that has values of its own.
pub async fn book(conn: &mut PgConnection) -> Result<SettingsBook, sqlx::Error> {
    let rows = sqlx::query!("select year, settings from office_setting order by year").fetch_all(conn).await?;
    Ok(SettingsBook::new(rows.into_iter().map(|r| (r.year, Settings::from_json(&r.settings)))))
}

/// The values in force in `year` (its own, else the nearest earlier year's, else the defaults).
pub async fn for_year(conn: &mut PgConnection, year: i32) -> Result<Settings, sqlx::Error> {
    Ok(year_settings(conn, year).await?.settings)
}

/// A year's values for its settings page: what applies, where it comes from,
/// and the version of the year's own row (0 when it has none yet).
#[derive(Debug, Clone)]
pub struct YearSettings {
    pub settings: Settings,
    pub source: SettingsSource,
    pub version: i32,
}

pub async fn year_settings(conn: &mut PgConnection, year: i32) -> Result<YearSettings, sqlx::Error> {
    let row = sqlx::query!(
        "select year, settings, version from office_setting where year <= $1 order by year desc limit 1",
        year
    )
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some(r) if r.year == year => {
            YearSettings { settings: Settings::from_json(&r.settings), source: SettingsSource::Own, version: r.version }
        }
        Some(r) => YearSettings {
            settings: Settings::from_json(&r.settings),
            source: SettingsSource::Inherited(r.year),
            version: 0,
        },
        None => YearSettings { settings: Settings::default(), source: SettingsSource::Defaults, version: 0 },
    })
}

/// Saves a year's values when its row is still at `version` (0: the year has
/// no row yet). `false` when someone saved in between.
pub async fn save(
    conn: &mut PgConnection,
    year: i32,
    version: i32,
    settings: &Settings,
    by: i64,
) -> Result<bool, sqlx::Error> {
    let values = settings.to_json();
    let done = if version == 0 {
        sqlx::query!(
            "insert into office_setting (year, settings, updated_by) values ($1, $2, $3) on conflict (year) do nothing",
            year,
            values,
            by
        )
        .execute(conn)
        .await?
    } else {
        sqlx::query!(
            "update office_setting set settings = $2, version = version + 1, updated_at = now(), updated_by = $3
             where year = $1 and version = $4",
            year,
            values,
            by,
            version
        )
        .execute(conn)
        .await?
    };
    Ok(done.rows_affected() == 1)
}
