//! Start-up: open the store, apply migrations, load the district, build the router, serve.

use crate::{api, assets, config::Config};
use axum::extract::{FromRef, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use backend::booking::{system_clock, BookingConfig};
use backend::directory::SeedOutcome;
use backend::events::Events;
use backend::store::Database;
use backend::{Bookings, Directory, Store};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::SessionManagerLayer;

/// The demo district, built into the binary so that `PORTAL_DEMO=1` works anywhere.
pub const DEMO_DISTRICT: &str = include_str!("../../seed/demo-district.toml");

/// National holiday schedules shipped with the binary; admins load later years as files.
pub const HOLIDAY_FILES: &[&str] = &[include_str!("../../seed/holidays/2026.toml")];

/// What every handler reaches. Axum clones the state for each request, and these services
/// hold dozens of shared handles between them (cloning them was a tenth of a booking's CPU,
/// BENCHMARKS.md), so the state is one shared pointer to them.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        AppState(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// The Leptos routes read their options from the state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The services behind [`AppState`], built once at start-up.
pub struct Services {
    pub leptos_options: LeptosOptions,
    pub directory: Directory,
    pub bookings: Bookings,
    pub staff: backend::staff::Staff,
    pub queues: backend::queue::Queues,
    pub schedules: backend::schedules::Schedules,
    pub mediation: backend::Mediation,
    pub stats: backend::Statistics,
    pub login_throttle: backend::throttle::LoginThrottle,
    /// Seals what the server hands to browsers in cookies (flash messages).
    pub sealer: backend::seal::Sealer,
    /// The call displays' live boards, shared by their open streams.
    pub boards: backend::boards::Boards,
    /// Sends and checks the codes that prove residents' phones.
    pub verifier: backend::verify::PhoneVerifier,
    /// The waiting lists of full services.
    pub waitlist: backend::waitlist::Waitlist,
    /// Residents' ratings of finished services and their follow-ups.
    pub ratings: backend::Ratings,
    /// The portal's address as residents reach it (links in texts and QR codes).
    pub public_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database {0}")]
    Store(#[from] backend::StoreError),
    #[error("{0}")]
    Seed(#[from] backend::directory::SeedError),
    #[error("{0}")]
    Service(#[from] backend::ServiceError),
    #[error("staff accounts: {0}")]
    Staff(String),
    #[error("holiday file: {0}")]
    Holidays(String),
    #[error("cannot read district file {path}: {source}")]
    DistrictFile {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Where server-side sessions are kept: the portal's own database.
pub type SessionStore = crate::sessions::PortalSessions;

/// Opens the database named by `DATABASE_URL` (`sqlite:` or `postgres:`) and migrates it.
pub async fn open_database(config: &Config) -> Result<Database, StartupError> {
    let db = backend::store::open(&config.database_url, config.database_max_connections).await?;
    tracing::info!(engine = db.engine(), "database open");
    Ok(db)
}

/// The store of `DATABASE_URL`, for the command-line tools.
pub async fn open_store(config: &Config) -> Result<Arc<dyn Store>, StartupError> {
    Ok(open_database(config).await?.store())
}

/// Live events: in this process for SQLite; through the database, and so to every
/// instance, for PostgreSQL.
async fn events_for(db: &Database) -> Result<Events, StartupError> {
    Ok(match db {
        Database::Sqlite(_) => Events::in_process(),
        Database::Postgres(pg) => Events::across_instances(pg.pool().clone())
            .await
            .map_err(backend::StoreError::from)?,
    })
}

/// Session cookies: HttpOnly, SameSite=Lax (cross-site posts carry no session), Secure when
/// configured (behind HTTPS); forgotten after 30 idle days. Expired rows are swept hourly.
fn session_layer(store: SessionStore, secure: bool) -> SessionManagerLayer<SessionStore> {
    use tower_sessions::ExpiredDeletion;
    tokio::spawn(
        store
            .clone()
            .continuously_delete_expired(std::time::Duration::from_secs(3600)),
    );
    SessionManagerLayer::new(store)
        .with_name("portal_session")
        .with_http_only(true)
        .with_same_site(tower_sessions::cookie::SameSite::Lax)
        .with_secure(secure)
        .with_expiry(tower_sessions::Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::days(30),
        ))
}

/// Loads the configured district file (or the demo) into an empty database.
async fn seed(config: &Config, directory: &Directory) -> Result<(), StartupError> {
    let text = match (&config.district_file, config.demo) {
        (Some(path), _) => {
            std::fs::read_to_string(path).map_err(|source| StartupError::DistrictFile {
                path: path.display().to_string(),
                source,
            })?
        }
        (None, true) => DEMO_DISTRICT.to_string(),
        (None, false) => return Ok(()),
    };
    match directory.seed_if_empty(&text).await? {
        SeedOutcome::Loaded { offices, workrooms } => {
            tracing::info!(
                offices,
                workrooms,
                "district loaded into the empty database"
            )
        }
        SeedOutcome::AlreadyLoaded => {
            tracing::info!("district already in the database; file not reloaded")
        }
    }
    Ok(())
}

/// Stores a shipped holiday year unless that year is already in the database (an admin may
/// have loaded a corrected one).
async fn load_shipped_holidays(bookings: &Bookings, text: &str) -> Result<(), StartupError> {
    let year = domain::calendar::parse_holiday_year(text)
        .map_err(|e| StartupError::Holidays(e.to_string()))?;
    if !bookings.has_holiday_year(year.year) {
        bookings
            .load_holiday_file(text)
            .await?
            .map_err(|e| StartupError::Holidays(e.to_string()))?;
        tracing::info!(year = year.year, "holiday schedule loaded");
    }
    Ok(())
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    // cargo-leptos writes hash.txt beside the binary when it hashes file names.
    let hashed = std::env::var("LEPTOS_HASH_FILES")
        .map(|v| v == "true")
        .unwrap_or_else(|_| {
            std::env::current_exe()
                .ok()
                .and_then(|p| p.parent().map(|d| d.join("hash.txt").exists()))
                .unwrap_or(false)
        });
    LeptosOptions::builder()
        .output_name(config.output_name.as_str())
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .hash_files(hashed)
        .build()
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Serving"), (status = 503, description = "Database unreachable")))]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    if state.directory.healthy().await {
        (StatusCode::OK, Json(serde_json::json!({ "status": "ok" })))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "database unavailable" })),
        )
    }
}

