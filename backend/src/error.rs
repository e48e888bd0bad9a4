//! The error type of the use-case layer. Handlers map it to status codes; internal
//! details (SQL errors) are logged where they happen and never shown to users.

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The thing asked for does not exist (or must look as if it did not).
    #[error("not found")]
    NotFound,
    /// Storage failed; already logged.
    #[error("internal error")]
    Internal,
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ServiceError::NotFound,
            StoreError::Database(err) => {
                tracing::error!(error = %err, "storage error");
                ServiceError::Internal
            }
            // logged by the group commit that failed
            StoreError::WriteFailed(_) => ServiceError::Internal,
            StoreError::Corrupt(what) => {
                tracing::error!(%what, "stored data does not parse");
                ServiceError::Internal
            }
        }
    }
}
