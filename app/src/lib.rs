//! The portal's user interface (Leptos), rendered on the server and hydrated in the browser.
//!
//! * `pages/`: one module per page or group of pages: the resident's, the staff's (sign-in,
//!   queue, audit, mediation cases, schedules, statistics) and the waiting-room display.
//! * `components/`: pieces shared by pages.
//! * `api.rs`: the server functions pages call.
//! * `i18n/`: the pages' texts in Chinese and English, and dates and counts as each writes them.

#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "hydrate")]
mod browser;
pub mod components;
pub mod csp;
#[cfg(feature = "ssr")]
pub mod device;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod prefs;
pub mod redirect;

use components::layout::Layout;
use i18n::{t, Msg};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, SsrMode,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = prefs::prefs();
    provide_context(prefs);
    #[cfg(feature = "ssr")]
    csp::set_page_policy();
    let nonce = leptos::nonce::use_nonce();
    view! {
        <!DOCTYPE html>
        <html lang=prefs.lang.tag() class=prefs.html_class()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5cab" />
                // a small PNG, not the SVG: the SVG's CJK glyph made the page load a CJK font
                // and lay it out on the main thread just for the tab icon
                <link rel="icon" href="/icons/icon-48.png" type="image/png" sizes="48x48" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                // the installable app's service worker (public/sw.js), once the page is loaded
                <script nonce=nonce>
                    "if('serviceWorker' in navigator){addEventListener('load',()=>navigator.serviceWorker.register('/sw.js'))}"
                </script>
                <AutoReload options=options.clone() />
                <Hydration options=options.clone() />
                <HashedStylesheet options id="leptos" />
                <meta name="description" content=i18n::text(prefs.lang, Msg::SiteTagline) />
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
/// the bundle (Lighthouse counted the preloaded bundle into the largest paint). Between
/// starting the module and hydrating it gives the main thread back once (`setTimeout`), so
/// a tap arriving then is not held up by both in one long task. The page's own chunk (see
/// `routes`) is fetched by the router during hydration.
#[component]
fn Hydration(options: LeptosOptions) -> impl IntoView {
    let (js, wasm) = bundle_names(&options);
    let pkg = options.site_pkg_dir.to_string();
    let script = format!(
        r#"(function(pkg,js,wasm){{const go=()=>import(`/${{pkg}}/${{js}}.js`).then(m=>m.default({{module_or_path:`/${{pkg}}/${{wasm}}.wasm`}}).then(()=>new Promise(r=>setTimeout(r,0))).then(()=>m.hydrate()));if("requestIdleCallback" in window){{requestIdleCallback(go,{{timeout:2000}})}}else{{setTimeout(go,0)}}}})({pkg:?},{js:?},{wasm:?});"#
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
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

/// Every page is a lazy route in one of three groups, whose code the release build puts in a
/// WebAssembly chunk per group (`cargo leptos build --split`): the home page and the booking
/// flow, the resident's other pages, and the staff's. A resident's phone never downloads the
/// staff pages, one that books never downloads mediation, and the takeover after the first
/// paint runs in two shorter steps (core, then the page's chunk). A chunk per page was
/// tried: the shared code then fell apart into ~160 tiny modules and pages loaded slower.
mod routes {
    use crate::pages;
    use leptos::lazy;
    use leptos::prelude::*;
    use leptos_router::LazyRoute;

    /// A group of pages whose code is one WebAssembly chunk, loaded by `$load` (`$preload`
    /// is the loader `#[lazy]` generates for it in the browser build).
    macro_rules! page_group {
        ($load:ident, $preload:ident, $group:ident { $($route:ident => $page:path;)* }) => {
            #[derive(Clone, Copy)]
            #[allow(clippy::enum_variant_names)]
            pub enum $group { $($route,)* }

            #[lazy]
            fn $load(page: $group) -> AnyView {
                let page = match page {
                    $($group::$route => leptos::component::component_view(
                        &$page,
                        leptos::component::component_props_builder(&$page).build(),
                    )
                    .into_any(),)*
                };
                view! { <super::SiteTitle /> {page} }.into_any()
            }

            $(
                pub struct $route;

                impl LazyRoute for $route {
                    // pages load their own data (resources) when they render
                    fn data() -> Self {
                        $route
                    }

                    async fn view(_this: Self) -> AnyView {
                        $load($group::$route).await
                    }

                    // The router awaits this before hydrating the page, so the chunk is
                    // there when the page's view is built (else the server's HTML and the
                    // browser's first view would differ). The page is then built in a task
                    // of its own, not in the one that compiled the chunk: two shorter
                    // blocks of the main thread instead of one long one.
                    async fn preload() {
                        #[cfg(feature = "hydrate")]
                        {
                            $preload().await;
                            crate::browser::sleep(0).await;
                        }
                    }
                }
            )*
        };
    }

    page_group!(resident_pages, __preload_resident_pages, ResidentPage {
        HomeRoute => pages::home::HomePage;
        OfficesRoute => pages::offices::OfficesPage;
        PlaceRoute => pages::place::PlacePage;
        BookRoute => pages::book::BookPage;
        MyBookingsRoute => pages::booking::MyBookingsPage;
        BookingRoute => pages::booking::BookingPage;
        CancelRoute => pages::booking::CancelPage;
        RescheduleRoute => pages::booking::ReschedulePage;
    });

    // The resident's other pages (mediation, waiting lists, ratings): a chunk of their own, so
    // the home page and the booking flow, what most residents open, do not download them.
    page_group!(resident_more_pages, __preload_resident_more_pages, ResidentMorePage {
        MyCasesRoute => pages::mediation::MyCasesPage;
        MediationRequestRoute => pages::mediation::MediationRequestPage;
        CaseRoute => pages::mediation::CasePage;
        JoinWaitlistRoute => pages::waitlist::JoinWaitlistPage;
        WaitlistRoute => pages::waitlist::WaitlistPage;
        RateRoute => pages::rate::RatePage;
    });

    page_group!(staff_pages, __preload_staff_pages, StaffPage {
        DisplayRoute => pages::display::DisplayPage;
        StaffLoginRoute => pages::staff::StaffLoginPage;
        StaffRoute => pages::staff::StaffPage;
        PasswordRoute => pages::staff::PasswordPage;
        AuditRoute => pages::staff::AuditPage;
        StaffCasesRoute => pages::staff_mediation::StaffCasesPage;
        CaseFromConsultationRoute => pages::staff_mediation::CaseFromConsultationPage;
        StaffCaseRoute => pages::staff_mediation::StaffCasePage;
        AgreementRoute => pages::staff_mediation::AgreementPage;
        StatsRoute => pages::stats::StatsPage;
        SchedulesRoute => pages::schedules::SchedulesPage;
        StaffWaitlistRoute => pages::staff_waitlist::StaffWaitlistPage;
        FollowUpsRoute => pages::follow_ups::FollowUpsPage;
        TicketRoute => pages::follow_ups::TicketPage;
    });
}

/// The portal's address as residents reach it (`PORTAL_PUBLIC_URL`), for links that leave
/// the browser: QR codes on printed tickets. Given to server functions by the server.
#[derive(Debug, Clone)]
pub struct PublicUrl(pub String);

/// "Page - site" in the tab. Rendered with each page, not once in `App`: `App` hydrates before
/// the page's chunk has arrived, and a title format without the page's title would blank the
/// tab's title until it does.
#[component]
fn SiteTitle() -> impl IntoView {
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() {
                t(Msg::SiteTitle).to_string()
            } else {
                format!("{page} - {}", t(Msg::SiteTitle))
            }
        } />
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // the server read them from the request (see `shell`); the browser reads what it rendered
    #[cfg(feature = "hydrate")]
    provide_context(prefs::from_document());
    view! {
        <Router>
            <Layout>
                // Async: pages are sent whole, so they read fully without JavaScript.
                <Routes fallback=|| view! { <SiteTitle /> <pages::not_found::NotFound /> }>
                    <Route path=path!("/") view={Lazy::<routes::HomeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/offices") view={Lazy::<routes::OfficesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/places/:id") view={Lazy::<routes::PlaceRoute>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/places/:id/book/:service")
                        view={Lazy::<routes::BookRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/places/:id/waitlist/:service")
                        view={Lazy::<routes::JoinWaitlistRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/waitlist/:code") view={Lazy::<routes::WaitlistRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/rate/:code") view={Lazy::<routes::RateRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/bookings") view={Lazy::<routes::MyBookingsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/bookings/:code") view={Lazy::<routes::BookingRoute>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/bookings/:code/cancel")
                        view={Lazy::<routes::CancelRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/mediation") view={Lazy::<routes::MyCasesRoute>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/mediation/new")
                        view={Lazy::<routes::MediationRequestRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/mediation/:code") view={Lazy::<routes::CaseRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/display/:id") view={Lazy::<routes::DisplayRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/login") view={Lazy::<routes::StaffLoginRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff") view={Lazy::<routes::StaffRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/password") view={Lazy::<routes::PasswordRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/audit") view={Lazy::<routes::AuditRoute>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/staff/waitlist")
                        view={Lazy::<routes::StaffWaitlistRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/follow-ups")
                        view={Lazy::<routes::FollowUpsRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/tickets/:id")
                        view={Lazy::<routes::TicketRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/mediation")
                        view={Lazy::<routes::StaffCasesRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/mediation/new")
                        view={Lazy::<routes::CaseFromConsultationRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/mediation/:code")
                        view={Lazy::<routes::StaffCaseRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/mediation/:code/agreement")
                        view={Lazy::<routes::AgreementRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/stats")
                        view={Lazy::<routes::StatsRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/schedules")
                        view={Lazy::<routes::SchedulesRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/bookings/:code/reschedule")
                        view={Lazy::<routes::RescheduleRoute>::new()}
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
    // the page's chunk is fetched before its part of the page is hydrated (Leptos' executor
    // is set up inside `hydrate_from_async`, so this outer task runs on wasm-bindgen's)
    wasm_bindgen_futures::spawn_local(async {
        leptos::mount::hydrate_from_async(document().body().expect("a page has a body"), App)
            .await
            .forget();
        // Lets browser tests (and curious developers) know the WebAssembly app has taken over.
        if let Some(window) = web_sys::window() {
            let _ = js_sys::Reflect::set(&window, &"__portalHydrated".into(), &true.into());
        }
    });
}
