//! `server`: runs the portal, or one of its maintenance commands.

use clap::{Parser, Subcommand};
use server::config::Config;
use server::startup::Application;
use std::process::ExitCode;

/// mimalloc returns freed memory to the system soon after a burst (a thousand display streams,
/// a sign-in flood) instead of keeping it in the process as glibc's allocator did.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "server",
    about = "区公共法律服务平台 / district legal-service portal"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default).
    Serve,
    /// Check a district data file and report the first error with its line and field.
    CheckDistrict {
        /// Path to the TOML file.
        file: std::path::PathBuf,
    },
    /// Load a year's national holiday schedule (seed/holidays/YYYY.toml format) into the
    /// database named by DATABASE_URL; running servers use it after their next start.
    LoadHolidays {
        /// Path to the TOML file.
        file: std::path::PathBuf,
    },
    /// Fill the database named by DATABASE_URL with years of generated past activity for the
    /// demo district (about a million bookings and tens of thousands of mediation cases over
    /// three years), reproducible from the seed. The database must have no past bookings.
    DemoHistory {
        #[arg(long, default_value_t = 3)]
        years: u32,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// 1.0 is a full district; smaller for quick tries (0.01 ≈ 10,000 bookings).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
    },
    /// Copy a whole portal from its SQLite file into an empty PostgreSQL database (already
    /// created; its tables are made here), then check every table's rows and content.
    /// Stop the portal first. Exits 1 if any table differs.
    MigrateDb {
        /// e.g. sqlite://data/portal.db
        #[arg(long)]
        from: String,
        /// e.g. postgres://portal:secret@db.internal:5432/portal
        #[arg(long)]
        to: String,
    },
    /// Write a consistent copy of the live SQLite database of DATABASE_URL to FILE (a new
    /// file), while the portal keeps running. For PostgreSQL use pg_dump.
    Backup {
        /// Where the copy goes, e.g. backups/portal-2026-12-07.db; must not exist.
        file: std::path::PathBuf,
    },
    /// Staff accounts.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a staff account to the database named by DATABASE_URL. The password is read from
    /// the first line of standard input (never from the command line, which others can see):
    /// `echo 'a-long-password' | server user add wang --role office_clerk --place 3`
    Add {
        username: String,
        /// workroom_clerk, office_clerk, office_head, counsellor, district_admin or auditor
        #[arg(long)]
        role: String,
        /// The place id the account works at (not for district_admin and auditor).
        #[arg(long)]
        place: Option<i64>,
        /// The name shown in the audit log and on screens.
        #[arg(long, default_value = "")]
        name: String,
    },
    /// List every account: username, role, place, and whether it is disabled.
    List,
    /// Disable an account: it can no longer sign in and its sessions end at once.
    Disable { username: String },
    /// Enable a disabled account again.
    Enable { username: String },
    /// Set a new password, read from the first line of standard input; every session of the
    /// account ends.
    ResetPassword { username: String },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();

    match Cli::parse().command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await,
        Command::CheckDistrict { file } => check_district(&file),
        Command::LoadHolidays { file } => load_holidays(&file).await,
        Command::DemoHistory { years, seed, scale } => demo_history(years, seed, scale).await,
        Command::MigrateDb { from, to } => migrate_db(&from, &to).await,
        Command::Backup { file } => backup(&file).await,
        Command::User { action } => manage_user(action).await,
    }
}

async fn serve() -> ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!("portal listening on http://{}", app.addr);
    if let Err(e) = app.run().await {
        eprintln!("server stopped: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn check_district(file: &std::path::Path) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", file.display());
            return ExitCode::FAILURE;
        }
    };
    match domain::district_file::parse_district(&text) {
        Ok(d) => {
            println!(
                "{}: {} 个司法所，{} 个居村工作室，文件有效",
                file.display(),
                d.offices().count(),
                d.workrooms().count()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", file.display());
            ExitCode::FAILURE
        }
    }
}

