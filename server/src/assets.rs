//! Static files: the built bundle under `/pkg` (precompressed, cached for a year when
//! file names carry content hashes) and the public files at the site root.

use axum::http::{header, HeaderValue};
use axum::Router;
use std::io::Write;
use std::path::Path;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Writes `.br` and `.gz` siblings for the bundle files, once per build: phones on slow
/// networks then get brotli without the server compressing on every request.
pub fn precompress(pkg_dir: &Path) -> std::io::Result<usize> {
    let mut written = 0;
    let Ok(entries) = std::fs::read_dir(pkg_dir) else {
        return Ok(0);
    };
    for entry in entries {
        let path = entry?.path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !matches!(ext, "js" | "wasm" | "css" | "svg" | "json") {
            continue;
        }
        let br = path.with_extension(format!("{ext}.br"));
        let gz = path.with_extension(format!("{ext}.gz"));
        let modified = std::fs::metadata(&path)?.modified()?;
        let fresh = |p: &Path| {
            std::fs::metadata(p)
                .and_then(|m| m.modified())
                .map(|m| m >= modified)
                .unwrap_or(false)
        };
        if fresh(&br) && fresh(&gz) {
            continue;
        }
        let data = std::fs::read(&path)?;
        let mut out = Vec::new();
        // Best compression for release bundles (about a megabyte); development bundles are
        // several megabytes and would take minutes at that level.
        let quality = if data.len() < 2 << 20 { 11 } else { 5 };
        let params = brotli::enc::BrotliEncoderParams {
            quality,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
        write_atomically(&br, &out)?;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&data)?;
        write_atomically(&gz, &enc.finish()?)?;
        written += 1;
    }
    Ok(written)
}

/// Never lets the file server see a half-written file.
fn write_atomically(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, data)?;
    std::fs::rename(&tmp, path)
}

/// Precompresses in a background thread: the portal serves at once, uncompressed until
/// the compressed files appear (ServeDir falls back to the plain file).
pub fn precompress_in_background(pkg_dir: std::path::PathBuf) {
    std::thread::spawn(move || match precompress(&pkg_dir) {
        Ok(0) => {}
        Ok(n) => tracing::info!(files = n, "precompressed bundle files"),
        Err(e) => {
            tracing::warn!(error = %e, "could not precompress bundle files; serving them uncompressed")
        }
    });
}

/// `/pkg` service. Hashed names never change content, so browsers may keep them a year;
/// unhashed (development) names must be revalidated.
pub fn pkg_router<S: Clone + Send + Sync + 'static>(pkg_dir: &Path, hashed: bool) -> Router<S> {
    let cache = if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Router::new()
        .fallback_service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache),
        ))
}
