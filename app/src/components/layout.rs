//! Page frame: skip link, header with navigation, main landmark, footer.

use crate::i18n::{t, Msg};
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
