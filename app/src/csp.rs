//! Content-Security-Policy. Pages run only the scripts the server put in them, each marked
//! with the response's nonce (Leptos' own hydration data, the loader of the WebAssembly app
//! and the service-worker registration); what those load is trusted through them
//! (`'strict-dynamic'`), and WebAssembly may compile (`'wasm-unsafe-eval'`). Styles come from
//! the stylesheet, plus `style` attributes (bar widths of the charts), which cannot run code.

/// The policy of a page whose inline scripts carry `nonce`.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Every other answer (JSON, files): nothing in it may run.
pub const NO_SCRIPTS: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Marks the page being rendered with the policy of its nonce (on the server).
#[cfg(feature = "ssr")]
pub fn set_page_policy() {
    use leptos::prelude::use_context;
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(v) = http::HeaderValue::from_str(&page_policy(&nonce)) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pages_run_only_their_own_scripts() {
        let p = super::page_policy("abc");
        assert!(p.contains("script-src 'nonce-abc' 'strict-dynamic'"));
        let scripts = p.split(';').find(|d| d.contains("script-src")).unwrap();
        assert!(!scripts.contains("unsafe-inline"), "{p}");
        assert!(p.contains("frame-ancestors 'none'"));
    }
}
