//! The showcase's SQL: publications of accepted snapshots, secret links, and what a published
//! page reads (the snapshot's pages, sources and people, with the members' public names).

use sqlx::QueryBuilder;

use crate::catalog::db::upper_bound;
use crate::db::{new_id, now, Pool, WriteTx};

type Db = sqlx::Sqlite;

/// A publication with its snapshot's number.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicationRow {
    pub id: String,
    pub project_id: String,
    pub submission_id: String,
    pub number: i64,
    pub audience: String,
    pub expires_at: Option<String>,
    pub published_at: String,
    pub unpublished_at: Option<String>,
}

const PUBLICATION_COLUMNS: &str = "pb.id, pb.project_id, pb.submission_id, s.number, \
    pb.audience, pb.expires_at, pb.published_at, pb.unpublished_at";

/// The live publication of a project to an audience (links aside).
pub async fn live_publication(
    pool: &Pool,
    project_id: &str,
) -> Result<Option<PublicationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {PUBLICATION_COLUMNS} FROM publications pb \
         JOIN submissions s ON s.id = pb.submission_id \
         WHERE pb.project_id = $1 AND pb.unpublished_at IS NULL AND pb.audience <> 'link' \
         ORDER BY pb.published_at DESC LIMIT 1"
    ))
    .bind(project_id)
    .fetch_optional(pool)
    .await
}

/// The link with this token's hash, live or not.
pub async fn find_link(
    pool: &Pool,
    token_hash: &str,
) -> Result<Option<PublicationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {PUBLICATION_COLUMNS} FROM publications pb \
         JOIN submissions s ON s.id = pb.submission_id \
         WHERE pb.token_hash = $1 AND pb.audience = 'link'"
    ))
    .bind(token_hash)
    .fetch_optional(pool)
    .await
}

/// A project's links, newest first.
pub async fn list_links(pool: &Pool, project_id: &str) -> Result<Vec<PublicationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {PUBLICATION_COLUMNS} FROM publications pb \
         JOIN submissions s ON s.id = pb.submission_id \
         WHERE pb.project_id = $1 AND pb.audience = 'link' \
         ORDER BY pb.published_at DESC, pb.id DESC LIMIT 50"
    ))
    .bind(project_id)
    .fetch_all(pool)
    .await
}

/// (number, decided_at, pages) of a project's accepted snapshots, newest first.
pub async fn accepted_snapshots(
    pool: &Pool,
    project_id: &str,
) -> Result<Vec<(i64, Option<String>, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.number, s.decided_at, \
                (SELECT COUNT(*) FROM submission_pages sp WHERE sp.submission_id = s.id) \
         FROM submissions s WHERE s.project_id = $1 AND s.state = 'accepted' \
         ORDER BY s.number DESC",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await
}

/// (id, passport JSON) of the project's snapshot `number`, if it was accepted.
pub async fn accepted_submission(
    tx: &mut WriteTx,
    project_id: &str,
    number: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, passport FROM submissions \
         WHERE project_id = $1 AND number = $2 AND state = 'accepted'",
    )
    .bind(project_id)
    .bind(number)
    .fetch_optional(&mut **tx)
    .await
}

