//! The showcase's SQL: publications of accepted snapshots, secret links, and what a published
//! page reads (the snapshot's pages, sources and people, with the members' public names).

use crate::db::{new_id, now, Pool, WriteTx};

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

/// Takes down the project's live publication (links stay); how many were taken down.
pub async fn unpublish(
    tx: &mut WriteTx,
    project_id: &str,
    user_id: &str,
) -> Result<u64, sqlx::Error> {
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

/// The newest public publications, of one school or of all.
pub async fn recent_public(
    pool: &Pool,
    school_slug: Option<&str>,
    limit: i64,
) -> Result<Vec<PublishedRow>, sqlx::Error> {
    let school = match school_slug {
        Some(_) => "AND s.slug = $2",
        None => "AND $2 IS NULL",
    };
    sqlx::query_as(&format!(
        "SELECT pb.id, pb.project_id, pb.title, pb.summary, s.slug AS school_slug, \
                s.short_name AS school_short_name, pb.published_at \
         FROM publications pb JOIN schools s ON s.id = pb.school_id \
         WHERE pb.audience = 'public' AND pb.unpublished_at IS NULL {school} \
         ORDER BY pb.published_at DESC, pb.id DESC LIMIT $1"
    ))
    .bind(limit)
    .bind(school_slug)
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
    let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "SELECT project_id, title FROM publications \
         WHERE audience = 'public' AND unpublished_at IS NULL AND project_id IN (",
    );
    let mut ids = q.separated(", ");
    for id in project_ids {
        ids.push_bind(id.clone());
    }
    ids.push_unseparated(")");
    q.build_query_as().fetch_all(pool).await
}
