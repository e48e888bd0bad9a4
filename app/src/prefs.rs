//! A visitor's display preferences: language and elderly-friendly mode (长辈模式).
//!
//! Both are remembered in plain cookies, so they work before any sign-in, with JavaScript
//! off, and on the first server-rendered byte. The server reads them from the request; the
//! browser reads what the server rendered (`<html lang>` and its `elder` class), so hydration
//! never disagrees with the HTML. Switching goes through `GET /prefs?…&back=/page`, which sets
//! the cookie and sends the browser back: one tap from every page, no script needed.

use domain::Lang;

/// Cookie holding `zh-CN` or `en`.
pub const LANG_COOKIE: &str = "lang";
/// Cookie holding `elder` or `standard`.
pub const MODE_COOKIE: &str = "mode";
/// The mode cookie's values, also taken by `/prefs?mode=`.
pub const MODE_ELDER: &str = "elder";
pub const MODE_STANDARD: &str = "standard";

/// Whether a mode value means elderly-friendly mode; `None` when it is neither value.
pub fn parse_mode(value: &str) -> Option<bool> {
    match value {
        MODE_ELDER => Some(true),
        MODE_STANDARD => Some(false),
        _ => None,
    }
}
/// Class on `<html>` in elderly-friendly mode.
pub const ELDER_CLASS: &str = "elder";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Prefs {
    pub lang: Lang,
    /// Elderly-friendly mode: larger type and targets, simpler wording, fewer items.
    pub elder: bool,
}

impl Prefs {
    /// From a request's `Cookie` and `Accept-Language` headers: a remembered choice wins,
    /// then the browser's language, then Chinese.
    pub fn from_headers(cookie: Option<&str>, accept_language: Option<&str>) -> Prefs {
        let cookie_value = |name: &str| {
            cookie.and_then(|c| {
                c.split(';').find_map(|pair| {
                    let (k, v) = pair.trim().split_once('=')?;
                    (k.trim() == name).then(|| v.trim().to_string())
                })
            })
        };
        let lang = cookie_value(LANG_COOKIE)
            .and_then(|v| Lang::from_tag(&v))
            .or_else(|| accept_language.and_then(Lang::from_accept_language))
            .unwrap_or_default();
        let elder = cookie_value(MODE_COOKIE)
            .and_then(|v| parse_mode(&v))
            .unwrap_or(false);
        Prefs { lang, elder }
    }

    /// The class attribute of `<html>`.
    pub fn html_class(self) -> Option<&'static str> {
        self.elder.then_some(ELDER_CLASS)
    }
}

/// Where a preference link sends the browser after setting the cookie: the page it was on,
/// if that is a path on this site (see [`crate::redirect`]).
pub fn safe_back(back: Option<&str>) -> &str {
    crate::redirect::local_or_root(back)
}

/// Link that switches one preference and returns to `back` (a path with its query).
pub fn switch_href(setting: &str, value: &str, back: &str) -> String {
    format!("/prefs?{setting}={value}&back={}", encode(back))
}

/// Percent-encodes a path for a query value (everything but unreserved characters and `/`).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The current visitor's preferences: from the page's context, else (in a server function)
/// from the request, else the defaults.
pub fn prefs() -> Prefs {
    use leptos::prelude::use_context;
    if let Some(p) = use_context::<Prefs>() {
        return p;
    }
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        return from_request(&parts);
    }
    Prefs::default()
}

#[cfg(feature = "ssr")]
pub fn from_request(parts: &http::request::Parts) -> Prefs {
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    Prefs::from_headers(
        header(http::header::COOKIE),
        header(http::header::ACCEPT_LANGUAGE),
    )
}

/// What the server rendered into `<html>`, read once as the app starts in the browser.
#[cfg(feature = "hydrate")]
pub fn from_document() -> Prefs {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    match root {
        Some(el) => Prefs {
            lang: el
                .get_attribute("lang")
                .and_then(|l| Lang::from_tag(&l))
                .unwrap_or_default(),
            elder: el.class_list().contains(ELDER_CLASS),
        },
        None => Prefs::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_values_are_the_two_the_switch_sends() {
        assert_eq!(parse_mode(MODE_ELDER), Some(true));
        assert_eq!(parse_mode(MODE_STANDARD), Some(false));
        assert_eq!(parse_mode("Elder"), None);
        assert_eq!(parse_mode(""), None);
    }

    #[test]
    fn a_remembered_choice_beats_the_browser_language() {
        let p = Prefs::from_headers(Some("portal_session=x; lang=en; mode=elder"), Some("zh-CN"));
        assert_eq!(
            p,
            Prefs {
                lang: Lang::En,
                elder: true
            }
        );
        let p = Prefs::from_headers(Some("lang=zh-CN"), Some("en-US,en;q=0.9"));
        assert_eq!(p.lang, Lang::ZhCn);
    }

    #[test]
    fn without_a_cookie_the_browser_language_then_chinese() {
        assert_eq!(
            Prefs::from_headers(None, Some("en-GB,en;q=0.8")).lang,
            Lang::En
        );
        assert_eq!(Prefs::from_headers(None, Some("fr-FR")).lang, Lang::ZhCn);
        assert_eq!(Prefs::from_headers(Some("lang=xx"), None), Prefs::default());
        assert!(!Prefs::from_headers(Some("mode=standard"), None).elder);
    }

    #[test]
    fn switching_returns_only_to_this_site() {
        assert_eq!(
            safe_back(Some("/places/3?day=2026-12-01")),
            "/places/3?day=2026-12-01"
        );
        assert_eq!(safe_back(Some("//evil.example/")), "/");
        assert_eq!(safe_back(Some("https://evil.example/")), "/");
        assert_eq!(safe_back(Some("/\\evil.example")), "/");
        assert_eq!(safe_back(None), "/");
        assert_eq!(
            switch_href("lang", "en", "/places/3/book/x?day=2026-12-01&time=0900"),
            "/prefs?lang=en&back=/places/3/book/x%3Fday%3D2026-12-01%26time%3D0900"
        );
    }
}