/// Takes down the project's live publication (links stay) and drops it from the tag and search
/// index; how many were taken down.
pub async fn unpublish(
    tx: &mut WriteTx,
    project_id: &str,
    user_id: &str,
) -> Result<u64, sqlx::Error> {
    for table in ["publication_terms", "publication_tags", "publication_texts"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE publication_id IN (SELECT id FROM publications \
             WHERE project_id = $1 AND unpublished_at IS NULL AND audience <> 'link')"
        ))
        .bind(project_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(sqlx::query(
        "UPDATE publications SET unpublished_at = $2, unpublished_by = $3 \
         WHERE project_id = $1 AND unpublished_at IS NULL AND audience <> 'link'",
    )
    .bind(project_id)
    .bind(now())
    .bind(user_id)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// Revokes one of the project's links; how many were revoked (0: not the project's, or gone).
pub async fn revoke_link(
    tx: &mut WriteTx,
    project_id: &str,
    link_id: &str,
    user_id: &str,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE publications SET unpublished_at = $3, unpublished_by = $4 \
         WHERE project_id = $1 AND id = $2 AND audience = 'link' AND unpublished_at IS NULL",
    )
    .bind(project_id)
    .bind(link_id)
    .bind(now())
    .bind(user_id)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

pub struct NewPublication<'a> {
    pub project_id: &'a str,
    pub submission_id: &'a str,
    pub school_id: &'a str,
    pub audience: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub token_hash: Option<&'a str>,
    pub expires_at: Option<&'a str>,
    pub published_by: &'a str,
}

pub async fn insert_publication(
    tx: &mut WriteTx,
    p: &NewPublication<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO publications (id, project_id, submission_id, school_id, audience, title, \
         summary, token_hash, expires_at, published_by, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(p.project_id)
    .bind(p.submission_id)
    .bind(p.school_id)
    .bind(p.audience)
    .bind(p.title)
    .bind(p.summary)
    .bind(p.token_hash)
    .bind(p.expires_at)
    .bind(p.published_by)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// A member of a snapshot, with what a public name is made of.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SnapshotMember {
    pub user_id: String,
    pub display_name: String,
    pub first_name: Option<String>,
    pub surname: Option<String>,
    pub grade: Option<i64>,
    pub letter: Option<String>,
    /// A consent to publish is on file and not withdrawn.
    pub may_publish: bool,
}

/// The members of a snapshot in the order they joined, with their class in the project's year
/// and whether they consent to publication, in one query.
pub async fn snapshot_members(
    pool: &Pool,
    submission_id: &str,
    academic_year: i32,
) -> Result<Vec<SnapshotMember>, sqlx::Error> {
    sqlx::query_as(
        "SELECT sp.user_id, u.display_name, pu.first_name, pu.surname, c.grade, c.letter, \
                EXISTS (SELECT 1 FROM consents k WHERE k.pupil_id = sp.user_id \
                        AND k.kind = 'publication' AND k.withdrawn_at IS NULL) AS may_publish \
         FROM submission_people sp JOIN users u ON u.id = sp.user_id \
         LEFT JOIN pupils pu ON pu.user_id = sp.user_id \
         LEFT JOIN class_members cm ON cm.pupil_id = sp.user_id AND cm.academic_year = $2 \
         LEFT JOIN classes c ON c.id = cm.class_id \
         WHERE sp.submission_id = $1 AND sp.role = 'member' \
         ORDER BY u.display_name, sp.user_id",
    )
    .bind(submission_id)
    .bind(academic_year)
    .fetch_all(pool)
    .await
}

/// The display names of a snapshot's supervisors (staff: adults, named as on school sites).
pub async fn snapshot_supervisors(
    pool: &Pool,
    submission_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT u.display_name FROM submission_people sp JOIN users u ON u.id = sp.user_id \
         WHERE sp.submission_id = $1 AND sp.role = 'supervisor' ORDER BY u.display_name",
    )
    .bind(submission_id)
    .fetch_all(pool)
    .await
}

/// The snapshot's list of sources, in the list's order.
pub async fn snapshot_sources(
    pool: &Pool,
    submission_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT description FROM submission_sources WHERE submission_id = $1 \
         ORDER BY sort_key, source_id",
    )
    .bind(submission_id)
    .fetch_all(pool)
    .await
}

/// Whether a file belongs to a snapshot that the project has live: published to an audience, or
/// by a link that has not expired. (audience, expires_at) of each such publication.
pub async fn publications_of_file(
    pool: &Pool,
    file_id: &str,
) -> Result<Vec<(String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT pb.audience, pb.expires_at FROM publications pb \
         JOIN submission_files sf ON sf.submission_id = pb.submission_id \
         WHERE sf.file_id = $1 AND pb.unpublished_at IS NULL",
    )
    .bind(file_id)
    .fetch_all(pool)
    .await
}

