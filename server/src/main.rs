//! `server`: runs the portal, or one of its maintenance commands.

use clap::{Parser, Subcommand};
use server::config::Config;
use server::startup::Application;
use std::process::ExitCode;

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
        let store = server::startup::open_store(&config.database_url).await?;
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
