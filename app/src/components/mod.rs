//! Cross-domain UI: the page layout, preference switches, titles and error display.

mod errors;
mod forms;
mod layout;

pub use errors::{ErrorNotice, NotFoundPage};
pub use forms::{form_error, problem_text, url_error, FieldMessage, FormNotice};
pub use layout::{Layout, PageTitle};

/// Renders a loaded resource, or the error in its place.
macro_rules! loaded {
    ($resource:expr, |$data:ident| $body:expr) => {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match $resource.await {
                        Ok($data) => $body.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        }
    };
}
pub(crate) use loaded;

/// A route parameter, read reactively (empty when absent).
pub fn param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        use leptos::prelude::Read;
        params.read().get(name).unwrap_or_default()
    }
}