async fn load_holidays(file: &std::path::Path) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", file.display());
            return ExitCode::FAILURE;
        }
    };
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let result = async {
        let store = server::startup::open_store(&config).await?;
        let bookings = backend::Bookings::new(
            store.clone(),
            backend::Directory::new(store),
            Default::default(),
            backend::booking::system_clock(),
        )
        .await?;
        Ok::<_, server::startup::StartupError>(bookings.load_holiday_file(&text).await?)
    }
    .await;
    match result {
        Ok(Ok(year)) => {
            println!("{}: {year} 年节假日安排已载入", file.display());
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            eprintln!("{}: {e}", file.display());
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("cannot load: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate_db(from: &str, to: &str) -> ExitCode {
    let report = server::migrate::migrate_db(from, to, |table, rows| {
        eprint!("\r{table:<20} {rows:>10} rows copied");
    })
    .await;
    eprintln!();
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            eprintln!("not copied (the target is unchanged): {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{:<20} {:>10} {:>10}  checksum (SHA-256 of the content)",
        "table", "sqlite", "postgres"
    );
    for t in &report.tables {
        println!(
            "{:<20} {:>10} {:>10}  {} {}",
            t.table,
            t.source.rows,
            t.target.rows,
            &t.target.checksum[..16],
            if t.matches() { "same" } else { "DIFFERENT" }
        );
    }
    println!("sessions carried over: {}", report.sessions);
    if report.complete() {
        println!("every table copied completely");
        ExitCode::SUCCESS
    } else {
        eprintln!("some tables differ: do not switch DATABASE_URL");
        ExitCode::FAILURE
    }
}

/// `server backup FILE`: `VACUUM INTO` a new file, from one snapshot of the live database.
async fn backup(file: &std::path::Path) -> ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let url = config.database_url.as_str();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        eprintln!(
            "DATABASE_URL names a PostgreSQL database: back it up with pg_dump \
             (e.g. pg_dump -Fc -f portal.dump \"$DATABASE_URL\"; see docs/deployment.md)"
        );
        return ExitCode::from(2);
    }
    if file.exists() {
        eprintln!("{}: already exists; name a new file", file.display());
        return ExitCode::from(2);
    }
    // a missing database would be created (empty) by opening it
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = path.split('?').next().unwrap_or(path);
    if !std::path::Path::new(path).exists() {
        eprintln!("{url}: there is no database there");
        return ExitCode::FAILURE;
    }
    let db = match server::startup::open_database(&config).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("cannot open the database: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match &db {
        backend::store::Database::Sqlite(sqlite) => sqlite.backup_to(file).await,
        backend::store::Database::Postgres(_) => Err(backend::StoreError::WriteFailed(
            "PostgreSQL: use pg_dump".into(),
        )),
    };
    db.close().await;
    match result {
        Ok(()) => {
            println!("{}: 备份完成 / backup written", file.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: backup failed: {e}", file.display());
            ExitCode::FAILURE
        }
    }
}

/// The staff use cases on the database of `DATABASE_URL`, for the `user` commands.
async fn staff_of_env() -> Result<backend::staff::Staff, String> {
    let config = Config::from_env().map_err(|e| format!("configuration error: {e}"))?;
    let store = server::startup::open_store(&config)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    Ok(backend::staff::Staff::new(
        store.clone(),
        backend::Directory::new(store),
        backend::booking::system_clock(),
    ))
}

/// The first line of standard input, without its line end.
fn password_from_stdin() -> Option<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).ok()?;
    Some(line.trim_end_matches(['\n', '\r']).to_string())
}

