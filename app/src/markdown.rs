//! Pupils' Markdown to HTML: the one producer of sanitized HTML ([`SafeHtml`]).
//!
//! Pages are rendered once, on save, and the result is stored. pulldown-cmark is not a sanitizer
//! (it keeps `javascript:` links and passes raw HTML through), so its output always goes through
//! one ammonia allowlist. A [`SafeHtml`] comes only from that path, from reading back what it
//! stored (server), or from the server's serialized answer (browser). Raw HTML typed by a pupil is
//! shown as text, so nothing they wrote vanishes. Server-only code is behind `feature = "ssr"`;
//! the types also compile for the browser.

use serde::{Deserialize, Serialize};

/// HTML produced by this module's sanitizer. The only type whose text may reach `inner_html`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeHtml(String);

impl SafeHtml {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// Wraps HTML read back from the database, where only `render`'s output is ever stored.
    #[cfg(feature = "ssr")]
    pub fn from_stored(html: String) -> Self {
        Self(html)
    }
}

/// One line of a page's table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    /// 2 or 3: only second- and third-level headings are listed.
    pub level: u8,
    /// The heading's `id`, already prefixed (link to `#{anchor}`).
    pub anchor: String,
    /// The heading as plain text.
    pub text: String,
}

/// A rendered page: its sanitized HTML and the headings a long page lists at the top.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendered {
    pub html: SafeHtml,
    pub toc: Vec<TocEntry>,
    /// Keys of `[@key]` citations that name no source of the project (left as typed).
    pub unknown_citations: Vec<String>,
}

/// Largest Markdown source accepted (bytes); callers refuse longer text with a clear message.
pub const MAX_SOURCE_BYTES: usize = 200 * 1024;

#[cfg(feature = "ssr")]
pub use ssr::{plain_text, render, render_with, Citable, Citations};

#[cfg(feature = "ssr")]
mod ssr {
    use std::borrow::Cow;
    use std::collections::{HashMap, HashSet};
    use std::sync::LazyLock;

    use ammonia::{Builder, UrlRelative};
    use pulldown_cmark::{Alignment, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

    use super::{Rendered, SafeHtml, TocEntry};

    /// Prefix of every heading id: page ids (`main`, `nav`, ...) and `window` properties can
    /// never be clobbered by a pupil's heading.
    const HEADING_ID_PREFIX: &str = "h-";
    /// Prefix of footnote definition ids; footnote labels are replaced by numbers.
    const FOOTNOTE_ID_PREFIX: &str = "fn-";
    /// Prefix of the ids of the entries of a page's list of cited sources.
    const CITE_ID_PREFIX: &str = "cite-";

    /// Renders a pupil's Markdown page to sanitized HTML and its table of contents.
    ///
    /// `images` maps an image reference as the pupil wrote it to the address of one of the
    /// project's own uploads; an image it does not resolve is shown as its alt text. Whatever it
    /// returns, only `/files/<uuid>` and `/files/<uuid>/thumb` survive as an image address.
    /// Never fails: any text is a page; the length limit is the caller's ([`super::MAX_SOURCE_BYTES`]).
    pub fn render(source: &str, images: &dyn Fn(&str) -> Option<String>) -> Rendered {
        render_with(source, images, None)
    }

    /// The words of a Markdown text without its markup (text and code, one space between
    /// blocks), for search terms and snippets; raw HTML is left out.
    pub fn plain_text(source: &str) -> String {
        let mut out = String::with_capacity(source.len());
        for event in Parser::new_ext(source, markdown_options()) {
            match event {
                Event::Text(t) | Event::Code(t) => out.push_str(&t),
                Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') => {
                    out.push(' ');
                }
                _ => {}
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// A source a page may cite: the key pupils type (`[@Иванов2019]`) and its description by
    /// ГОСТ Р 7.0.100-2018.
    pub struct Citable<'a> {
        pub key: &'a str,
        pub description: &'a str,
    }

    /// The project's sources a page's citations resolve to, and the heading of the page's own
    /// list of the sources it cites (in the language of the page's text).
    pub struct Citations<'a> {
        pub sources: &'a [Citable<'a>],
        pub heading: &'a str,
    }

