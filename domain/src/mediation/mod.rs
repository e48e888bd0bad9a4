//! People's mediation (人民调解): the request a resident files, the case's state machine from
//! submission to an agreement, a failure or a referral, the written agreement's number and
//! amount, and the deadline flag. Field names are those of the API; messages are plain
//! Chinese for residents and staff, each with an English text for the English pages.

mod access;
mod action;
mod agreement;
mod amount;
mod case_code;
mod dispute;
mod ending;
#[cfg(test)]
mod fixtures;
mod request;
mod state;

pub use access::*;
pub use action::*;
pub use agreement::*;
pub use amount::*;
pub use case_code::*;
pub use dispute::*;
pub use ending::*;
#[cfg(test)]
pub(crate) use fixtures::one_of_each_action;
pub use request::*;
pub use state::*;
