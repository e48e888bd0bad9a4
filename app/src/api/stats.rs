//! Server function of the statistics page. Who may see which scope is decided by
//! `backend::Statistics` (`domain::stats::may_see_stats`) on every call.

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
#[allow(clippy::too_many_arguments)]
pub async fn load_stats(
    scope: String,
    from: String,
    to: String,
) -> Result<StatsPage, ServerFnError> {
    use backend::stats::StatsError;
    use backend::Statistics;
    use chrono::Datelike;
    let account = crate::device::staff_account()
        .await?
        .ok_or_else(|| ServerFnError::new("请先登录"))?;
    let stats = use_context::<Statistics>()
        .ok_or_else(|| ServerFnError::new("statistics missing from context"))?;
    let today = use_context::<backend::Bookings>()
        .map(|b| domain::slots::local_date(&b.now()))
        .ok_or_else(|| ServerFnError::new("bookings missing from context"))?;
    let scope = match (scope.trim(), account.place) {
        ("", Some(place)) if account.role == domain::staff::Role::OfficeHead => place.0.to_string(),
        ("", _) => "district".to_string(),
        (s, _) => s.to_string(),
    };
    let or = |text: &str, default: String| {
        if text.trim().is_empty() {
            default
        } else {
            text.trim().to_string()
        }
    };
    let from = or(&from, format!("{}-01-01", today.year()));
    let to = or(&to, today.to_string());
    let failure = |e: StatsError| match e {
        StatsError::Invalid(f) => {
            let field = match f.field {
                "from" => "开始日期",
                "to" => "结束日期",
                _ => "范围",
            };
            ServerFnError::new(format!("{field}：{}", f.message))
        }
        StatsError::Internal => ServerFnError::new("internal error"),
        other => ServerFnError::new(other.to_string()),
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
