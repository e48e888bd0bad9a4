//! `/staff/stats?scope=&from=&to=`: a scope's service statistics for a period, compared with
//! the period before; charts with their data tables; drill-down to offices and workrooms;
//! the waiting lists (joined, offered, taken, expired); residents' ratings (satisfaction,
//! levels, reasons, follow-ups); the report paragraphs; the ledger exports. A plain GET form, so it works without JavaScript and every view has its own
//! address.

use crate::api::stats::{load_stats, StatsPage};
use crate::components::chart::{BarList, ColumnChart, Series};
use crate::components::forms::error_text;
use crate::i18n::{dispute_name, lang, month_short, referral_name, service_name, t, Lang, Msg};
use domain::mediation::Fen;
use domain::rating::Level;
use domain::stats::{
    change_text, wan_yuan_text, Dashboard, Figures, Month, Period, RatingFigures, Ratio, Scope,
    WaitlistFigures,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StatsPage() -> impl IntoView {
    let query = use_query_map();
    let ask = move || {
        query.with(|q| {
            (
                q.get("scope").unwrap_or_default(),
                q.get("from").unwrap_or_default(),
                q.get("to").unwrap_or_default(),
            )
        })
    };
    let page = Resource::new(ask, |(s, f, t)| load_stats(s, f, t));
    view! {
        <Title text=t(Msg::StatsTitle) />
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let (scope, from, to) = ask();
                match page.await {
                    Ok(p) => view! { <StatsView p /> }.into_any(),
                    Err(e) => view! {
                        <header class="page-head"><h1>{t(Msg::StatsTitle)}</h1></header>
                        <p class="error" role="alert">{error_text(&e)}</p>
                        <PeriodForm scope from to />
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

fn stats_href(scope: &str, from: impl ToString, to: impl ToString) -> String {
    format!(
        "/staff/stats?scope={scope}&from={}&to={}",
        from.to_string(),
        to.to_string()
    )
}

#[component]
fn PeriodForm(scope: String, from: String, to: String) -> impl IntoView {
    view! {
        <form method="get" action="/staff/stats" class="card period-form">
            <input type="hidden" name="scope" value=scope />
            <label for="stats-from">{t(Msg::StatsFrom)}</label>
            <input id="stats-from" name="from" type="date" value=from required />
            <label for="stats-to">{t(Msg::StatsTo)}</label>
            <input id="stats-to" name="to" type="date" value=to required />
            <button type="submit" class="button">{t(Msg::StatsShow)}</button>
        </form>
    }
}

#[component]
fn StatsView(p: StatsPage) -> impl IntoView {
    let lang = lang();
    let d = p.dashboard;
    let scope = p.scope.clone();
    let today = p.today;
    let quick = [Msg::StatsThisYear, Msg::StatsLastMonth, Msg::StatsLastYear]
        .into_iter()
        .zip(Period::usual(today));
    let period_label = match lang {
        Lang::ZhCn => d.period.label_zh(),
        Lang::En => d.period.label_en(),
    };
    let previous_label = match lang {
        Lang::ZhCn => d.previous_period.label_zh(),
        Lang::En => d.previous_period.label_en(),
    };
    let crumbs = {
        let (from, to) = (p.from.clone(), p.to.clone());
        let mut c = vec![(
            stats_href("district", &from, &to),
            t(Msg::StatsDistrict).to_string(),
        )];
        if let Some((id, name)) = &d.parent {
            c.push((stats_href(&id.0.to_string(), &from, &to), name.clone()));
        }
        c
    };
    let show_crumbs = d.scope != Scope::District;
    let scope_name = if show_crumbs {
        d.scope_name.clone()
    } else {
        t(Msg::StatsDistrict).to_string()
    };
    let report = match lang {
        Lang::ZhCn => d.report_zh.clone(),
        Lang::En => d.report_en.clone(),
    };
    let export = |path: &str, extra: &str| {
        format!(
            "/api/v1/stats/{path}?scope={}&from={}&to={}{extra}",
            scope, p.from, p.to
        )
    };
    let exports = (
        export("export.csv", "&ledger=services"),
        export("export.csv", "&ledger=mediation"),
        export("export.xlsx", ""),
    );
    view! {
        <header class="page-head">
            {show_crumbs.then(|| view! {
                <nav aria-label=t(Msg::StatsDrill) class="place-meta">
                    {crumbs.into_iter().map(|(href, name)| view! { <a href=href>{name}</a>" › " }).collect_view()}
                </nav>
            })}
            <h1>{t(Msg::StatsTitle)}" · "{scope_name}</h1>
            <p>{t(Msg::StatsPeriod)}{t(Msg::FieldSeparator)}{period_label}" · "{t(Msg::StatsPrevious)}{t(Msg::FieldSeparator)}{previous_label}</p>
        </header>
        <PeriodForm scope=p.scope.clone() from=p.from.clone() to=p.to.clone() />
        <p class="quick-periods">
            {quick
                .into_iter()
                .map(|(label, q)| view! { <a href=stats_href(&p.scope, q.from, q.to)>{t(label)}</a> })
                .collect_view()}
        </p>
        <KeyFigures d=d.clone() />
        <Charts d=d.clone() />
        <ServiceTable f=d.figures.clone() />
        <WaitlistTable f=d.figures.clone() />
        <RatingsTable f=d.figures.clone() before=d.previous.ratings.total />
        <MediationTable f=d.figures.clone() />
        <DrillDown d=d.clone() from=p.from.clone() to=p.to.clone() />
        <section class="card report" aria-labelledby="report-heading">
            <h2 id="report-heading">{t(Msg::StatsReport)}</h2>
            <p class="hint">{t(Msg::StatsReportHint)}</p>
            {report.into_iter().map(|para| view! { <p class="report-text">{para}</p> }).collect_view()}
        </section>
        <section class="card" aria-labelledby="exports-heading">
            <h2 id="exports-heading">{t(Msg::StatsExports)}</h2>
            <ul class="exports">
                <li><a href=exports.0 download>{t(Msg::StatsCsvServices)}</a></li>
                <li><a href=exports.1 download>{t(Msg::StatsCsvMediation)}</a></li>
                <li><a href=exports.2 download>{t(Msg::StatsXlsx)}</a></li>
            </ul>
        </section>
    }
}

fn ratio_text(r: &Ratio) -> String {
    match &r.percent {
        Some(p) => format!("{p}（{}/{}）", r.numerator, r.denominator),
        None => "—".to_string(),
    }
}

fn minutes_text(avg: Option<f64>, p90: Option<u32>) -> String {
    match (avg, p90) {
        (Some(a), Some(p)) => format!(
            "{} {a:.1} {} · {} {p} {}",
            t(Msg::StatsAverage),
            t(Msg::StatsMinutes),
            t(Msg::StatsP90),
            t(Msg::StatsMinutes)
        ),
        _ => "—".to_string(),
    }
}

/// A rate as a key figure: the percent large, what it is made of under it.
#[component]
fn RateFigure(label: &'static str, r: Ratio) -> impl IntoView {
    view! {
        <div class="figure">
            <dt>{label}</dt>
            <dd>
                <strong>{r.percent.clone().unwrap_or_else(|| "—".into())}</strong>
                <span class="hint">{r.numerator}" / "{r.denominator}</span>
            </dd>
        </div>
    }
}

/// One key figure with the previous period's value and the change.
#[component]
fn Figure(label: &'static str, now: u64, before: u64) -> impl IntoView {
    let change = change_text(now, before);
    view! {
        <div class="figure">
            <dt>{label}</dt>
            <dd>
                <strong>{now}</strong>
                <span class="hint">" "{t(Msg::StatsPrevious)}" "{before}{change.map(|c| format!("，{} {c}", t(Msg::StatsChange)))}</span>
            </dd>
        </div>
    }
}

#[component]
fn KeyFigures(d: Dashboard) -> impl IntoView {
    let (f, b) = (&d.figures, &d.previous);
    let served = |x: &Figures| x.bookings.iter().map(|s| s.attended).sum::<u64>() + x.walk_ins;
    let m = &f.mediation;
    view! {
        <section class="card" aria-labelledby="key-heading">
            <h2 id="key-heading">{t(Msg::StatsKeyFigures)}</h2>
            <dl class="figures">
                <Figure label=t(Msg::StatsBookings) now=f.bookings_total before=b.bookings_total />
                <Figure label=t(Msg::StatsServed) now=served(f) before=served(b) />
                <Figure label=t(Msg::StatsWalkIns) now=f.walk_ins before=b.walk_ins />
                <Figure label=t(Msg::StatsAccepted) now=m.accepted before=b.mediation.accepted />
                <Figure label=t(Msg::StatsSettled) now=m.settled before=b.mediation.settled />
                <RateFigure label=t(Msg::StatsSuccessRate) r=m.success_rate.clone() />
                <RateFigure label=t(Msg::StatsNoShowRate) r=f.no_show_rate.clone() />
                <div class="figure"><dt>{t(Msg::StatsWait)}</dt><dd>{minutes_text(f.wait.average_minutes, f.wait.p90_minutes)}</dd></div>
                <div class="figure"><dt>{t(Msg::StatsServiceTime)}</dt><dd>{minutes_text(f.service_time.average_minutes, f.service_time.p90_minutes)}</dd></div>
                <RateFigure label=t(Msg::StatsYouthShare) r=f.psychology_youth_share.clone() />
                <Figure label=t(Msg::StatsWaitlistJoined) now=f.waitlist.joined before=b.waitlist.joined />
                <RateFigure label=t(Msg::StatsWaitlistTakenRate) r=f.waitlist.taken_rate.clone() />
                <RateFigure label=t(Msg::StatsSatisfactionRate) r=f.ratings.satisfaction_rate.clone() />
            </dl>
        </section>
    }
}

#[component]
fn Charts(d: Dashboard) -> impl IntoView {
    let lang = lang();
    let labels: Vec<String> = d
        .months
        .iter()
        .map(|m| {
            Month::parse_key(&m.month)
                .map(|k| month_short(lang, k))
                .unwrap_or_else(|| m.month.clone())
        })
        .collect();
    let attended: Vec<u64> = d
        .months
        .iter()
        .map(|m| m.figures.bookings.iter().map(|b| b.attended).sum())
        .collect();
    let walk_ins: Vec<u64> = d.months.iter().map(|m| m.figures.walk_ins).collect();
    let types: Vec<(String, u64)> = d
        .figures
        .mediation
        .by_type
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| (dispute_name(c.key).to_string(), c.count))
        .collect();
    view! {
        <section class="card charts">
            <ColumnChart
                id="chart-monthly"
                title=t(Msg::StatsMonthly).to_string()
                label_head=t(Msg::StatsMonth).to_string()
                labels
                series=vec![
                    Series { name: t(Msg::StatsAttended).into(), values: attended },
                    Series { name: t(Msg::StatsWalkIns).into(), values: walk_ins },
                ]
            />
            <BarList
                id="chart-disputes"
                title=t(Msg::StatsByType).to_string()
                label_head=t(Msg::StatsByType).to_string()
                value_head=t(Msg::StatsAccepted).to_string()
                items=types
            />
        </section>
    }
}

#[component]
fn ServiceTable(f: Figures) -> impl IntoView {
    let rows = f
        .bookings
        .iter()
        .map(|b| {
            view! {
                <tr>
                    <th scope="row">{service_name(b.service)}</th>
                    <td>{b.total}</td><td>{b.cancelled}</td><td>{b.rescheduled}</td>
                    <td>{b.attended}</td><td>{b.no_show}</td><td>{b.booked}</td><td>{b.walk_ins}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="services-heading">
            <h2 id="services-heading">{t(Msg::StatsByService)}</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="services-heading">
                <table class="data">
                    <thead><tr>
                        <th scope="col">{t(Msg::StatsService)}</th>
                        <th scope="col">{t(Msg::StatsBookings)}</th>
                        <th scope="col">{t(Msg::StatsCancelled)}</th>
                        <th scope="col">{t(Msg::StatsRescheduled)}</th>
                        <th scope="col">{t(Msg::StatsAttended)}</th>
                        <th scope="col">{t(Msg::StatsNoShow)}</th>
                        <th scope="col">{t(Msg::StatsBooked)}</th>
                        <th scope="col">{t(Msg::StatsWalkIns)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// The waiting lists by service (those that had any), then all together.
#[component]
fn WaitlistTable(f: Figures) -> impl IntoView {
    let cells = |w: &WaitlistFigures| {
        view! {
            <td>{w.joined}</td><td>{w.offered}</td><td>{w.taken}</td><td>{w.expired}</td>
            <td>{ratio_text(&w.taken_rate)}</td>
        }
    };
    let rows = f
        .bookings
        .iter()
        .filter(|b| b.waitlist.joined + b.waitlist.offered + b.waitlist.taken + b.waitlist.expired > 0)
        .map(|b| view! { <tr><th scope="row">{service_name(b.service)}</th>{cells(&b.waitlist)}</tr> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="waitlist-heading">
            <h2 id="waitlist-heading">{t(Msg::StatsWaitlist)}</h2>
            <p class="hint">{t(Msg::StatsWaitlistHint)}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="waitlist-heading">
                <table class="data">
                    <thead><tr>
                        <th scope="col">{t(Msg::StatsService)}</th>
                        <th scope="col">{t(Msg::StatsWaitlistJoined)}</th>
                        <th scope="col">{t(Msg::StatsWaitlistOffered)}</th>
                        <th scope="col">{t(Msg::StatsWaitlistTaken)}</th>
                        <th scope="col">{t(Msg::StatsWaitlistExpired)}</th>
                        <th scope="col">{t(Msg::StatsWaitlistTakenRate)}</th>
                    </tr></thead>
                    <tbody>
                        {rows}
                        <tr><th scope="row">{t(Msg::StatsTotal)}</th>{cells(&f.waitlist)}</tr>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Residents' ratings: the satisfaction rate and the follow-ups' timeliness, then by service
/// (those rated) and together: levels, follow-ups; the reasons of the poor ones.
#[component]
fn RatingsTable(f: Figures, before: u64) -> impl IntoView {
    let lang = lang();
    let r = f.ratings.clone();
    let cells = |r: &RatingFigures| {
        view! {
            <td>{r.total}</td>
            {r.levels.iter().map(|c| view! { <td>{c.count}</td> }).collect_view()}
            <td>{ratio_text(&r.satisfaction_rate)}</td>
            <td>{r.follow_ups()}</td><td>{r.closed_on_time}</td><td>{r.closed_late}</td>
            <td>{r.open}</td><td>{r.overdue}</td>
            <td>{ratio_text(&r.on_time_rate)}</td>
        }
    };
    let rows = f
        .bookings
        .iter()
        .filter(|b| b.ratings.total > 0)
        .map(|b| view! { <tr><th scope="row">{service_name(b.service)}</th>{cells(&b.ratings)}</tr> })
        .collect_view();
    let reasons = r
        .reasons
        .iter()
        .map(|c| view! { <tr><th scope="row">{c.key.label(lang)}</th><td>{c.count}</td></tr> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="ratings-heading">
            <h2 id="ratings-heading">{t(Msg::StatsRatings)}</h2>
            <p class="hint">{t(Msg::StatsRatingsHint)}</p>
            <dl class="figures">
                <Figure label=t(Msg::StatsRatingsTotal) now=r.total before=before />
                <RateFigure label=t(Msg::StatsSatisfactionRate) r=r.satisfaction_rate.clone() />
                <RateFigure label=t(Msg::StatsFollowUpsOnTimeRate) r=r.on_time_rate.clone() />
            </dl>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="ratings-heading">
                <table class="data">
                    <caption>{t(Msg::StatsRatingLevels)}" · "{t(Msg::StatsFollowUps)}</caption>
                    <thead><tr>
                        <th scope="col">{t(Msg::StatsService)}</th>
                        <th scope="col">{t(Msg::StatsRatingsTotal)}</th>
                        {Level::ALL.iter().map(|l| view! { <th scope="col">{l.label(lang)}</th> }).collect_view()}
                        <th scope="col">{t(Msg::StatsSatisfactionRate)}</th>
                        <th scope="col">{t(Msg::StatsFollowUps)}</th>
                        <th scope="col">{t(Msg::StatsFollowUpsOnTime)}</th>
                        <th scope="col">{t(Msg::StatsFollowUpsLate)}</th>
                        <th scope="col">{t(Msg::StatsFollowUpsOpen)}</th>
                        <th scope="col">{t(Msg::StatsFollowUpsOverdue)}</th>
                        <th scope="col">{t(Msg::StatsFollowUpsOnTimeRate)}</th>
                    </tr></thead>
                    <tbody>
                        {rows}
                        <tr><th scope="row">{t(Msg::StatsTotal)}</th>{cells(&r)}</tr>
                    </tbody>
                </table>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="ratings-heading">
                <table class="data">
                    <thead><tr>
                        <th scope="col">{t(Msg::StatsRatingReasons)}</th>
                        <th scope="col">{t(Msg::StatsRatingReasonsCount)}</th>
                    </tr></thead>
                    <tbody>{reasons}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn MediationTable(f: Figures) -> impl IntoView {
    let m = f.mediation;
    let amount = format!("¥{}", Fen(m.amount_fen).yuan_text());
    let wan = format!(
        "{} {}",
        wan_yuan_text(Fen(m.amount_fen)),
        t(Msg::StatsWanYuan)
    );
    let referrals = m
        .referrals
        .iter()
        .map(|r| view! { <tr><th scope="row">{referral_name(r.key)}</th><td>{r.count}</td></tr> })
        .collect_view();
    let line = |label: Msg, value: String| view! { <tr><th scope="row">{t(label)}</th><td>{value}</td></tr> };
    view! {
        <section class="card" aria-labelledby="mediation-heading">
            <h2 id="mediation-heading">{t(Msg::StatsMediation)}</h2>
            <table class="data">
                <tbody>
                    {line(Msg::StatsRequests, m.requests.to_string())}
                    {line(Msg::StatsRefused, m.refused.to_string())}
                    {line(Msg::StatsAccepted, m.accepted.to_string())}
                    {line(Msg::StatsSettled, m.settled.to_string())}
                    {line(Msg::StatsSuccessRate, ratio_text(&m.success_rate))}
                    {line(Msg::StatsWritten, m.written_agreements.to_string())}
                    {line(Msg::StatsOral, m.oral_agreements.to_string())}
                    {line(Msg::StatsAmount, format!("{amount}（{wan}）"))}
                    {line(Msg::StatsFailed, m.failed.to_string())}
                    {line(Msg::StatsNotMediated, m.not_mediated.to_string())}
                    {line(Msg::StatsOpen, m.open.to_string())}
                    {line(Msg::StatsIp, format!("{} / {}", m.ip_accepted, m.ip_settled))}
                </tbody>
            </table>
            <h3>{t(Msg::StatsReferrals)}</h3>
            <table class="data"><tbody>{referrals}</tbody></table>
        </section>
    }
}

#[component]
fn DrillDown(d: Dashboard, from: String, to: String) -> impl IntoView {
    if d.rows.is_empty() {
        return ().into_any();
    }
    let office_itself = d.scope != Scope::District;
    let rows = d
        .rows
        .iter()
        .map(|r| {
            let f = &r.figures;
            let itself = office_itself && Scope::Place(r.location_id) == d.scope;
            let name = if itself {
                format!("{}{}", r.name, t(Msg::StatsOfficeItself))
            } else {
                r.name.clone()
            };
            let cell = if itself {
                view! { <th scope="row">{name}</th> }.into_any()
            } else {
                view! { <th scope="row"><a href=stats_href(&r.location_id.0.to_string(), &from, &to)>{name}</a></th> }.into_any()
            };
            view! {
                <tr>
                    {cell}
                    <td>{f.bookings_total}</td>
                    <td>{f.bookings.iter().map(|b| b.attended).sum::<u64>()}</td>
                    <td>{f.walk_ins}</td>
                    <td>{f.no_show_rate.percent.clone().unwrap_or_else(|| "—".into())}</td>
                    <td>{f.mediation.accepted}</td>
                    <td>{f.mediation.settled}</td>
                    <td>{f.mediation.success_rate.percent.clone().unwrap_or_else(|| "—".into())}</td>
                    <td>{f.waitlist.joined}</td>
                    <td>{f.waitlist.offered}</td>
                    <td>{f.waitlist.taken}</td>
                    <td>{f.waitlist.expired}</td>
                    <td>{f.ratings.total}</td>
                    <td>{f.ratings.satisfaction_rate.percent.clone().unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="drill-heading">
            <h2 id="drill-heading">{t(Msg::StatsDrill)}</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="drill-heading">
                <table class="data drill">
                    <thead><tr>
                        <th scope="col">{t(Msg::StatsPlace)}</th>
                        <th scope="col">{t(Msg::StatsBookings)}</th>
                        <th scope="col">{t(Msg::StatsAttended)}</th>
                        <th scope="col">{t(Msg::StatsWalkIns)}</th>
                        <th scope="col">{t(Msg::StatsNoShowRate)}</th>
                        <th scope="col">{t(Msg::StatsAccepted)}</th>
                        <th scope="col">{t(Msg::StatsSettled)}</th>
                        <th scope="col">{t(Msg::StatsSuccessRate)}</th>
                        <th scope="col">{t(Msg::StatsWaitlistJoined)}</th>
                        <th scope="col">{t(Msg::StatsWaitlistOffered)}</th>
                        <th scope="col">{t(Msg::StatsWaitlistTaken)}</th>
                        <th scope="col">{t(Msg::StatsWaitlistExpired)}</th>
                        <th scope="col">{t(Msg::StatsRatingsTotal)}</th>
                        <th scope="col">{t(Msg::StatsSatisfactionRate)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