/// A public publication in a list or a feed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublishedRow {
    pub id: String,
    pub project_id: String,
    pub title: String,
    pub summary: String,
    pub school_slug: String,
    pub school_short_name: String,
    pub published_at: String,
}

/// Which public publications a list or feed shows.
#[derive(Debug, Clone, Copy)]
pub enum Listing<'a> {
    District,
    /// A school's, by its address name.
    School(&'a str),
    /// The projects entered in an initiative, by its address name.
    Initiative(&'a str),
}

/// The newest public publications of the district, a school or an initiative.
pub async fn recent_public(
    pool: &Pool,
    listing: Listing<'_>,
    limit: i64,
) -> Result<Vec<PublishedRow>, sqlx::Error> {
    let (filter, key) = match listing {
        Listing::District => ("AND $2 IS NULL", None),
        Listing::School(slug) => ("AND s.slug = $2", Some(slug)),
        Listing::Initiative(slug) => (
            "AND pb.project_id IN (SELECT ip.project_id FROM initiative_projects ip \
             JOIN initiatives i ON i.id = ip.initiative_id WHERE i.slug = $2)",
            Some(slug),
        ),
    };
    sqlx::query_as(&format!(
        "SELECT pb.id, pb.project_id, pb.title, pb.summary, s.slug AS school_slug, \
                s.short_name AS school_short_name, pb.published_at \
         FROM publications pb JOIN schools s ON s.id = pb.school_id \
         WHERE pb.audience = 'public' AND pb.unpublished_at IS NULL {filter} \
         ORDER BY pb.published_at DESC, pb.id DESC LIMIT $1"
    ))
    .bind(limit)
    .bind(key)
    .fetch_all(pool)
    .await
}

/// The initiatives' address names, for the sitemap.
pub async fn initiative_slugs(pool: &Pool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT slug FROM initiatives ORDER BY slug")
        .fetch_all(pool)
        .await
}

/// The schools' address names, for the sitemap.
pub async fn school_slugs(pool: &Pool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT slug FROM schools ORDER BY slug")
        .fetch_all(pool)
        .await
}

/// (project id, published title) of those of `project_ids` published to the public.
pub async fn public_among(
    pool: &Pool,
    project_ids: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    if project_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Db>::new(
        "SELECT project_id, title FROM publications \
         WHERE audience = 'public' AND unpublished_at IS NULL AND project_id IN (",
    );
    crate::db::push_ids(&mut q, project_ids);
    q.push(")");
    q.build_query_as().fetch_all(pool).await
}

/// (slug, title, Markdown body) of a snapshot's pages, in order, read in the write transaction.
pub async fn snapshot_texts(
    tx: &mut WriteTx,
    submission_id: &str,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.slug, r.title, r.body \
         FROM submission_pages sp JOIN pages p ON p.id = sp.page_id \
         JOIN page_revisions r ON r.page_id = sp.page_id AND r.number = sp.revision \
         WHERE sp.submission_id = $1 ORDER BY sp.position",
    )
    .bind(submission_id)
    .fetch_all(&mut **tx)
    .await
}

/// The project's tags, read in the write transaction.
pub async fn project_tags(tx: &mut WriteTx, project_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT tag FROM project_tags WHERE project_id = $1 ORDER BY tag")
        .bind(project_id)
        .fetch_all(&mut **tx)
        .await
}