/// The app's routes, listed once per process. Listing them renders the app with resource
/// loading switched off by a process-wide flag (Leptos' `SuppressResourceLoad`), so listing
/// them again while another instance in the same process serves a page (the tests run many
/// at once) left that page's data pending for ever: a hung request.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

pub fn router(
    state: AppState,
    limiter: Option<crate::rate_limit::Limiter>,
    sessions: SessionManagerLayer<SessionStore>,
    secure: bool,
) -> Router {
    let options = state.leptos_options.clone();
    let routes = route_list();
    let pkg_dir =
        std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let (directory, bookings) = (state.directory.clone(), state.bookings.clone());
    let (staff, queues) = (state.staff.clone(), state.queues.clone());
    let (schedules, mediation) = (state.schedules.clone(), state.mediation.clone());
    let login_throttle = state.login_throttle.clone();
    let sealer = state.sealer.clone();
    let verifier = state.verifier.clone();
    let waitlist = state.waitlist.clone();
    let ratings = state.ratings.clone();
    let public_url = app::PublicUrl(state.public_url.clone());
    let secure_cookies = app::device::SecureCookies(secure);
    let stats = state.stats.clone();
    // pages and the REST API count against the same per-client budget
    let throttle = backend::throttle::Throttle(limiter.clone());
    Router::new()
        .route("/healthz", get(healthz))
        .route("/prefs", get(crate::prefs::set_prefs))
        .route(
            "/bookings/{code}/calendar.ics",
            get(crate::device::calendar),
        )
        .nest("/api/v1", api::router(limiter))
        .nest_service(
            "/pkg",
            assets::pkg_router::<()>(&pkg_dir, options.hash_files),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                use leptos::prelude::provide_context;
                provide_context(directory.clone());
                provide_context(bookings.clone());
                provide_context(throttle.clone());
                provide_context(staff.clone());
                provide_context(queues.clone());
                provide_context(schedules.clone());
                provide_context(stats.clone());
                provide_context(mediation.clone());
                provide_context(login_throttle.clone());
                provide_context(sealer.clone());
                provide_context(verifier.clone());
                provide_context(waitlist.clone());
                provide_context(ratings.clone());
                provide_context(public_url.clone());
                provide_context(secure_cookies);
            },
            {
                let options = options.clone();
                move || app::shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            app::shell,
        ))
        .layer(axum::middleware::from_fn(crate::csrf::same_origin_only))
        .layer(sessions)
        .layer(axum::middleware::from_fn(crate::hardening::bounded_body))
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(5)))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(axum::middleware::from_fn(move |req, next| {
            crate::hardening::response_headers(secure, req, next)
        }))
        // outermost: a panic anywhere below is a logged 500, never a dropped connection
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            crate::hardening::on_panic,
        ))
        .with_state(state)
}

