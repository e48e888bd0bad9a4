//! The kinds of failure a use case can report, shared by the server and the browser so that
//! a page decides what to show from the kind, never from a message's text.

/// What kind of failure a use case reports: what each front door answers with (the REST
/// status code, what a page shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ErrorKind {
    /// The thing asked for does not exist (or must look as if it did not).
    NotFound,
    /// An input is wrong; the error's field names it.
    Invalid,
    /// A rule forbids it (fairness, a booking's or a case's state); the message says why.
    Refused,
    /// It cannot be done as asked without a choice by the person: a full slot (they choose
    /// another), a schedule change that cancels bookings (they confirm).
    Conflict,
    /// Wrong username or password, or not signed in.
    Unauthorized,
    /// Signed in, but the account's role or places do not cover it.
    Forbidden,
    /// Too busy just now (too many requests or sign-ins); try again shortly.
    Unavailable,
    /// Something failed inside (storage, a missing part of the server); already logged.
    Internal,
}
