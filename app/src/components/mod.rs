pub mod forms;
pub mod layout;
pub mod place_card;
pub mod slot_picker;