/// Sends due messages every few seconds and queues tomorrow's reminders every ten minutes.
fn spawn_outbox(notifier: backend::notify::Notifier, directory: Directory) {
    const REMINDERS_EVERY: std::time::Duration = std::time::Duration::from_secs(600);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
        let mut reminders_due = tokio::time::Instant::now();
        loop {
            // a phone code wakes it at once
            tokio::select! {
                _ = tick.tick() => {}
                _ = notifier.woken() => {}
            }
            if tokio::time::Instant::now() >= reminders_due {
                if let Ok(places) = directory.all().await {
                    notifier.enqueue_reminders(&places).await;
                }
                reminders_due += REMINDERS_EVERY;
            }
            let (sent, failed) = notifier.send_due().await;
            if sent + failed > 0 {
                tracing::info!(sent, failed, "notifications");
            }
        }
    });
}

/// Outside demo mode, names every account that still has the published demo password (in
/// the background: checking a password takes a while, and start-up should not wait for it).
fn warn_of_demo_passwords(staff: backend::staff::Staff) {
    tokio::spawn(async move {
        match staff.with_demo_password().await {
            Ok(names) => {
                for name in names {
                    tracing::warn!(
                        account = %name,
                        "this account still has the demo password: reset it with `server user reset-password`"
                    );
                }
            }
            Err(e) => tracing::error!(error = %e, "demo password check failed"),
        }
    });
}

/// Marks booked residents who did not come, every `every` (a minute in production).
fn spawn_no_show_marker(queues: backend::queue::Queues, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match queues.mark_no_shows().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(bookings = n, "marked as not come"),
                Err(e) => tracing::error!(error = %e, "no-show marking failed"),
            }
        }
    });
}

/// Anonymises residents' personal data that is past its retention, every `every` (hourly).
fn spawn_retention(retention: backend::retention::Retention, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = retention.run().await {
                tracing::error!(error = %e, "anonymising personal data failed");
            }
        }
    });
}

