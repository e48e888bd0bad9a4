pub mod layout;
pub mod place_card;
