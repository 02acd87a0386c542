//! Pieces shared by every pillar: the shell, icons, covers, skeletons,
//! error and empty states, simple pages.

pub mod cover;
pub mod empty;
pub mod error_view;
pub mod icons;
pub mod lang_toggle;
pub mod lazy;
pub mod pages;
pub mod share;
pub mod shell;
pub mod skeleton;
pub mod slots;
pub mod timeline;
pub mod title;
