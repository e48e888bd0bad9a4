pub mod chart;
pub mod forms;
pub mod layout;
pub mod place_card;
pub mod scan;
pub mod slot_picker;
