//! Stage 4, track feedback (docs/DOMAIN.md §19): written notices of final
//! results and their acknowledgement, feedback interviews, reviews and
//! appeals, rectification, the use of results and each person's history.

pub mod appeals;
pub mod board;
pub mod grade_import;
pub mod history;
pub mod interviews;
pub mod notices;
pub mod proposals;
pub mod rectification;

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::auth::session::CurrentUser;
use crate::db::interviews as interview_rows;
use crate::db::notices::{self as notice_rows, NoticeFilter};
use crate::domain::roles::Role;
use crate::error::AppResult;
use crate::http::home::TodoItem;

/// What stage 4 adds to the home page's to-dos: the person's notices to
/// acknowledge and interview records to confirm, the interviews they
/// scheduled and have not recorded, and for the performance office the
/// notices still waiting.
pub async fn todos(conn: &mut PgConnection, user: &CurrentUser, _today: NaiveDate) -> AppResult<Vec<TodoItem>> {
    let own = NoticeFilter { person_id: Some(user.id()), waiting: true, ..NoticeFilter::default() };
    let to_acknowledge = notice_rows::list(conn, &own).await?.iter().filter(|n| !n.superseded()).count() as i64;
    let (to_confirm, to_hold) = interview_rows::todo_counts(conn, user.id()).await?;
    let waiting = if user.grants().has(Role::PerformanceOffice) { notice_rows::waiting_count(conn).await? } else { 0 };
    Ok([
        ("todo-notices-to-acknowledge", to_acknowledge, "/feedback/notices".to_string()),
        ("todo-interviews-to-confirm", to_confirm, "/feedback/interviews".into()),
        ("todo-interviews-to-hold", to_hold, "/feedback/interviews".into()),
        ("todo-notices-waiting", waiting, "/feedback/notices?waiting=1".into()),
    ]
    .into_iter()
    .filter(|(_, count, _)| *count > 0)
    .map(|(key, count, href)| TodoItem { key, count, href })
    .collect())
}
