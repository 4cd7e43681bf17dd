//! Uploaded files: deciding their type from the content, re-encoding images (`media`), and
//! serving them with the same access rules as their project (`serve`). The upload and delete
//! server functions live with the projects they belong to (`projects::api`).

#[cfg(feature = "ssr")]
pub mod media;
#[cfg(feature = "ssr")]
pub mod serve;