/// `server user …`; each change is in the audit log.
async fn manage_user(action: UserCommand) -> ExitCode {
    let staff = match staff_of_env().await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let (result, done) = match &action {
        UserCommand::List => {
            return match staff.list_users().await {
                Ok(users) => {
                    println!("{:<24} {:<16} {:>6}  state", "username", "role", "place");
                    for u in users {
                        let place = u.account.place.map(|p| p.0.to_string()).unwrap_or_default();
                        let state = if u.disabled { "disabled" } else { "active" };
                        println!(
                            "{:<24} {:<16} {:>6}  {state}",
                            u.account.username,
                            u.account.role.code(),
                            place
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        UserCommand::Disable { username } => (
            staff.set_disabled(username, true).await,
            format!("账号 {username} 已停用，其登录已全部失效 / disabled; its sessions have ended"),
        ),
        UserCommand::Enable { username } => (
            staff.set_disabled(username, false).await,
            format!("账号 {username} 已启用 / enabled"),
        ),
        UserCommand::ResetPassword { username } => {
            let Some(password) = password_from_stdin() else {
                eprintln!("could not read the password from standard input");
                return ExitCode::from(2);
            };
            (
                staff.reset_password(username, &password).await,
                format!(
                    "账号 {username} 的密码已重设，其登录已全部失效 / password reset; its sessions have ended"
                ),
            )
        }
        UserCommand::Add {
            username,
            role,
            place,
            name,
        } => return add_user(&staff, username, role, *place, name).await,
    };
    match result {
        Ok(()) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn add_user(
    staff: &backend::staff::Staff,
    username: &str,
    role: &str,
    place: Option<i64>,
    name: &str,
) -> ExitCode {
    let Some(role) = domain::staff::Role::parse(role) else {
        let codes: Vec<&str> = domain::staff::Role::ALL.iter().map(|r| r.code()).collect();
        eprintln!("--role: expected one of {}", codes.join(", "));
        return ExitCode::from(2);
    };
    let Some(password) = password_from_stdin() else {
        eprintln!("could not read the password from standard input");
        return ExitCode::from(2);
    };
    match staff
        .add_user(
            username,
            name,
            &password,
            role,
            place.map(domain::LocationId),
        )
        .await
    {
        Ok(id) => {
            println!("账号 {username}（{}）已创建，编号 {id}", role.label_zh());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn demo_history(years: u32, seed: u64, scale: f64) -> ExitCode {
    if !((1..=20).contains(&years) && scale > 0.0 && scale <= 10.0) {
        eprintln!("--years must be 1 to 20 and --scale above 0 and at most 10");
        return ExitCode::from(2);
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let now = config
        .fake_now
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(chrono::Utc::now);
    let plan = backend::history::HistoryPlan {
        until: domain::slots::local_date(&now),
        years,
        seed,
        scale,
    };
    let result = async {
        let store = server::startup::open_store(&config).await?;
        let directory = backend::Directory::new(store.clone());
        directory
            .seed_if_empty(server::startup::DEMO_DISTRICT)
            .await?;
        let places = directory.locations().await?;
        let bar = progress_bar(u64::from(years) * 12 + 1, "生成历史数据 months");
        let summary = backend::history::generate(&store, &places, plan, |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await;
        bar.finish();
        let summary = match summary {
            Ok(s) => s,
            Err(e) => return Ok(Err(e.to_string())),
        };
        let (first, last) = plan.months();
        let stats = backend::Statistics::new(store, directory, std::sync::Arc::new(move || now));
        let bar = progress_bar(summary.months, "统计汇总 roll-ups");
        let mut month = first;
        while month <= last {
            stats.refresh(month, month).await?;
            bar.inc(1);
            month = domain::stats::Month::of(month.last_day() + chrono::Days::new(1));
        }
        bar.finish();
        Ok::<_, server::startup::StartupError>(Ok(summary))
    }
    .await;
    match result {
        Ok(Ok(s)) => {
            println!(
                "已生成 {} 个月的历史数据：预约 {} 条，现场 {} 人次，调解申请 {} 件，群众评价 {} 条（差评 {} 条）（种子 {seed}）",
                s.months, s.bookings, s.walk_ins, s.cases, s.ratings, s.poor_ratings
            );
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("cannot generate history: {e}");
            ExitCode::FAILURE
        }
    }
}

fn progress_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{bar:40}] {pos}/{len} {elapsed_precise} (ETA {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}
