//! Where the portal may send a browser: only to its own pages. Every `back`/`next` value and
//! every redirect a server function makes goes through [`local_or_root`], so no link or form,
//! however crafted, can send a resident to another site (`//evil.example`, `/\evil.example`,
//! or `/\t/evil.example`, which browsers read as `//evil.example` once they drop the tab).

/// `path` if it is a path on this site, else `/`.
pub fn local_or_root(path: Option<&str>) -> &str {
    match path {
        Some(p) if is_local(p) => p,
        _ => "/",
    }
}

/// A path of this site: starts with one `/`, and holds only the characters of a URL path and
/// query (no control characters, spaces or backslashes, which browsers drop or turn into `/`
/// and so could make `//host` out of `/ /host`). Bounded, since it ends up in a header.
fn is_local(p: &str) -> bool {
    const MAX: usize = 2048;
    let b = p.as_bytes();
    p.len() <= MAX
        && b.first() == Some(&b'/')
        && !matches!(b.get(1), Some(b'/') | Some(b'\\'))
        && p.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-._~/?#[]@!$&'()*+,;=%:".contains(&c))
}

/// Percent-encodes one path segment or query value typed by a visitor (a booking code, say),
/// so that it stays inside its segment.
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Sends the browser of a plain form post to `path`, or to `/` when `path` is not one of ours.
#[cfg(feature = "ssr")]
pub fn to(path: &str) {
    leptos_axum::redirect(local_or_root(Some(path)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_followed() {
        assert_eq!(
            local_or_root(Some("/places/3?day=2026-12-01&time=0900#form")),
            "/places/3?day=2026-12-01&time=0900#form"
        );
        assert_eq!(
            local_or_root(Some("/bookings/AB%20CD")),
            "/bookings/AB%20CD"
        );
        for evil in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "/\r\nSet-Cookie: x=1",
            "evil.example",
            "",
            "/é",
        ] {
            assert_eq!(local_or_root(Some(evil)), "/", "{evil:?}");
        }
        assert_eq!(local_or_root(Some(&format!("/{}", "a".repeat(5000)))), "/");
        assert_eq!(local_or_root(None), "/");
    }

    #[test]
    fn a_typed_segment_stays_in_its_segment() {
        assert_eq!(segment("ABC-123"), "ABC-123");
        assert_eq!(segment("../x?y=1//z"), "..%2Fx%3Fy%3D1%2F%2Fz");
        assert_eq!(
            local_or_root(Some(&format!("/bookings/{}", segment("/\t/e")))),
            "/bookings/%2F%09%2Fe"
        );
    }
}
