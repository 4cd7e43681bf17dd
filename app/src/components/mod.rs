//! Cross-domain UI: the page layout, preference switches, titles and error display.

mod errors;
mod forms;
mod layout;

pub use errors::{ErrorNotice, NotFoundPage};
pub use forms::{form_error, problem_text, url_error, FieldMessage, FormNotice};
pub use layout::{Layout, PageTitle};
