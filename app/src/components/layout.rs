//! Page frame: skip link, header with navigation, main landmark, footer.

use crate::i18n::{t, Msg};
use crate::prefs::{prefs, switch_href};
use domain::Lang;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // the office TV shows the call display alone
    let display = leptos_router::hooks::use_location()
        .pathname
        .get_untracked()
        .starts_with("/display/");
    if display {
        return view! { <main id="main" class="display-main">{children()}</main> }.into_any();
    }
    view! {
        <a class="skip-link" href="#main">{t(Msg::SkipToContent)}</a>
        <PrefsBar />
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"法"</span>
                <span>{t(Msg::SiteTitle)}</span>
            </a>
            <nav aria-label=t(Msg::MainNav)>
                <ul class="nav-list">
                    <li><A href="/" exact=true>{t(Msg::NavHome)}</A></li>
                    <li><A href="/offices">{t(Msg::NavOffices)}</A></li>
                    <li><A href="/bookings">{t(Msg::NavMyBookings)}</A></li>
                    <li><A href="/mediation">{t(Msg::NavMediation)}</A></li>
                </ul>
            </nav>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{t(Msg::FooterNote)}</p>
            <p><a href="/staff">{t(Msg::StaffLink)}</a></p>
        </footer>
    }
    .into_any()
}

/// Language and elderly-mode switches: plain links through `/prefs`, back to this page.
#[component]
fn PrefsBar() -> impl IntoView {
    let p = prefs();
    let location = leptos_router::hooks::use_location();
    let here = move || {
        let path = location.pathname.get();
        let query = location.search.get();
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    };
    // each link is labelled in the language it switches to
    let (other, other_name) = match p.lang {
        Lang::ZhCn => (Lang::En, "English"),
        Lang::En => (Lang::ZhCn, "中文"),
    };
    let (mode, mode_text) = if p.elder {
        (crate::prefs::MODE_STANDARD, t(Msg::ElderModeLeave))
    } else {
        (crate::prefs::MODE_ELDER, t(Msg::ElderModeEnter))
    };
    view! {
        <nav class="prefs-bar" aria-label=t(Msg::PrefsNav)>
            <a
                class="pref elder-switch"
                rel="external nofollow"
                href=move || switch_href("mode", mode, &here())
            >
                {mode_text}
            </a>
            <a
                class="pref"
                rel="external nofollow"
                lang=other.tag()
                hreflang=other.tag()
                href=move || switch_href("lang", other.tag(), &here())
            >
                {other_name}
            </a>
        </nav>
    }
}