    /// [`render`], with citations: `[@key]`, `[@key, с. 15]` and `[@a; @b, с. 3]` outside code
    /// and links become bracketed numbers (`[1, с. 15]`) linked to a numbered list at the end of
    /// the page, numbered in the order of first citation. A citation naming a key the project
    /// does not have stays as typed and is reported in [`Rendered::unknown_citations`].
    pub fn render_with(
        source: &str,
        images: &dyn Fn(&str) -> Option<String>,
        citations: Option<&Citations<'_>>,
    ) -> Rendered {
        let mut rewriter = Rewriter::new(images, citations);
        for event in Parser::new_ext(source, markdown_options()) {
            rewriter.push(event);
        }
        rewriter.flush_text();
        rewriter.push_cited_list();
        let Rewriter {
            out, toc, unknown, ..
        } = rewriter;
        let out = limit_nesting(out);
        let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut unsafe_html, out.into_iter());
        Rendered {
            html: SafeHtml(sanitize(&unsafe_html)),
            toc,
            unknown_citations: unknown,
        }
    }

    /// Deeper than this, blocks and inline markup are flattened (their content kept). The HTML
    /// parser inside the sanitizer does work proportional to the open-element depth for every
    /// element, so 200 KB of `>>>>…` would otherwise take minutes to save.
    const MAX_NESTING: usize = 32;

    fn limit_nesting(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
        let mut kept: Vec<bool> = Vec::new();
        let mut depth = 0;
        events
            .into_iter()
            .filter(|event| match event {
                Event::Start(tag) => {
                    let keep = depth < MAX_NESTING || !may_flatten(tag);
                    kept.push(keep);
                    depth += usize::from(keep);
                    keep
                }
                Event::End(_) => {
                    let keep = kept.pop().unwrap_or(true);
                    depth -= usize::from(keep && depth > 0);
                    keep
                }
                _ => true,
            })
            .collect()
    }

    /// Tags whose start and end can be left out without confusing the HTML writer's state.
    fn may_flatten(tag: &Tag<'_>) -> bool {
        !matches!(
            tag,
            Tag::Table(_)
                | Tag::TableHead
                | Tag::TableRow
                | Tag::TableCell
                | Tag::Heading { .. }
                | Tag::CodeBlock(_)
                | Tag::Image { .. }
                | Tag::HtmlBlock
                | Tag::MetadataBlock(_)
        )
    }

    fn markdown_options() -> Options {
        // No heading attributes (pupils must not set ids or classes), no smart punctuation.
        // ENABLE_FOOTNOTES without ENABLE_OLD_FOOTNOTES is the GitHub-compatible syntax.
        Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_FOOTNOTES
    }

    /// The last line of defence: everything `render` produces passes through here.
    pub(super) fn sanitize(html: &str) -> String {
        sanitizer().clean(html).to_string()
    }

    pub(super) fn sanitizer() -> &'static Builder<'static> {
        static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(build_sanitizer);
        &SANITIZER
    }

    fn build_sanitizer() -> Builder<'static> {
        let tags = HashSet::from([
            "p",
            "br",
            "hr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "strong",
            "em",
            "del",
            "s",
            "code",
            "pre",
            "blockquote",
            "ul",
            "ol",
            "li",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "a",
            "img",
            "sup",
            "section",
            "div",
            "input",
        ]);
        let heading_id = HashSet::from(["id"]);
        let tag_attributes = HashMap::from([
            ("a", HashSet::from(["href", "title"])),
            ("img", HashSet::from(["src", "alt", "title"])),
            ("ol", HashSet::from(["start"])),
            ("input", HashSet::from(["checked"])),
            ("div", HashSet::from(["id"])),
            ("li", HashSet::from(["id"])),
            ("h1", heading_id.clone()),
            ("h2", heading_id.clone()),
            ("h3", heading_id.clone()),
            ("h4", heading_id.clone()),
            ("h5", heading_id.clone()),
            ("h6", heading_id),
        ]);
        let align = HashSet::from(["align-left", "align-center", "align-right"]);
        let allowed_classes = HashMap::from([
            ("th", align.clone()),
            ("td", align),
            (
                "sup",
                HashSet::from(["footnote-reference", "footnote-definition-label"]),
            ),
            ("div", HashSet::from(["footnote-definition"])),
        ]);
        let mut builder = Builder::empty();
        builder
            .tags(tags)
            .clean_content_tags(HashSet::from(["script", "style"]))
            .generic_attributes(HashSet::new())
            .generic_attribute_prefixes(HashSet::new())
            .tag_attributes(tag_attributes)
            .tag_attribute_values(HashMap::new())
            .allowed_classes(allowed_classes)
            // Task list boxes only show state: whatever arrives becomes a disabled checkbox.
            .set_tag_attribute_values(HashMap::from([(
                "input",
                HashMap::from([("type", "checkbox"), ("disabled", "")]),
            )]))
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .url_relative(UrlRelative::PassThrough)
            .link_rel(Some("noopener noreferrer nofollow"))
            .strip_comments(true)
            .id_prefix(None)
            .attribute_filter(filter_attribute);
        builder
    }

    /// Policy that ammonia's allowlist cannot express: image sources and ids.
    fn filter_attribute<'u>(
        element: &str,
        attribute: &str,
        value: &'u str,
    ) -> Option<Cow<'u, str>> {
        let keep = match (element, attribute) {
            // Defence in depth: independent of the `images` callback.
            ("img", "src") => is_upload_src(value),
            ("div", "id") => is_generated_id(value, FOOTNOTE_ID_PREFIX),
            ("li", "id") => is_generated_id(value, CITE_ID_PREFIX),
            (_, "id") => is_generated_id(value, HEADING_ID_PREFIX),
            _ => true,
        };
        keep.then_some(Cow::Borrowed(value))
    }

    fn is_generated_id(value: &str, prefix: &str) -> bool {
        value.len() > prefix.len() && value.starts_with(prefix)
    }

    /// `/files/<uuid>` or `/files/<uuid>/thumb`, the uuid in its canonical lowercase form.
    fn is_upload_src(src: &str) -> bool {
        let Some(rest) = src.strip_prefix("/files/") else {
            return false;
        };
        let id = rest.strip_suffix("/thumb").unwrap_or(rest);
        id.len() == 36
            && id.bytes().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => b == b'-',
                _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
            })
    }

    /// Rewrites pulldown-cmark's events before HTML is written: raw HTML to text, heading ids,
    /// footnote ids, table alignment as classes, images resolved or reduced to their alt text.
    struct Rewriter<'s, 'f> {
        images: &'f dyn Fn(&str) -> Option<String>,
        out: Vec<Event<'s>>,
        toc: Vec<TocEntry>,
        /// Events of the heading being read: its id depends on all of its text.
        heading: Option<Vec<Event<'s>>>,
        used_ids: HashSet<String>,
        footnotes: HashMap<String, usize>,
        /// Nesting depth inside an image that did not resolve (its content becomes text).
        dropped_image_depth: usize,
        alignments: Vec<Alignment>,
        in_table_head: bool,
        cell: usize,
        citations: Option<&'f Citations<'f>>,
        /// Text read but not yet written: pulldown-cmark splits `[@key]` into several events.
        pending: String,
        /// Depth inside code blocks, links and images, where citations are not read.
        literal_depth: usize,
        /// Indexes into `citations.sources`, in the order of first citation.
        cited: Vec<usize>,
        unknown: Vec<String>,
    }

    impl<'s, 'f> Rewriter<'s, 'f> {
        fn new(
            images: &'f dyn Fn(&str) -> Option<String>,
            citations: Option<&'f Citations<'f>>,
        ) -> Self {
            Self {
                citations,
                pending: String::new(),
                literal_depth: 0,
                cited: Vec::new(),
                unknown: Vec::new(),
                images,
                out: Vec::new(),
                toc: Vec::new(),
                heading: None,
                used_ids: HashSet::new(),
                footnotes: HashMap::new(),
                dropped_image_depth: 0,
                alignments: Vec::new(),
                in_table_head: false,
                cell: 0,
            }
        }

        fn emit(&mut self, event: Event<'s>) {
            match &mut self.heading {
                Some(buffer) => buffer.push(event),
                None => self.out.push(event),
            }
        }

        fn push(&mut self, event: Event<'s>) {
            // Raw HTML is shown as what the pupil typed.
            let event = match event {
                Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
                Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
                Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
                // Not enabled; kept as text should an option ever turn them on.
                Event::InlineMath(text) | Event::DisplayMath(text) => Event::Text(text),
                other => other,
            };
            if self.citations.is_some() {
                match &event {
                    Event::Text(text)
                        if self.literal_depth == 0 && self.dropped_image_depth == 0 =>
                    {
                        self.pending.push_str(text);
                        return;
                    }
                    Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. }) => {
                        self.literal_depth += 1;
                    }
                    Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image) => {
                        self.literal_depth = self.literal_depth.saturating_sub(1);
                    }
                    _ => {}
                }
                self.flush_text();
            }
            if self.dropped_image_depth > 0 {
                self.push_inside_dropped_image(event);
                return;
            }
            match event {
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => match (self.images)(&dest_url).filter(|src| is_upload_src(src)) {
                    Some(src) => self.emit(Event::Start(Tag::Image {
                        link_type,
                        dest_url: src.into(),
                        title,
                        id,
                    })),
                    None => self.dropped_image_depth = 1,
                },
                Event::Start(Tag::Heading { level, .. }) => {
                    // Headings cannot nest; flushing first means a parser bug could never
                    // swallow text.
                    self.flush_heading(level);
                    self.heading = Some(Vec::new());
                }
                Event::End(TagEnd::Heading(level)) => self.flush_heading(level),
                Event::Start(Tag::Table(alignments)) => {
                    self.alignments.clone_from(&alignments);
                    self.emit(Event::Start(Tag::Table(alignments)));
                }
                Event::Start(Tag::TableHead) => {
                    self.in_table_head = true;
                    self.cell = 0;
                    self.emit(Event::Start(Tag::TableHead));
                }
                Event::End(TagEnd::TableHead) => {
                    self.in_table_head = false;
                    self.emit(Event::End(TagEnd::TableHead));
                }
                Event::Start(Tag::TableRow) => {
                    self.cell = 0;
                    self.emit(Event::Start(Tag::TableRow));
                }
                // pulldown-cmark writes alignment as `style`, which the sanitizer refuses.
                Event::Start(Tag::TableCell) => {
                    let class = match self.alignments.get(self.cell) {
                        Some(Alignment::Left) => " class=\"align-left\"",
                        Some(Alignment::Center) => " class=\"align-center\"",
                        Some(Alignment::Right) => " class=\"align-right\"",
                        Some(Alignment::None) | None => "",
                    };
                    let tag = if self.in_table_head { "th" } else { "td" };
                    self.emit(Event::Html(format!("<{tag}{class}>").into()));
                }
                Event::End(TagEnd::TableCell) => {
                    let tag = if self.in_table_head { "th" } else { "td" };
                    self.emit(Event::Html(format!("</{tag}>").into()));
                    self.cell += 1;
                }
                Event::FootnoteReference(label) => {
                    let id = self.footnote_id(&label);
                    self.emit(Event::FootnoteReference(id));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let id = self.footnote_id(&label);
                    self.emit(Event::Start(Tag::FootnoteDefinition(id)));
                }
                other => self.emit(other),
            }
        }

        /// Writes the pending text, with its citations made links.
        fn flush_text(&mut self) {
            if self.pending.is_empty() {
                return;
            }
            let text = std::mem::take(&mut self.pending);
            let mut rest = text.as_str();
            while let Some(start) = rest.find("[@") {
                let inner_start = start + 1;
                let Some(len) = rest[inner_start..].find(']') else {
                    break;
                };
                let inner = &rest[inner_start..inner_start + len];
                match self.citation_html(inner) {
                    Some(html) => {
                        if start > 0 {
                            self.emit(Event::Text(rest[..start].to_owned().into()));
                        }
                        self.emit(Event::Html(html.into()));
                        rest = &rest[inner_start + len + 1..];
                    }
                    None => {
                        self.emit(Event::Text(rest[..start + 2].to_owned().into()));
                        rest = &rest[start + 2..];
                    }
                }
            }
            if !rest.is_empty() {
                self.emit(Event::Text(rest.to_owned().into()));
            }
        }

        /// `@key, locator; @key` to `[1, locator; 2]` with each number linked to its entry;
        /// `None` (the text stays as typed) unless every part names a source of the project.
        fn citation_html(&mut self, inner: &str) -> Option<String> {
            let citations = self.citations?;
            if inner.contains('[') {
                return None;
            }
            let mut parts = Vec::new();
            for part in inner.split(';') {
                let body = part.trim().strip_prefix('@')?;
                let (key, locator) = match body.split_once(',') {
                    Some((key, locator)) => (key.trim(), Some(locator.trim())),
                    None => (body.trim(), None),
                };
                if key.is_empty()
                    || !key
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                {
                    return None;
                }
                parts.push((key, locator.filter(|l| !l.is_empty())));
            }
            let mut found = Vec::with_capacity(parts.len());
            let mut missing = false;
            for (key, _) in &parts {
                let lower = key.to_lowercase();
                match citations
                    .sources
                    .iter()
                    .position(|s| s.key.to_lowercase() == lower)
                {
                    Some(index) => found.push(index),
                    None => {
                        missing = true;
                        if !self.unknown.iter().any(|k| k.to_lowercase() == lower) {
                            self.unknown.push((*key).to_owned());
                        }
                    }
                }
            }
            if missing {
                return None;
            }
            let mut html = String::from("[");
            for (i, (index, (_, locator))) in found.into_iter().zip(&parts).enumerate() {
                let number = match self.cited.iter().position(|&c| c == index) {
                    Some(at) => at + 1,
                    None => {
                        self.cited.push(index);
                        self.cited.len()
                    }
                };
                if i > 0 {
                    html.push_str("; ");
                }
                html.push_str(&format!(
                    "<a href=\"#{CITE_ID_PREFIX}{number}\">{number}</a>"
                ));
                if let Some(locator) = locator {
                    html.push_str(", ");
                    html.push_str(&escape(locator));
                }
            }
            html.push(']');
            Some(html)
        }

        /// The page's list of the sources it cites, numbered as cited, with a heading that the
        /// table of contents lists.
        fn push_cited_list(&mut self) {
            let Some(citations) = self.citations else {
                return;
            };
            if self.cited.is_empty() {
                return;
            }
            let anchor = self.unique_id(&slug(citations.heading));
            self.toc.push(TocEntry {
                level: 2,
                anchor: anchor.clone(),
                text: citations.heading.to_owned(),
            });
            let mut html = format!(
                "<section><h2 id=\"{anchor}\">{}</h2><ol>",
                escape(citations.heading)
            );
            for (n, &index) in self.cited.iter().enumerate() {
                html.push_str(&format!(
                    "<li id=\"{CITE_ID_PREFIX}{}\">{}</li>",
                    n + 1,
                    escape(citations.sources[index].description)
                ));
            }
            html.push_str("</ol></section>");
            self.out.push(Event::Html(html.into()));
        }

        /// Keeps only the text of an image that did not resolve.
        fn push_inside_dropped_image(&mut self, event: Event<'s>) {
            match event {
                Event::Start(Tag::Image { .. }) => self.dropped_image_depth += 1,
                Event::End(TagEnd::Image) => self.dropped_image_depth -= 1,
                Event::Text(text) | Event::Code(text) => self.emit(Event::Text(text)),
                Event::SoftBreak | Event::HardBreak => self.emit(Event::Text(" ".into())),
                _ => {}
            }
        }

        fn flush_heading(&mut self, level: HeadingLevel) {
            let Some(content) = self.heading.take() else {
                return;
            };
            let text: String = content
                .iter()
                .filter_map(|event| match event {
                    Event::Text(text) | Event::Code(text) => Some(text.as_ref()),
                    _ => None,
                })
                .collect();
            let text = text.trim().to_owned();
            let anchor = self.unique_id(&slug(&text));
            let level_number = level as u8;
            if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                self.toc.push(TocEntry {
                    level: level_number,
                    anchor: anchor.clone(),
                    text,
                });
            }
            self.out.push(Event::Start(Tag::Heading {
                level,
                id: Some(anchor.into()),
                classes: Vec::new(),
                attrs: Vec::new(),
            }));
            self.out.extend(content);
            self.out.push(Event::End(TagEnd::Heading(level)));
        }

        fn unique_id(&mut self, slug: &str) -> String {
            let base = format!("{HEADING_ID_PREFIX}{slug}");
            let mut id = base.clone();
            let mut n = 1;
            while self.used_ids.contains(&id) {
                n += 1;
                id = format!("{base}-{n}");
            }
            self.used_ids.insert(id.clone());
            id
        }

        /// Footnote labels are matched case-insensitively, like link labels; numbering them
        /// keeps ids ASCII, prefixed, and equal in `href` and `id`.
        fn footnote_id(&mut self, label: &str) -> CowStr<'s> {
            let key = label
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            let next = self.footnotes.len() + 1;
            let n = *self.footnotes.entry(key).or_insert(next);
            format!("{FOOTNOTE_ID_PREFIX}{n}").into()
        }
    }

    /// Text for HTML: `&`, `<`, `>` and quotes escaped.
    fn escape(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        out
    }

    /// Lowercase letters and digits of any script, `-` and `_`; whitespace runs become one `-`.
    fn slug(text: &str) -> String {
        let mut slug = String::with_capacity(text.len());
        let mut pending_dash = false;
        for c in text.chars() {
            if c.is_whitespace() {
                pending_dash = !slug.is_empty();
            } else if c.is_alphanumeric() || c == '-' || c == '_' {
                if pending_dash {
                    slug.push('-');
                    pending_dash = false;
                }
                slug.extend(c.to_lowercase());
            }
        }
        if slug.is_empty() {
            slug.push_str("section");
        }
        slug
    }

    #[cfg(test)]
    mod unit {
        use super::{is_upload_src, slug};

        #[test]
        fn slugs_keep_cyrillic_and_drop_punctuation() {
            assert_eq!(slug("Введение: цели и задачи!"), "введение-цели-и-задачи");
            assert_eq!(slug("  Глава 2 — Итоги  "), "глава-2-итоги");
            assert_eq!(slug("C++ & Rust_lang"), "c-rust_lang");
            assert_eq!(slug("?!"), "section");
        }

        #[test]
        fn only_upload_paths_are_image_sources() {
            let id = "0190a3b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b";
            assert!(is_upload_src(&format!("/files/{id}")));
            assert!(is_upload_src(&format!("/files/{id}/thumb")));
            for bad in [
                format!("/files/{id}/"),
                format!("/files/{id}/thumb/x"),
                format!("/files/{}", id.to_uppercase()),
                format!("https://evil.example/files/{id}"),
                format!("//evil.example/files/{id}"),
                format!("/files/../{id}"),
                "/files/".to_owned(),
                "data:image/png;base64,AAAA".to_owned(),
                "javascript:alert(1)".to_owned(),
            ] {
                assert!(!is_upload_src(&bad), "{bad}");
            }
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn plain_text_keeps_words_and_drops_markup() {
        let text = super::plain_text(
            "# Орнамент\n\n**Нанайский** узор, `код` и <b>тег</b>.\n\n- раз\n- два",
        );
        assert_eq!(text, "Орнамент Нанайский узор, код и тег. раз два");
    }

    use std::collections::HashSet;

    use html5ever::tendril::TendrilSink;
    use markup5ever_rcdom::{Handle, NodeData, RcDom};
    use proptest::prelude::*;

    use super::ssr::{sanitize, sanitizer};
    use super::{render, render_with, Citable, Citations, Rendered, TocEntry};

    const UPLOAD: &str = "0190a3b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b";

    /// The project has one image, `карта.jpg`; its address also resolves.
    fn project_images(src: &str) -> Option<String> {
        (src == "карта.jpg" || src == format!("/files/{UPLOAD}"))
            .then(|| format!("/files/{UPLOAD}"))
    }

    fn html(source: &str) -> String {
        render(source, &project_images).html.into_string()
    }

    // ---------------------------------------------------------------- re-parsing the output

    struct Element {
        name: String,
        attrs: Vec<(String, String)>,
    }

    /// Every element of `html` parsed as a body fragment, the way a browser would see it.
    fn elements(html: &str) -> Vec<Element> {
        let dom = html5ever::parse_fragment(
            RcDom::default(),
            Default::default(),
            html5ever::QualName::new(None, html5ever::ns!(html), html5ever::local_name!("div")),
            Vec::new(),
            false,
        )
        .one(html);
        let mut found = Vec::new();
        // Clone: rcdom's `Drop` for a node empties its children's child lists, so the document
        // must outlive the walk.
        let mut stack: Vec<Handle> = vec![dom.document.clone()];
        while let Some(node) = stack.pop() {
            if let NodeData::Element { name, attrs, .. } = &node.data {
                found.push(Element {
                    name: name.local.to_string(),
                    attrs: attrs
                        .borrow()
                        .iter()
                        .map(|a| (a.name.local.to_string(), a.value.to_string()))
                        .collect(),
                });
            }
            stack.extend(node.children.borrow().iter().cloned());
        }
        found
    }

    /// Browsers drop tabs and newlines anywhere in a URL and C0/space at its ends.
    fn url_scheme(url: &str) -> Option<String> {
        let url: String = url
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        // WHATWG URL: a scheme is an ASCII letter then letters, digits, `+`, `-`, `.`; anything
        // else before the first `:` makes the URL relative (a path).
        let (scheme, _) = url.split_once(':')?;
        let mut chars = scheme.chars();
        let is_scheme = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        is_scheme.then(|| scheme.to_ascii_lowercase())
    }

    /// What SECURITY.md forbids in any HTML this module emits, as found in `html`.
    fn violations(html: &str) -> Vec<String> {
        const ALLOWED: &str = "html p br hr h1 h2 h3 h4 h5 h6 strong em del s code pre blockquote \
                               ul ol li table thead tbody tr th td a img sup section div input";
        let mut found = Vec::new();
        for element in elements(html) {
            let name = element.name.as_str();
            if !ALLOWED.split_whitespace().any(|allowed| allowed == name) {
                found.push(format!("<{name}>"));
            }
            for (attr, value) in &element.attrs {
                let attr = attr.to_ascii_lowercase();
                let allowed = match (name, attr.as_str()) {
                    ("a", "href") => {
                        let scheme = url_scheme(value);
                        scheme.is_none()
                            || matches!(scheme.as_deref(), Some("http" | "https" | "mailto"))
                    }
                    ("img", "src") => value
                        .strip_prefix("/files/")
                        .map(|rest| rest.trim_end_matches("/thumb"))
                        .is_some_and(|id| {
                            id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
                        }),
                    ("a", "title" | "rel")
                    | ("img", "alt" | "title")
                    | ("ol", "start")
                    | ("th" | "td" | "sup" | "div", "class")
                    | ("div" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6", "id")
                    | ("input", "type" | "disabled" | "checked") => true,
                    // Includes every `on*` handler, `style`, `srcdoc`, `formaction`, ...
                    _ => false,
                };
                if !allowed {
                    found.push(format!("{attr}={value:?} on <{name}>"));
                }
            }
            if name == "input" {
                let has = |a: &str, v: Option<&str>| {
                    element
                        .attrs
                        .iter()
                        .any(|(n, val)| n == a && v.is_none_or(|v| val.eq_ignore_ascii_case(v)))
                };
                if !(has("type", Some("checkbox")) && has("disabled", None)) {
                    found.push("input that is not a disabled checkbox".to_owned());
                }
            }
        }
        found
    }

    fn assert_safe(html: &str, input: &str) {
        let found = violations(html);
        assert!(
            found.is_empty(),
            "{found:?}\ninput: {input:?}\noutput: {html}"
        );
    }

    #[test]
    fn the_checker_sees_what_a_browser_sees() {
        assert_eq!(elements("<p>a<em>b</em></p><p>c</p>").len(), 4); // html, p, em, p
        for bad in [
            "<script>alert(1)</script>",
            "<p><svg><g onload=x()></g></svg></p>",
            "<a href=' jav&#x09;ascript:x()'>x</a>",
            "<a href='data:text/html,x'>x</a>",
            "<img src=/files/x.png>",
            "<p style=color:red>x</p>",
            "<input type=text disabled>",
            "<input type=checkbox>",
            "<div><a href=x onclick=y>z</a></div>",
        ] {
            assert!(!violations(bad).is_empty(), "checker missed {bad}");
        }
        assert_eq!(
            violations("<p><a href='../x#y' rel=nofollow>x</a><input type=checkbox disabled></p>"),
            Vec::<String>::new()
        );
    }

    // ---------------------------------------------------------------- extensions

    #[test]
    fn table_alignment_becomes_classes() {
        let out = html("| Имя | Класс | Баллы |\n|:----|:-----:|------:|\n| Аня | 5А | 10 |\n");
        assert!(out.contains("<th class=\"align-left\">Имя</th>"), "{out}");
        assert!(
            out.contains("<th class=\"align-center\">Класс</th>"),
            "{out}"
        );
        assert!(out.contains("<td class=\"align-right\">10</td>"), "{out}");
        assert!(out.contains("<thead>") && out.contains("<tbody>"), "{out}");
        assert!(!out.contains("style"), "{out}");
        let plain = html("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(
            plain.contains("<th>a</th>") && plain.contains("<td>2</td>"),
            "{plain}"
        );
    }

    #[test]
    fn strikethrough() {
        assert_eq!(html("~~старое~~ новое"), "<p><del>старое</del> новое</p>\n");
    }

    #[test]
    fn task_list_checkboxes_are_disabled() {
        let out = html("- [x] собрать данные\n- [ ] написать вывод\n");
        assert_eq!(out.matches("<input").count(), 2, "{out}");
        assert!(out.contains("checked"), "{out}");
        assert_safe(&out, "task list");
    }

    #[test]
    fn footnote_links_point_at_prefixed_definitions() {
        let out =
            html("Текст[^Источник] и ещё[^2].\n\n[^источник]: Энциклопедия.\n\n[^2]: Второй.\n");
        assert!(out.contains("<a href=\"#fn-1\""), "{out}");
        assert!(out.contains("<a href=\"#fn-2\""), "{out}");
        assert!(out.contains("id=\"fn-1\""), "{out}");
        assert!(out.contains("id=\"fn-2\""), "{out}");
        assert!(out.contains("Энциклопедия."), "{out}");
        // Every in-page link has a target.
        let ids: HashSet<String> = elements(&out)
            .into_iter()
            .flat_map(|e| e.attrs)
            .filter(|(name, _)| name == "id")
            .map(|(_, value)| value)
            .collect();
        for element in elements(&out) {
            for (name, value) in element.attrs {
                if let ("href", Some(target)) = (name.as_str(), value.strip_prefix('#')) {
                    assert!(ids.contains(target), "#{target} has no target in {out}");
                }
            }
        }
    }

    #[test]
    fn headings_get_prefixed_unique_ids_and_toc() {
        let Rendered { html, toc, .. } = render(
            "# Проект\n\n## Введение\n\n### Цели и задачи!\n\n## Введение\n\n## Введение 2\n\n#### Глубже\n\n## `код` и *текст*\n",
            &project_images,
        );
        let out = html.as_str();
        assert!(out.contains("<h1 id=\"h-проект\">Проект</h1>"), "{out}");
        assert!(out.contains("<h2 id=\"h-введение\">Введение</h2>"), "{out}");
        assert!(
            out.contains("<h2 id=\"h-введение-2\">Введение</h2>"),
            "{out}"
        );
        // A heading whose own slug was taken by a duplicate still gets a unique id.
        assert!(
            out.contains("<h2 id=\"h-введение-2-2\">Введение 2</h2>"),
            "{out}"
        );
        assert!(out.contains("<h4 id=\"h-глубже\">"), "{out}");
        let entry = |level, anchor: &str, text: &str| TocEntry {
            level,
            anchor: anchor.to_owned(),
            text: text.to_owned(),
        };
        assert_eq!(
            toc,
            vec![
                entry(2, "h-введение", "Введение"),
                entry(3, "h-цели-и-задачи", "Цели и задачи!"),
                entry(2, "h-введение-2", "Введение"),
                entry(2, "h-введение-2-2", "Введение 2"),
                entry(2, "h-код-и-текст", "код и текст"),
            ]
        );
    }

    #[test]
    fn heading_attributes_are_not_parsed() {
        let out = html("## Заголовок {#main .evil onclick=x}\n");
        assert!(!out.contains("id=\"main\""), "{out}");
        assert!(!out.contains("class"), "{out}");
        assert!(out.contains("{#main .evil onclick=x}"), "{out}");
    }

    #[test]
    fn images_resolve_to_uploads_or_become_text() {
        let out = html("![Карта района](карта.jpg \"Карта\")");
        assert_eq!(
            out,
            format!("<p><img src=\"/files/{UPLOAD}\" alt=\"Карта района\" title=\"Карта\"></p>\n")
        );
        let out = html("![Чужая *картинка*](https://evil.example/x.png)");
        assert_eq!(out, "<p>Чужая картинка</p>\n");
        let out = html("![x](data:image/png;base64,iVBORw0KGgo=)");
        assert_eq!(out, "<p>x</p>\n");
        // A resolver that misbehaves cannot put anything else into `src`.
        for bad in [
            "https://evil.example/a.png",
            "data:image/png;base64,AA",
            "/files/../etc",
        ] {
            let out = render("![a](b)", &|_| Some(bad.to_owned()))
                .html
                .into_string();
            assert_eq!(out, "<p>a</p>\n", "{bad}");
        }
    }

    #[test]
    fn script_links_are_neutralised() {
        for link in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](&#x6A;avascript&#x3A;alert(1))",
            "[x](java%0ascript:alert(1))",
            "[x](vbscript:msgbox(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[x](<javascript:alert(1)>)",
            "<javascript:alert(1)>",
            "[x]\n\n[x]: javascript:alert(1)",
        ] {
            let out = html(link);
            assert!(
                !out.to_lowercase().contains("href=\"javascript"),
                "{link}: {out}"
            );
            assert!(!out.contains("href=\"data"), "{link}: {out}");
            assert!(!out.contains("href=\"vbscript"), "{link}: {out}");
            assert_safe(&out, link);
        }
    }

    #[test]
    fn good_links_and_autolinks_work() {
        let out = html("<https://example.org/a?b=1> и <pupil@school.example>, [проект](../другой) [§](#h-введение)");
        assert!(
            out.contains(
                "<a href=\"https://example.org/a?b=1\" rel=\"noopener noreferrer nofollow\">"
            ),
            "{out}"
        );
        assert!(
            out.contains("href=\"mailto:pupil@school.example\""),
            "{out}"
        );
        assert!(
            out.contains("href=\"../%D0%B4%D1%80%D1%83%D0%B3%D0%BE%D0%B9\""),
            "{out}"
        );
        assert!(
            out.contains("href=\"#h-%D0%B2%D0%B2%D0%B5%D0%B4%D0%B5%D0%BD%D0%B8%D0%B5\""),
            "{out}"
        );
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let out = html("<script>alert(1)</script>\n\nПривет <b onclick=\"x()\">мир</b>");
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{out}"
        );
        assert!(
            out.contains("&lt;b onclick=\"x()\"&gt;мир&lt;/b&gt;"),
            "{out}"
        );
        assert_safe(&out, "raw html");
        assert_eq!(
            elements(&out).iter().filter(|e| e.name == "p").count(),
            2,
            "{out}"
        );
    }

    #[test]
    fn sanitizer_alone_holds_the_policy() {
        // Defence in depth: even if raw HTML reached the sanitizer it would be cut down.
        let out = sanitize(
            "<h2 id=main>x</h2><div id=fn-1 class=evil>y</div><input type=text name=q>\
             <img src=/files/0190a3b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b/thumb onerror=x()>\
             <td style=color:red class='align-left x'>z</td><svg><script>alert(1)</script></svg>",
        );
        assert!(!out.contains("id=\"main\""), "{out}");
        assert!(out.contains("<div id=\"fn-1\" class=\"\">"), "{out}");
        assert!(
            out.contains("type=\"checkbox\"") && out.contains("disabled"),
            "{out}"
        );
        assert!(!out.contains("name="), "{out}");
        assert!(out.contains("thumb\">"), "{out}");
        assert!(!out.contains("alert"), "{out}");
        assert_safe(&out, "raw");
    }

    #[test]
    fn hostile_structure_renders_in_linear_time() {
        // Each took from seconds to many minutes before nesting was capped (html5ever's work
        // per element grows with the depth of open elements).
        let max = super::MAX_SOURCE_BYTES;
        let half = "*".repeat(max / 2 - 1);
        for source in [
            ">".repeat(max),
            "> - ".repeat(max / 4),
            "1. ".repeat(max / 3),
            "[^1]: > ".repeat(max / 8),
            format!("{half}a{half}"),
            "- ".repeat(max / 2),
            "*a _b ".repeat(max / 6),
            "[a](".repeat(max / 4),
            "![".repeat(max / 2),
            "<div>".repeat(max / 5),
            "|a".repeat(max / 4) + "\n" + &"|-".repeat(max / 4),
        ] {
            let started = std::time::Instant::now();
            let out = html(&source);
            let took = started.elapsed();
            assert!(
                took < std::time::Duration::from_secs(30),
                "{took:?} for {:?}…",
                &source[..16]
            );
            assert_safe(&out, &source[..16]);
        }
    }

    #[test]
    fn realistic_page_renders() {
        let page = sample_page(50);
        assert!(page.len() >= 50 * 1024);
        let Rendered { html, toc, .. } = render(&page, &project_images);
        assert!(html.as_str().len() > page.len() / 2);
        assert!(toc.len() >= 10, "{}", toc.len());
        assert_safe(html.as_str(), "sample page");
        assert_eq!(sanitize(html.as_str()), html.as_str());
    }

    /// A pupil's project page of about `kb` KiB (the benchmark builds the same shape).
    fn sample_page(kb: usize) -> String {
        let mut page = String::from("# Исследовательский проект: вода в нашем городе\n\n");
        let mut section = 1;
        while page.len() < kb * 1024 {
            page.push_str(&format!(
                "## Глава {section}. Наблюдения\n\n\
                 В этой главе мы **описываем** опыт №{section}: пробы воды из *реки*, \
                 из колодца и из-под крана. Подробности в [отчёте](../отчёт-{section}) и на \
                 <https://ru.wikipedia.org/wiki/Вода>.[^{section}]\n\n\
                 ### Методика\n\n\
                 1. Набрать пробу в чистую банку.\n\
                 2. Измерить `pH` полоской.\n\
                 3. Записать ~~результат~~ значение в таблицу.\n\n\
                 - [x] проба из реки\n- [ ] проба из колодца\n\n\
                 | Источник | pH | Прозрачность |\n|:---|:---:|---:|\n\
                 | Река | 7,2 | средняя |\n| Колодец | 6,8 | высокая |\n| Кран | 7,0 | высокая |\n\n\
                 ![Карта мест отбора](карта.jpg)\n\n\
                 > Вода — самое распространённое вещество на Земле, но чистой воды мало.\n\n\
                 ```\nсреднее = (7.2 + 6.8 + 7.0) / 3\n```\n\n\
                 [^{section}]: Данные учителя химии, {section} октября.\n\n"
            ));
            section += 1;
        }
        page
    }

    // ---------------------------------------------------------------- hostile corpora

    const SEPARATOR: &str = "\n====8<====\n";

    /// Payload files: blocks separated by a `====8<====` line; the first block is a header.
    fn payloads(file: &'static str) -> impl Iterator<Item = &'static str> {
        file.split(SEPARATOR)
            .skip(1)
            .map(|p| p.trim_end_matches('\n'))
    }

    /// markdown-it's fixture format: `.`-delimited (input, expected output) pairs.
    fn markdown_it_inputs(file: &str) -> Vec<String> {
        let mut inputs = Vec::new();
        let mut lines = file.lines();
        while let Some(line) = lines.next() {
            if line == "." {
                let input: Vec<&str> = lines.by_ref().take_while(|l| *l != ".").collect();
                let _expected: Vec<&str> = lines.by_ref().take_while(|l| *l != ".").collect();
                inputs.push(input.join("\n"));
            }
        }
        inputs
    }

    /// Each payload as Markdown and inside a few Markdown constructs, and raw through the
    /// sanitizer; returns the number of renders checked.
    fn check_payload(payload: &str) -> usize {
        let one_line = payload.replace('\n', " ");
        let contexts = [
            payload.to_owned(),
            format!("[x]({one_line})"),
            format!("[x](<{one_line}>)"),
            format!("![x]({one_line})"),
            format!("## {one_line}"),
            format!(
                "| a | b |\n|---|---|\n| {} | x |",
                one_line.replace('|', "\\|")
            ),
            format!("- [ ] {one_line}"),
            format!("текст[^1]\n\n[^1]: {payload}"),
            format!("[x]\n\n[x]: {one_line}"),
        ];
        for source in &contexts {
            let out = render(source, &project_images).html;
            assert_safe(out.as_str(), source);
            assert_eq!(
                sanitize(out.as_str()),
                out.as_str(),
                "not stable: {source:?}"
            );
        }
        let raw = sanitize(payload);
        assert_safe(&raw, payload);
        contexts.len() + 1
    }

    #[test]
    fn hostile_corpora_are_neutralised() {
        let markdown_it =
            markdown_it_inputs(include_str!("../tests/fixtures/xss/markdown-it_xss.txt"));
        let h5sc: Vec<&str> = payloads(include_str!("../tests/fixtures/xss/h5sc.txt")).collect();
        let owasp: Vec<&str> = payloads(include_str!(
            "../tests/fixtures/xss/owasp_xss_filter_evasion.txt"
        ))
        .collect();
        assert!(markdown_it.len() >= 13, "{}", markdown_it.len());
        assert!(h5sc.len() >= 140, "{}", h5sc.len());
        assert!(owasp.len() >= 100, "{}", owasp.len());
        let mut renders = 0;
        for payload in markdown_it
            .iter()
            .map(String::as_str)
            .chain(h5sc.iter().copied())
            .chain(owasp.iter().copied())
        {
            renders += check_payload(payload);
        }
        // Visible with `cargo test -- --nocapture`: how much the corpora cover.
        eprintln!(
            "hostile corpora: {} markdown-it + {} H5SC + {} OWASP payloads, {renders} outputs checked",
            markdown_it.len(),
            h5sc.len(),
            owasp.len()
        );
    }

    // ---------------------------------------------------------------- properties

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("<".to_owned()),
            Just(">".to_owned()),
            Just("](".to_owned()),
            Just(")".to_owned()),
            Just("[".to_owned()),
            Just("![".to_owned()),
            Just("javascript:".to_owned()),
            Just("data:".to_owned()),
            Just("&#106;".to_owned()),
            Just("*".to_owned()),
            Just("_".to_owned()),
            Just("~~".to_owned()),
            Just("|".to_owned()),
            Just("|---|".to_owned()),
            Just("[^".to_owned()),
            Just("]:".to_owned()),
            Just("#".to_owned()),
            Just("`".to_owned()),
            Just("```".to_owned()),
            Just("\n".to_owned()),
            Just("\n\n".to_owned()),
            Just("    ".to_owned()),
            Just("- [x] ".to_owned()),
            Just("1. ".to_owned()),
            Just("> ".to_owned()),
            Just("\"".to_owned()),
            Just("'".to_owned()),
            Just("<script>".to_owned()),
            Just("<img src=x onerror=alert(1)>".to_owned()),
            Just("<svg onload=alert(1)>".to_owned()),
            Just("<!--".to_owned()),
            Just("-->".to_owned()),
            Just("карта.jpg".to_owned()),
            Just("Введение".to_owned()),
            Just("&amp;".to_owned()),
            Just("\\".to_owned()),
            Just("\0".to_owned()),
            Just("\r".to_owned()),
            "[а-яa-z0-9 ]{0,8}",
        ]
    }

    fn markdownish() -> impl Strategy<Value = String> {
        prop::collection::vec(fragment(), 0..40).prop_map(|parts| parts.concat())
    }

    fn check_property(source: &str) -> Result<(), TestCaseError> {
        let rendered = render(source, &project_images);
        let out = rendered.html.as_str();
        prop_assert_eq!(sanitizer().clean(out).to_string(), out);
        for entry in &rendered.toc {
            prop_assert!(entry.anchor.starts_with("h-"));
            prop_assert!(matches!(entry.level, 2 | 3));
        }
        Ok(())
    }

    // ---------------------------------------------------------------- citations

    const SOURCES: [(&str, &str); 3] = [
        (
            "Арсеньев1921",
            "Арсеньев, В. К. Дерсу Узала. – Владивосток, 1921. – 286 с.",
        ),
        (
            "Пушкин1999",
            "Пушкин, А. С. Сказки / А. С. Пушкин. – Москва, 1999. – 96 с.",
        ),
        (
            "evil",
            "<script>alert(1)</script> & \"quotes\" <img src=x onerror=alert(1)>",
        ),
    ];

    fn cited(source: &str) -> Rendered {
        let sources: Vec<Citable> = SOURCES
            .iter()
            .map(|(key, description)| Citable { key, description })
            .collect();
        render_with(
            source,
            &project_images,
            Some(&Citations {
                sources: &sources,
                heading: "Источники",
            }),
        )
    }

    #[test]
    fn citations_are_numbered_by_first_citation_and_listed_at_the_end() {
        let out = cited(
            "Тигр живёт в тайге [@Пушкин1999]. Дерсу [@Арсеньев1921, с. 15] и снова [@Пушкин1999].",
        );
        let html = out.html.as_str();
        assert!(
            html.contains(r##"[<a href="#cite-1" rel="noopener noreferrer nofollow">1</a>]"##),
            "{html}"
        );
        assert!(
            html.contains(
                r##"[<a href="#cite-2" rel="noopener noreferrer nofollow">2</a>, с. 15]"##
            ),
            "{html}"
        );
        assert_eq!(html.matches("href=\"#cite-1\"").count(), 2, "{html}");
        let list = &html[html.find("<section><h2").expect("a list")..];
        let first = list.find("<li id=\"cite-1\">Пушкин").expect("Пушкин first");
        let second = list
            .find("<li id=\"cite-2\">Арсеньев")
            .expect("Арсеньев second");
        assert!(first < second);
        assert!(out.unknown_citations.is_empty());
        assert_eq!(out.toc.last().map(|t| t.text.as_str()), Some("Источники"));
        assert_safe(html, "citations");
    }

    #[test]
    fn several_sources_in_one_citation_and_keys_in_any_case() {
        let html = cited("См. [@арсеньев1921; @Пушкин1999, с. 3–4].")
            .html
            .into_string();
        assert!(html.contains(">1</a>; <a"), "{html}");
        assert!(html.contains(">2</a>, с. 3–4]"), "{html}");
    }

    #[test]
    fn citations_in_code_and_links_and_unknown_keys_stay_as_typed() {
        let out = cited(
            "`[@Пушкин1999]`\n\n```\n[@Пушкин1999]\n```\n\n[[@Пушкин1999]](https://example.org) [@Нет2000] [@Пушкин1999; @Нет2000] [@] [@ Пушкин1999 x] [@Пушкин1999",
        );
        let html = out.html.as_str();
        assert!(!html.contains("#cite-"), "{html}");
        assert!(!html.contains("<section>"), "{html}");
        assert!(html.contains("[@Нет2000]"), "{html}");
        assert!(html.contains("<code>[@Пушкин1999]</code>"), "{html}");
        assert_eq!(out.unknown_citations, vec!["Нет2000".to_owned()]);
    }

    #[test]
    fn descriptions_and_locators_are_text() {
        let out = cited("[@evil, <b>с. 1</b>] [@evil, <script>x</script>]");
        let html = out.html.as_str();
        assert_safe(html, "evil");
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn without_citations_the_syntax_is_plain_text() {
        let html = render("[@Пушкин1999]", &project_images).html.into_string();
        assert_eq!(html, "<p>[@Пушкин1999]</p>\n");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_text_renders_stably(source in any::<String>()) {
            check_property(&source)?;
        }

        #[test]
        fn markdownish_text_renders_stably_and_safely(source in markdownish()) {
            check_property(&source)?;
            assert_safe(render(&source, &project_images).html.as_str(), &source);
        }
    }
}