/// Writes a live publication's tags, texts (passport at position 0, then the pages) and terms.
pub async fn index_publication(
    tx: &mut WriteTx,
    publication_id: &str,
    tags: &[String],
    texts: &[(String, String, String)],
    terms: &[String],
) -> Result<(), sqlx::Error> {
    for tag in tags {
        sqlx::query("INSERT INTO publication_tags (publication_id, tag) VALUES ($1, $2)")
            .bind(publication_id)
            .bind(tag)
            .execute(&mut **tx)
            .await?;
    }
    for (position, (slug, title, body)) in texts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO publication_texts (publication_id, position, slug, title, body) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(publication_id)
        .bind(position as i64)
        .bind(slug)
        .bind(title)
        .bind(body)
        .execute(&mut **tx)
        .await?;
    }
    for term in terms {
        sqlx::query("INSERT INTO publication_terms (term, publication_id) VALUES ($1, $2)")
            .bind(term)
            .bind(publication_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Who is looking, as the SQL pre-filter of lists and search sees it. The policy still decides
/// on every row the filter lets through.
pub enum Viewer<'a> {
    Anonymous,
    /// A signed-in person: the schools where they are a pupil or staff, and their id (the
    /// projects they are on, or their children are).
    Person {
        user_id: &'a str,
        schools: &'a [String],
    },
    /// The coordinator or an administrator.
    District,
}

/// What a list of publications is narrowed to.
#[derive(Default)]
pub struct PublicationQuery<'a> {
    /// Stemmed terms, each the start of a stored term; empty: no text condition.
    pub terms: &'a [String],
    pub school: Option<&'a str>,
    pub initiative: Option<&'a str>,
    pub year: Option<i32>,
    pub tag: Option<&'a str>,
}

/// A live publication found for a list or a search.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FoundPublication {
    pub id: String,
    pub project_id: String,
    pub title: String,
    pub summary: String,
    pub audience: String,
    pub published_at: String,
    pub school_id: String,
    pub school_slug: String,
    pub school_short_name: String,
    pub status: String,
    pub academic_year: i32,
}

/// Live audience publications (never links) matching `query` that `viewer` may be shown,
/// newest first.
pub async fn find_publications(
    pool: &Pool,
    query: &PublicationQuery<'_>,
    viewer: &Viewer<'_>,
    limit: i64,
) -> Result<Vec<FoundPublication>, sqlx::Error> {
    let mut q = QueryBuilder::<Db>::new(
        "SELECT pb.id, pb.project_id, pb.title, pb.summary, pb.audience, pb.published_at, \
                pb.school_id, s.slug AS school_slug, s.short_name AS school_short_name, \
                p.status, p.academic_year FROM ",
    );
    if query.terms.is_empty() {
        q.push("publications pb");
    } else {
        // The matching publications come from the terms index (prefix ranges), and only they
        // are read: a search touches what it finds.
        q.push("(");
        for (n, term) in query.terms.iter().enumerate() {
            if n > 0 {
                q.push(" INTERSECT ");
            }
            // DISTINCT: a prefix may match several words of one publication.
            q.push("SELECT DISTINCT publication_id FROM publication_terms WHERE term >= ")
                .push_bind(term.clone())
                .push(" AND term < ")
                .push_bind(upper_bound(term));
        }
        q.push(") m CROSS JOIN publications pb");
    }
    q.push(
        " JOIN projects p ON p.id = pb.project_id JOIN schools s ON s.id = pb.school_id \
         WHERE pb.unpublished_at IS NULL AND pb.audience <> 'link'",
    );
    if !query.terms.is_empty() {
        q.push(" AND pb.id = m.publication_id");
    }
    if let Some(school) = query.school {
        q.push(" AND s.slug = ").push_bind(school.to_owned());
    }
    if let Some(year) = query.year {
        q.push(" AND p.academic_year = ").push_bind(year);
    }
    if let Some(tag) = query.tag {
        q.push(" AND pb.id IN (SELECT publication_id FROM publication_tags WHERE tag = ")
            .push_bind(tag.to_owned())
            .push(")");
    }
    if let Some(initiative) = query.initiative {
        q.push(
            " AND pb.project_id IN (SELECT ip.project_id FROM initiative_projects ip \
             JOIN initiatives i ON i.id = ip.initiative_id WHERE i.slug = ",
        )
        .push_bind(initiative.to_owned())
        .push(")");
    }
    match viewer {
        Viewer::Anonymous => {
            q.push(" AND pb.audience = 'public'");
        }
        Viewer::Person { user_id, schools } => {
            q.push(" AND (pb.audience = 'public'");
            if !schools.is_empty() {
                q.push(" OR pb.school_id IN (");
                crate::db::push_ids(&mut q, schools);
                q.push(")");
            }
            q.push(
                " OR pb.project_id IN (SELECT project_id FROM project_members WHERE pupil_id = ",
            )
            .push_bind(user_id.to_string())
            .push(" UNION SELECT project_id FROM project_supervisors WHERE user_id = ")
            .push_bind(user_id.to_string())
            .push(" UNION SELECT project_id FROM commission_members WHERE user_id = ")
            .push_bind(user_id.to_string())
            .push(
                " UNION SELECT m.project_id FROM project_members m JOIN parent_links l \
                     ON l.pupil_id = m.pupil_id WHERE l.parent_id = ",
            )
            .push_bind(user_id.to_string())
            .push("))");
        }
        Viewer::District => {}
    }
    q.push(" ORDER BY pb.published_at DESC, pb.id DESC LIMIT ")
        .push_bind(limit);
    q.build_query_as().fetch_all(pool).await
}

