//! The portal server: configuration, start-up, HTTP routes and the REST API.

pub mod api;
pub mod assets;
pub mod config;
pub mod csrf;
pub mod device;
pub mod hardening;
pub mod migrate;
pub mod prefs;
pub mod proxy;
pub mod rate_limit;
pub mod sessions;
pub mod startup;
