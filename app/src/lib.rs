//! The portal's user interface (Leptos), rendered on the server and hydrated in the browser.
//!
//! * `pages/`: one module per page (resident pages now; staff, display and statistics later).
//! * `components/`: pieces shared by pages.
//! * `api.rs`: the server functions pages call.
//! * `i18n.rs`: every user-facing text.

#![recursion_limit = "256"]

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod device;
pub mod i18n;
pub mod model;
pub mod pages;

use components::layout::Layout;
use i18n::{t, Msg};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5cab" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <Hydration options=options.clone() />
                <HashedStylesheet options id="leptos" />
                <meta name="description" content=i18n::text(i18n::Lang::ZhCn, Msg::SiteTagline) />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Loads the WebAssembly app once the browser is idle after the first paint. Unlike Leptos'
/// `HydrationScripts` it puts no preload hints in the head: the page is complete as served,
/// and a phone on a slow network should spend its first seconds on the HTML and CSS, not on
/// the bundle (Lighthouse counted the preloaded bundle into the largest paint).
#[component]
fn Hydration(options: LeptosOptions) -> impl IntoView {
    let (js, wasm) = bundle_names(&options);
    let pkg = options.site_pkg_dir.to_string();
    let script = format!(
        r#"(function(pkg,js,wasm){{const go=()=>import(`/${{pkg}}/${{js}}.js`).then(m=>m.default({{module_or_path:`/${{pkg}}/${{wasm}}.wasm`}}).then(()=>m.hydrate()));if("requestIdleCallback" in window){{requestIdleCallback(go,{{timeout:2000}})}}else{{setTimeout(go,0)}}}})({pkg:?},{js:?},{wasm:?});"#
    );
    view! { <script type="module">{script}</script> }
}

/// File names of the JS glue and the WebAssembly, with content hashes when cargo-leptos
/// hashed them (it writes `hash.txt` beside the server binary).
fn bundle_names(options: &LeptosOptions) -> (String, String) {
    static NAMES: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| {
            let mut js = options.output_name.to_string();
            let mut wasm = js.clone();
            if options.hash_files {
                let hashes = std::env::current_exe()
                    .ok()
                    .and_then(|p| p.parent().map(|d| d.join(options.hash_file.as_ref())))
                    .and_then(|p| std::fs::read_to_string(p).ok())
                    .unwrap_or_default();
                for (file, hash) in hashes.lines().filter_map(|l| l.trim().split_once(':')) {
                    match file {
                        "js" => js.push_str(&format!(".{}", hash.trim())),
                        "wasm" => wasm.push_str(&format!(".{}", hash.trim())),
                        _ => {}
                    }
                }
            } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
                // wasm-bindgen's own name when not built by cargo-leptos
                wasm.push_str("_bg");
            }
            (js, wasm)
        })
        .clone()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(i18n::Lang::ZhCn);
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() {
                t(Msg::SiteTitle).to_string()
            } else {
                format!("{page} - {}", t(Msg::SiteTitle))
            }
        } />
        <Router>
            <Layout>
                // Async: pages are sent whole, so they read fully without JavaScript.
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/offices") view=pages::offices::OfficesPage ssr=SsrMode::Async />
                    <Route path=path!("/places/:id") view=pages::place::PlacePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/places/:id/book/:service")
                        view=pages::book::BookPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/bookings") view=pages::booking::MyBookingsPage ssr=SsrMode::Async />
                    <Route path=path!("/bookings/:code") view=pages::booking::BookingPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/bookings/:code/cancel")
                        view=pages::booking::CancelPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/mediation") view=pages::mediation::MyCasesPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/mediation/new")
                        view=pages::mediation::MediationRequestPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/mediation/:code") view=pages::mediation::CasePage ssr=SsrMode::Async />
                    <Route path=path!("/display/:id") view=pages::display::DisplayPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/login") view=pages::staff::StaffLoginPage ssr=SsrMode::Async />
                    <Route path=path!("/staff") view=pages::staff::StaffPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/password") view=pages::staff::PasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/audit") view=pages::staff::AuditPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/staff/mediation")
                        view=pages::staff_mediation::StaffCasesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/mediation/new")
                        view=pages::staff_mediation::CaseFromConsultationPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/mediation/:code")
                        view=pages::staff_mediation::StaffCasePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/mediation/:code/agreement")
                        view=pages::staff_mediation::AgreementPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/stats")
                        view=pages::stats::StatsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/schedules")
                        view=pages::schedules::SchedulesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/bookings/:code/reschedule")
                        view=pages::booking::ReschedulePage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </Layout>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    components::scan::mark_support();
    leptos::mount::hydrate_body(App);
    // Lets browser tests (and curious developers) know the WebAssembly app has taken over.
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"__portalHydrated".into(), &true.into());
    }
}