/// (publication id, position, title, body) of the texts of `ids`, for snippets.
pub async fn publication_texts(
    pool: &Pool,
    ids: &[String],
) -> Result<Vec<(String, i64, String, String)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Db>::new(
        "SELECT publication_id, position, title, body FROM publication_texts \
         WHERE publication_id IN (",
    );
    crate::db::push_ids(&mut q, ids);
    q.push(") ORDER BY publication_id, position");
    q.build_query_as().fetch_all(pool).await
}

/// (publication id, tag) of `ids`.
pub async fn publication_tags(
    pool: &Pool,
    ids: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Db>::new(
        "SELECT publication_id, tag FROM publication_tags WHERE publication_id IN (",
    );
    crate::db::push_ids(&mut q, ids);
    q.push(") ORDER BY tag");
    q.build_query_as().fetch_all(pool).await
}

/// (project id, audience) of the live publications (links aside) of `project_ids`.
pub async fn live_audiences(
    pool: &Pool,
    project_ids: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    if project_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Db>::new(
        "SELECT project_id, audience FROM publications \
         WHERE unpublished_at IS NULL AND audience <> 'link' AND project_id IN (",
    );
    crate::db::push_ids(&mut q, project_ids);
    q.push(")");
    q.build_query_as().fetch_all(pool).await
}

/// The tags of public publications with how many use each, the most used first.
pub async fn popular_tags(pool: &Pool, limit: i64) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.tag, COUNT(*) FROM publication_tags t \
         JOIN publications pb ON pb.id = t.publication_id \
         WHERE pb.audience = 'public' AND pb.unpublished_at IS NULL \
         GROUP BY t.tag ORDER BY COUNT(*) DESC, t.tag LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// The academic years that have live publications, newest first.
pub async fn publication_years(pool: &Pool) -> Result<Vec<i32>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT p.academic_year FROM publications pb \
         JOIN projects p ON p.id = pb.project_id \
         WHERE pb.unpublished_at IS NULL AND pb.audience <> 'link' \
         ORDER BY p.academic_year DESC",
    )
    .fetch_all(pool)
    .await
}

/// The project's cover, if it is an image the snapshot froze (for link previews).
pub async fn snapshot_cover(
    pool: &Pool,
    project_id: &str,
    submission_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT f.id FROM projects p \
         JOIN submission_files sf ON sf.file_id = p.cover_file_id AND sf.submission_id = $2 \
         JOIN files f ON f.id = sf.file_id \
         WHERE p.id = $1 AND f.file_type IN ('png', 'jpeg', 'webp')",
    )
    .bind(project_id)
    .bind(submission_id)
    .fetch_optional(pool)
    .await
}

/// The tags of a publication.
pub async fn tags_of(pool: &Pool, publication_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT tag FROM publication_tags WHERE publication_id = $1 ORDER BY tag")
        .bind(publication_id)
        .fetch_all(pool)
        .await
}
