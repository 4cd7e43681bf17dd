//! `GET /sitemap.xml` (the public pages: home, schools, the catalogue, public publications) and
//! the Atom feeds of newly published projects: `/feeds/projects.atom` for the district,
//! `/feeds/schools/{slug}.atom` for a school, `/feeds/initiatives/{slug}.atom` for an initiative. Only public publications appear; links, and
//! what is published to parents or a school, never do. Addresses are absolute, under
//! `LIBFOLIO_PUBLIC_URL`.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::db::{self, Listing, PublishedRow};
use crate::state::AppState;

/// How many entries a feed carries.
const FEED_ENTRIES: i64 = 50;

/// Text and attribute values for XML: the five predefined entities, and no control characters.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn xml(body: String, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

fn failed(error: sqlx::Error) -> Response {
    tracing::error!(%error, "writing a feed or the sitemap");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// The sitemap of the public pages.
pub async fn sitemap(State(state): State<AppState>) -> Response {
    let base = &state.settings.public_url;
    let (schools, initiatives, published) = match (
        db::school_slugs(&state.pool).await,
        db::initiative_slugs(&state.pool).await,
        db::recent_public(&state.pool, Listing::District, 50_000).await,
    ) {
        (Ok(s), Ok(i), Ok(p)) => (s, i, p),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return failed(e),
    };
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |path: &str, lastmod: Option<&str>| {
        out.push_str(&format!(
            "  <url><loc>{}</loc>",
            escape(&format!("{base}{path}"))
        ));
        if let Some(lastmod) = lastmod {
            out.push_str(&format!("<lastmod>{}</lastmod>", escape(lastmod)));
        }
        out.push_str("</url>\n");
    };
    url("/", None);
    url("/schools", None);
    url("/catalog", None);
    for slug in &schools {
        url(&format!("/schools/{slug}"), None);
    }
    url("/initiatives", None);
    for slug in &initiatives {
        url(&format!("/initiatives/{slug}"), None);
    }
    for p in &published {
        url(&format!("/p/{}", p.project_id), Some(&p.published_at));
    }
    out.push_str("</urlset>\n");
    xml(out, "application/xml; charset=utf-8")
}

/// `robots.txt`: staff pages, projects' working copies and secret links are not for search
/// engines; the sitemap is.
pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /s/\nDisallow: /manage/\nDisallow: /projects/\n\
         Disallow: /api/\nDisallow: /files/\n\nSitemap: {}/sitemap.xml\n",
        state.settings.public_url
    );
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// The district's feed.
pub async fn district_feed(State(state): State<AppState>) -> Response {
    match db::recent_public(&state.pool, Listing::District, FEED_ENTRIES).await {
        Ok(rows) => xml(
            atom(&state, "/feeds/projects.atom", "/", "Libfolio", &rows),
            "application/atom+xml; charset=utf-8",
        ),
        Err(e) => failed(e),
    }
}

/// A school's feed (`{slug}.atom`).
pub async fn school_feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(slug) = file.strip_suffix(".atom") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let school = match crate::people::db::find_school(&state.pool, slug).await {
        Ok(Some(school)) => school,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return failed(e),
    };
    match db::recent_public(&state.pool, Listing::School(&school.slug), FEED_ENTRIES).await {
        Ok(rows) => xml(
            atom(
                &state,
                &format!("/feeds/schools/{}.atom", school.slug),
                &format!("/schools/{}", school.slug),
                &format!("Libfolio — {}", school.short_name),
                &rows,
            ),
            "application/atom+xml; charset=utf-8",
        ),
        Err(e) => failed(e),
    }
}

/// An initiative's feed (`{slug}.atom`): its entered projects published to the public.
pub async fn initiative_feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(slug) = file.strip_suffix(".atom") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let initiative = match crate::initiatives::db::find_initiative(&state.pool, slug).await {
        Ok(Some(i)) => i,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return failed(e),
    };
    match db::recent_public(
        &state.pool,
        Listing::Initiative(&initiative.slug),
        FEED_ENTRIES,
    )
    .await
    {
        Ok(rows) => xml(
            atom(
                &state,
                &format!("/feeds/initiatives/{}.atom", initiative.slug),
                &format!("/initiatives/{}", initiative.slug),
                &format!("Libfolio — {}", initiative.title),
                &rows,
            ),
            "application/atom+xml; charset=utf-8",
        ),
        Err(e) => failed(e),
    }
}

/// An Atom 1.0 document (RFC 4287) of `rows`, newest first.
fn atom(
    state: &AppState,
    self_path: &str,
    site_path: &str,
    title: &str,
    rows: &[PublishedRow],
) -> String {
    let base = &state.settings.public_url;
    // A feed without entries is updated when it was made: the epoch says "never".
    let updated = rows
        .first()
        .map(|r| r.published_at.clone())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned());
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ru\">\n\
         \x20 <title>{}</title>\n\
         \x20 <id>{}</id>\n\
         \x20 <updated>{}</updated>\n\
         \x20 <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n\
         \x20 <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(title),
        escape(&format!("{base}{self_path}")),
        escape(&updated),
        escape(&format!("{base}{self_path}")),
        escape(&format!("{base}{site_path}")),
    );
    for r in rows {
        out.push_str(&format!(
            "  <entry>\n\
             \x20   <title>{}</title>\n\
             \x20   <id>urn:uuid:{}</id>\n\
             \x20   <updated>{}</updated>\n\
             \x20   <published>{}</published>\n\
             \x20   <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             \x20   <author><name>{}</name></author>\n\
             \x20   <summary>{}</summary>\n\
             \x20 </entry>\n",
            escape(&r.title),
            escape(&r.id),
            escape(&r.published_at),
            escape(&r.published_at),
            escape(&format!("{base}/p/{}", r.project_id)),
            escape(&r.school_short_name),
            escape(&r.summary),
        ));
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("<b>«Маяки» & \"ключи\" 'ночью'\u{7}</b>"),
            "&lt;b&gt;«Маяки» &amp; &quot;ключи&quot; &apos;ночью&apos;&lt;/b&gt;"
        );
    }
}
