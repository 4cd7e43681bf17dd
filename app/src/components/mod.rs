//! Cross-domain UI: the page layout, preference switches, titles and error display.

mod errors;
mod layout;

pub use errors::{ErrorNotice, NotFoundPage};
pub use layout::{Layout, PageTitle};
