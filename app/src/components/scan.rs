//! Check-in by scanning the QR code on the resident's confirmation with the phone camera.
//!
//! The QR code holds the booking code only. Browsers with `BarcodeDetector` (Chrome on
//! Android, Safari, ChromeOS) get a "扫码签到" button next to the code field; elsewhere the
//! button never appears and typing the code works as always. A scanned code is read with the
//! same `BookingCode::parse` as a typed one, put into the field, and the form is submitted
//! as if the clerk had pressed "签到".

use crate::i18n::{t, Msg};
use leptos::html;
use leptos::prelude::*;

/// Whether a scan is under way, what the clerk is told, and the camera preview, kept by the
/// page rather than by the button: the page renders the button again whenever the queue
/// around it changes (the preview may then be a new element), and a scan under way must go on.
#[derive(Clone, Copy)]
pub struct Scanner {
    scanning: RwSignal<bool>,
    message: RwSignal<Option<Msg>>,
    video: NodeRef<html::Video>,
}

impl Scanner {
    pub fn new() -> Self {
        Scanner {
            scanning: RwSignal::new(false),
            message: RwSignal::new(None),
            video: NodeRef::new(),
        }
    }
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new()
    }
}

/// A scan button for the text field `input_id`, which must sit inside the form to submit.
#[component]
pub fn ScanButton(input_id: &'static str, scanner: Scanner) -> impl IntoView {
    let Scanner {
        scanning,
        message,
        video,
    } = scanner;

    let start = move |_| {
        message.set(Some(Msg::StaffScanHint));
        scanning.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(camera::scan(scanner, input_id));
        #[cfg(not(feature = "hydrate"))]
        let _ = input_id;
    };
    view! {
        // shown by the stylesheet only under <html class="can-scan"> (see `mark_support`)
        <div class="scan">
            <button type="button" class="button secondary" hidden=move || scanning.get() on:click=start>
                {t(Msg::StaffScan)}
            </button>
            <button type="button" class="button secondary" hidden=move || !scanning.get()
                on:click=move |_| { scanning.set(false); message.set(None); }>
                {t(Msg::StaffScanStop)}
            </button>
            <video node_ref=video class="scan-video" hidden=move || !scanning.get()
                playsinline=true muted=true aria-hidden="true"></video>
            <p class="hint" role="status">{move || message.get().map(t)}</p>
        </div>
    }
}

/// Marks the page as able to scan (`<html class="can-scan">`) once, as the app starts.
/// A mark on the document, not on each button, holds for every scan button the queue view
/// renders later: revealing each button from its own load hook lost the race when the
/// queue re-rendered (a live update) while the page was being hydrated.
#[cfg(feature = "hydrate")]
pub fn mark_support() {
    if camera::supported() {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.class_list().add_1("can-scan");
        }
    }
}

#[cfg(feature = "hydrate")]
mod camera {
    use super::Scanner;
    use crate::i18n::Msg;
    use js_sys::{Array, Function, Object, Promise, Reflect};
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{HtmlInputElement, HtmlVideoElement, MediaStream, MediaStreamTrack};

    /// How often a frame is looked at: often enough to feel instant, rarely enough to
    /// leave an old phone's CPU alone.
    const EVERY_MS: i32 = 200;
    /// How long the preview may be missing from the page before the camera is switched off.
    const GONE_MS: i32 = 2_000;

    pub fn supported() -> bool {
        let Some(window) = web_sys::window() else {
            return false;
        };
        Reflect::has(&window, &"BarcodeDetector".into()).unwrap_or(false)
            && window.navigator().media_devices().is_ok()
    }

    /// Runs until a booking code is found, the clerk stops, the camera fails, or the preview
    /// has been gone from the page for a while (the clerk moved on).
    pub async fn scan(scanner: Scanner, input_id: &'static str) {
        let Scanner {
            scanning,
            message,
            video,
        } = scanner;
        let Some(mut showing) = video.get_untracked() else {
            let _ = scanning.try_set(false);
            return;
        };
        let stream = match open(&showing).await {
            Ok(stream) => stream,
            Err(_) => {
                let _ = scanning.try_set(false);
                let _ = message.try_set(Some(Msg::StaffScanNoCamera));
                return;
            }
        };
        let detector = detector();
        let mut away = 0;
        while scanning.try_get_untracked().unwrap_or(false) {
            match video.try_get_untracked().flatten() {
                Some(current) if current.is_connected() => {
                    away = 0;
                    // the queue was rendered again around a new preview: show the camera there
                    if current != showing {
                        showing.set_src_object(None);
                        current.set_src_object(Some(&stream));
                        let _ = current.play();
                        showing = current;
                    }
                }
                _ => {
                    away += 1;
                    if away * EVERY_MS >= GONE_MS {
                        break;
                    }
                    crate::browser::sleep(EVERY_MS).await;
                    continue;
                }
            }
            let Ok(detector) = &detector else {
                let _ = scanning.try_set(false);
                let _ = message.try_set(Some(Msg::StaffScanNoCamera));
                break;
            };
            if let Ok(Some(text)) = detect(detector, &showing).await {
                match domain::BookingCode::parse(&text) {
                    Ok(code) => {
                        submit(input_id, code.as_str());
                        let _ = scanning.try_set(false);
                        let _ = message.try_set(None);
                    }
                    Err(_) => {
                        let _ = message.try_set(Some(Msg::StaffScanNotACode));
                    }
                }
            }
            crate::browser::sleep(EVERY_MS).await;
        }
        let _ = scanning.try_set(false);
        for track in stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
                track.stop();
            }
        }
        showing.set_src_object(None);
    }

    /// The back camera, where the phone has one.
    async fn open(video: &HtmlVideoElement) -> Result<MediaStream, JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let constraints = web_sys::MediaStreamConstraints::new();
        let wanted = Object::new();
        Reflect::set(&wanted, &"facingMode".into(), &"environment".into())?;
        constraints.set_video(&wanted);
        constraints.set_audio(&JsValue::FALSE);
        let devices = window.navigator().media_devices()?;
        let stream = JsFuture::from(devices.get_user_media_with_constraints(&constraints)?)
            .await?
            .dyn_into::<MediaStream>()?;
        video.set_src_object(Some(&stream));
        JsFuture::from(video.play()?).await?;
        Ok(stream)
    }

    /// `new BarcodeDetector({formats: ["qr_code"]})`, reached by name: web-sys only has it
    /// behind its unstable-API flag.
    fn detector() -> Result<JsValue, JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let class = Reflect::get(&window, &"BarcodeDetector".into())?.dyn_into::<Function>()?;
        let options = Object::new();
        Reflect::set(&options, &"formats".into(), &Array::of1(&"qr_code".into()))?;
        Reflect::construct(&class, &Array::of1(&options))
    }

    /// The text of the first QR code in the current frame, if any.
    async fn detect(
        detector: &JsValue,
        video: &HtmlVideoElement,
    ) -> Result<Option<String>, JsValue> {
        let detect = Reflect::get(detector, &"detect".into())?.dyn_into::<Function>()?;
        let found = JsFuture::from(detect.call1(detector, video)?.dyn_into::<Promise>()?).await?;
        Ok(Array::from(&found)
            .iter()
            .find_map(|code| Reflect::get(&code, &"rawValue".into()).ok()?.as_string()))
    }

    fn submit(input_id: &str, code: &str) {
        let input = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(input_id))
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
        if let Some(input) = input {
            input.set_value(code);
            if let Some(form) = input.form() {
                let _ = form.request_submit();
            }
        }
    }
}
