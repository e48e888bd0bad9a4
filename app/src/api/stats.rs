//! Server function of the statistics page. Who may see which scope is decided by
//! `backend::Statistics` (`domain::stats::may_see_stats`) on every call.

use crate::api::common::AppError;
use domain::stats::Dashboard;
use leptos::prelude::*;

/// What the page shows: the dashboard, and the period and scope it answers (defaults
/// filled in).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StatsPage {
    pub dashboard: Dashboard,
    pub scope: String,
    pub from: String,
    pub to: String,
    /// Today, for the quick period links.
    pub today: chrono::NaiveDate,
}

#[server]
/// The page's question: a scope and a period as typed; empty means the default (the
/// district, or an office head's office, from 1 January to today).
pub async fn load_stats(scope: String, from: String, to: String) -> Result<StatsPage, AppError> {
    use crate::i18n::{t, Msg};
    use backend::stats::StatsError;
    use backend::Statistics;
    use backend::UseCaseError;
    use chrono::NaiveDate;
    let account = crate::device::require_staff().await?;
    let stats = crate::api::common::context::<Statistics>("statistics")?;
    let today = crate::api::common::context::<backend::Bookings>("bookings")
        .map(|b| domain::slots::local_date(&b.now()))?;
    // empty fields: where the account's statistics open, this year so far
    let scope = match scope.trim() {
        "" => domain::stats::home_scope(&account)
            .map(|s| s.key())
            .unwrap_or_else(|| "district".into()),
        s => s.to_string(),
    };
    let first = domain::stats::Period::year_to_date(today);
    let or = |text: &str, default: NaiveDate| {
        let text = text.trim();
        if text.is_empty() {
            default.to_string()
        } else {
            text.to_string()
        }
    };
    let (from, to) = (or(&from, first.from), or(&to, first.to));
    // a wrong field is named, since the page shows the refusal above the form
    let failure = |e: StatsError| {
        let mut error = AppError::from_use_case(&e);
        if let Some(field) = e.field() {
            let label = match field {
                "from" => t(Msg::StatsFrom),
                "to" => t(Msg::StatsTo),
                _ => t(Msg::StatsScope),
            };
            error.message = format!("{label}{}{}", t(Msg::FieldSeparator), error.message);
        }
        error
    };
    let (s, period) = Statistics::parse_query(&scope, &from, &to).map_err(failure)?;
    let dashboard = stats
        .dashboard(&account, s, period)
        .await
        .map_err(failure)?;
    Ok(StatsPage {
        dashboard,
        scope,
        from,
        to,
        today,
    })
}
