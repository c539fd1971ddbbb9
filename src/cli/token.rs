//! `ccplane token create | list | revoke`, run straight against the database so the first admin
//! token can be made before any token exists.

use std::io::Write;

use chrono::{Duration, Utc};
use sqlx::PgPool;

use crate::config::TokenAction;
use crate::store::tokens::{self, TokenRow};

/// Runs a token command, writing its answer to `out`; `create` prints the token (once) and
/// nothing else on its first line, so scripts can capture it.
pub async fn run_token_command(
    pool: &PgPool,
    action: &TokenAction,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match action {
        TokenAction::Create {
            description,
            bindings,
            expires_in_days,
        } => {
            let expires_at = expires_in_days.map(|d| Utc::now() + Duration::days(i64::from(d)));
            let (token, row) = tokens::issue(pool, description, bindings, expires_at).await?;
            writeln!(out, "{token}")?;
            tracing::info!(id = %row.credentials.id, "token created; it is shown once and cannot be read again");
        }
        TokenAction::List => {
            writeln!(
                out,
                "{:<18}{:<22}{:<22}{:<30}DESCRIPTION",
                "ID", "EXPIRES", "REVOKED", "BINDINGS"
            )?;
            for row in tokens::list(pool).await? {
                writeln!(out, "{}", describe(&row))?;
            }
        }
        TokenAction::Revoke { id } => match tokens::revoke(pool, id).await? {
            Some(row) => writeln!(out, "revoked {}", row.credentials.id)?,
            None => anyhow::bail!("no token with id {id}"),
        },
    }
    Ok(())
}

fn describe(row: &TokenRow) -> String {
    let when = |t: Option<chrono::DateTime<Utc>>| {
        t.map_or_else(
            || "-".to_owned(),
            |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        )
    };
    let token = &row.credentials;
    let bindings = token
        .bindings
        .0
        .iter()
        .map(|b| format!("{}:{}", b.role, b.namespace))
        .collect::<Vec<_>>()
        .join(",");
    format!(
        "{:<18}{:<22}{:<22}{:<30}{}",
        token.id,
        when(token.expires_at),
        when(token.revoked_at),
        bindings,
        row.description
    )
}