/// A bound, ready-to-serve portal.
pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    pub addr: SocketAddr,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        let clock = match config.fake_now {
            // runs from the given instant at the real pace
            Some(start) => {
                let offset = start.with_timezone(&chrono::Utc) - chrono::Utc::now();
                tracing::warn!(%start, "PORTAL_FAKE_NOW: the clock is not the real time");
                Arc::new(move || chrono::Utc::now() + offset) as backend::booking::Clock
            }
            None => system_clock(),
        };
        Self::build_at(config, clock).await
    }

    /// Builds the portal with its "now" from `clock` (tests move time).
    pub async fn build_at(
        config: Config,
        clock: backend::booking::Clock,
    ) -> Result<Self, StartupError> {
        let db = open_database(&config).await?;
        let sessions = session_layer(SessionStore::of(&db).await?, config.secure_cookies);
        let events = events_for(&db).await?;
        let store = db.store();
        let sealer = backend::seal::Sealer::load(store.as_ref()).await?;
        let directory = Directory::new(store.clone()).follow(&events);
        seed(&config, &directory).await?;
        let sender: Arc<dyn backend::notify::Sender> = match &config.sms_webhook {
            Some(url) => Arc::new(backend::notify::WebhookSender::new(url.clone())),
            None => Arc::new(backend::notify::RecordSender),
        };
        let notifier = backend::notify::Notifier::new(store.clone(), sender, clock.clone());
        tracing::info!(sender = notifier.sender_name(), "notifications outbox");
        spawn_outbox(notifier.clone(), directory.clone());
        let verifier = backend::verify::PhoneVerifier::new(
            store.clone(),
            sealer.clone(),
            config.phone_verify,
            clock.clone(),
        )
        .with_notifier(notifier.clone())
        // a demo without a gateway shows the code, or nobody could receive it
        .showing_codes(config.demo && config.sms_webhook.is_none());
        tracing::info!(mode = ?config.phone_verify, "phone verification");
        let waitlist = backend::waitlist::Waitlist::new(
            store.clone(),
            directory.clone(),
            BookingConfig::default(),
            chrono::Duration::minutes(config.waitlist_hold_minutes),
            clock.clone(),
        )
        .with_texts(
            Arc::new(notifier.clone()),
            format!("{}/waitlist/", config.public_url),
        )
        .with_notifier(notifier.clone())
        .with_verifier(verifier.clone());
        tokio::spawn(waitlist.clone().sweep_forever(config.waitlist_sweep_every));
        let bookings = Bookings::new(
            store.clone(),
            directory.clone(),
            BookingConfig::default(),
            clock.clone(),
        )
        .await?
        .with_notifier(notifier.clone())
        .with_verifier(verifier.clone())
        .with_waitlist(waitlist.clone())
        .follow(&events);
        for file in HOLIDAY_FILES {
            load_shipped_holidays(&bookings, file).await?;
        }
        if let Some(warning) = bookings.holiday_warning() {
            tracing::warn!("{warning}");
        }
        let staff = backend::staff::Staff::new(store.clone(), directory.clone(), clock.clone())
            .with_session_limits(config.staff_sessions);
        if config.demo {
            let n = staff
                .seed_demo_accounts()
                .await
                .map_err(|e| StartupError::Staff(e.to_string()))?;
            if n > 0 {
                tracing::info!(
                    accounts = n,
                    "demo staff accounts created (password demo1234)"
                );
            }
        } else {
            warn_of_demo_passwords(staff.clone());
        }
        let invites = backend::rating::RatingInvites::new(
            notifier.clone(),
            directory.clone(),
            format!("{}/rate/", config.public_url),
        );
        let queues = backend::queue::Queues::new(
            store.clone(),
            directory.clone(),
            staff.clone(),
            clock.clone(),
            chrono::Duration::minutes(i64::from(config.no_show_grace_minutes)),
            events,
        )
        .with_invites(invites.clone());
        spawn_no_show_marker(queues.clone(), config.no_show_check_every);
        spawn_retention(
            backend::retention::Retention::new(store.clone(), config.retention_days, clock.clone()),
            std::time::Duration::from_secs(60 * 60),
        );
        let mediation = backend::Mediation::new(
            store.clone(),
            directory.clone(),
            bookings.clone(),
            staff.clone(),
            clock.clone(),
            config.mediation_deadline_days,
        )
        .with_verifier(verifier.clone())
        .with_invites(invites);
        let ratings = backend::Ratings::new(
            store.clone(),
            directory.clone(),
            bookings.clone(),
            staff.clone(),
            sealer.clone(),
            clock.clone(),
        );
        let stats = backend::Statistics::new(store.clone(), directory.clone(), clock.clone());
        // every few seconds: a change is in the roll-ups (and in memory) before staff look
        stats.spawn_refresher(std::time::Duration::from_secs(5));
        let schedules = backend::schedules::Schedules::new(
            store.clone(),
            directory.clone(),
            bookings.clone(),
            staff.clone(),
            Some(notifier),
            clock.clone(),
        );

        let boards = backend::boards::Boards::new(queues.clone());
        let options = leptos_options(&config);
        assets::precompress_in_background(config.site_root.join("pkg"));
        let limiter = config
            .rate_limit
            .map(|r| crate::rate_limit::Limiter::new(r.per_minute));
        let router = router(
            AppState::new(Services {
                leptos_options: options,
                directory,
                bookings,
                staff,
                queues,
                schedules,
                mediation,
                stats,
                login_throttle: backend::throttle::LoginThrottle::default(),
                sealer,
                boards,
                verifier,
                waitlist,
                ratings,
                public_url: config.public_url.clone(),
            }),
            limiter,
            sessions,
            config.secure_cookies,
        );
        let router = if config.trusted_proxies.0.is_empty() {
            router
        } else {
            // outermost: everything after it sees the client, not the proxy
            router.layer(axum::middleware::from_fn_with_state(
                Arc::new(config.trusted_proxies.clone()),
                crate::proxy::client_address,
            ))
        };
        let listener = tokio::net::TcpListener::bind(config.site_addr)
            .await
            .map_err(|source| StartupError::Bind {
                addr: config.site_addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: config.site_addr,
            source,
        })?;
        Ok(Application {
            listener,
            router,
            addr,
        })
    }

    pub async fn run(self) -> std::io::Result<()> {
        // The peer address keys the rate limits.
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
