//! What the load harnesses in `src/bin/` share.

use serde_json::Value;

/// A GET whose answer must be JSON: a harness cannot go on without it, so it panics.
pub async fn get_json(client: &reqwest::Client, url: &str) -> Value {
    client
        .get(url)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json")
}
