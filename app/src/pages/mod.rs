pub mod book;
pub mod booking;
pub mod display;
pub mod home;
pub mod not_found;
pub mod offices;
pub mod place;
pub mod staff;
