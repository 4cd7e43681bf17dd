//! Keeps the requests that share a worker thread apart in Leptos's reactive system.
//!
//! Leptos keeps "the current reactive owner" in a thread-local. Rendering a page creates a root
//! owner with `Owner::new_root`, which also makes it the thread's current owner and leaves it
//! there when the handler yields. Leptos's static-file fallback and its server-function handler
//! create their owner with `Owner::new()`, a child of whatever the thread holds: a request that
//! ran next on that thread became a child of an unrelated page and saw that page's contexts. The
//! static-file fallback then moved the page's pending response headers (its nonce
//! `Content-Security-Policy`, cookies) onto the file's response (`extend_response` takes them),
//! and the page went out with none; a server function's owner was disposed with that page.
//!
//! [`own_root`] polls every request under a root owner of its own and puts back what the thread
//! held after each poll, so no owner outlives the poll that set it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::Owner;

/// Runs the rest of the stack for this request under its own root reactive owner.
pub async fn own_root(request: Request, next: Next) -> Response {
    Isolated::new(next.run(request)).await
}

/// A future polled with its own root owner as the thread's current owner.
pub struct Isolated<F> {
    owner: Owner,
    inner: Pin<Box<F>>,
}

impl<F: Future> Isolated<F> {
    pub fn new(inner: F) -> Self {
        // `new_root` makes itself the thread's owner; it should be that only while polled.
        let before = Owner::current();
        let owner = Owner::new_root(None);
        match before {
            Some(before) => before.set(),
            None => owner.clone().unset(),
        }
        Self {
            owner,
            inner: Box::pin(inner),
        }
    }
}

impl<F: Future> Future for Isolated<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        // `with` restores the thread's previous owner afterwards, also replacing any root that
        // Leptos set during the poll.
        this.owner.with(|| this.inner.as_mut().poll(cx))
    }
}

#[cfg(test)]
mod tests {
    use leptos::prelude::{provide_context, use_context, Owner};

    use super::Isolated;

    #[derive(Clone)]
    struct Marker;

    #[tokio::test(flavor = "current_thread")]
    async fn a_request_never_sees_an_owner_another_request_left_on_the_thread() {
        // What rendering a page does: a root owner with its contexts, left as the thread's owner.
        let page = Owner::new_root(None);
        provide_context(Marker);
        assert!(use_context::<Marker>().is_some(), "the leak is set up");

        let seen = Isolated::new(async {
            let child = Owner::new();
            child.with(|| use_context::<Marker>().is_some())
        })
        .await;
        assert!(!seen, "an isolated request saw the page's context");

        // A page rendered inside an isolated request does not stay the thread's owner.
        Isolated::new(async {
            let _page = Owner::new_root(None);
            provide_context(Marker);
        })
        .await;
        assert!(
            Owner::current() == Some(page.clone()),
            "the thread's owner is put back"
        );
        drop(page);
    }
}
