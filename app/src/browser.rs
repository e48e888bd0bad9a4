//! Small browser helpers for the hydrated app. Browser only.

use js_sys::Promise;
use wasm_bindgen_futures::JsFuture;

/// Resolves after `ms` milliseconds, in a new task of the browser's event loop: with `0`,
/// it lets the browser paint and handle input before the caller goes on.
pub async fn sleep(ms: i32) {
    let wait = Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(wait).await;
}

/// Brings the element the address's `#fragment` names into view. The router scrolls as it
/// navigates, before the page it goes to has its data, so a step that only appears with that
/// data (the booking form after a time is chosen) was not found and the phone stayed at the top.
pub fn scroll_to_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(hash) = window.location().hash() else {
        return;
    };
    let Some(id) = hash.strip_prefix('#').filter(|id| !id.is_empty()) else {
        return;
    };
    if let Some(el) = window.document().and_then(|d| d.get_element_by_id(id)) {
        el.scroll_into_view();
    }
}
