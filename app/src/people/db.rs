//! SQL for classes, pupils, consents, families and roster imports.

use sqlx::FromRow;

use super::{AcademicYear, ClassSummary, ConsentKind, ManagedSchool, ParentSummary, PupilSummary};
use crate::db::{new_id, now, Pool};

type Db = sqlx::Sqlite;

/// A school as management pages need it.
#[derive(Debug, Clone, FromRow)]
pub struct SchoolKey {
    pub id: String,
    pub slug: String,
    pub short_name: String,
}

pub async fn find_school(pool: &Pool, slug: &str) -> Result<Option<SchoolKey>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, short_name FROM schools WHERE slug = $1")
        .bind(slug)
        .fetch_optional(pool)
        .await
}

pub async fn find_school_by_id(pool: &Pool, id: &str) -> Result<Option<SchoolKey>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, short_name FROM schools WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Every school, by short name.
pub async fn all_schools(pool: &Pool) -> Result<Vec<SchoolKey>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, short_name FROM schools ORDER BY short_name, slug")
        .fetch_all(pool)
        .await
}

/// Every school with its class and pupil counts in `year`, in one query.
pub async fn managed_schools(
    pool: &Pool,
    year: AcademicYear,
) -> Result<Vec<(String, ManagedSchool)>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.slug, s.short_name, s.town, \
                (SELECT COUNT(*) FROM classes c WHERE c.school_id = s.id AND c.academic_year = $1), \
                (SELECT COUNT(*) FROM class_members m JOIN classes c ON c.id = m.class_id \
                  WHERE c.school_id = s.id AND m.academic_year = $1) \
         FROM schools s ORDER BY s.short_name, s.slug",
    )
    .bind(year)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, short_name, town, class_count, pupil_count)| {
            (
                id,
                ManagedSchool {
                    slug,
                    short_name,
                    town,
                    class_count,
                    pupil_count,
                },
            )
        })
        .collect())
}

#[derive(Debug, FromRow)]
struct ClassRow {
    id: String,
    academic_year: i64,
    grade: i64,
    letter: String,
    pupil_count: i64,
}

impl From<ClassRow> for ClassSummary {
    fn from(row: ClassRow) -> Self {
        ClassSummary {
            id: row.id,
            name: format!("{}{}", row.grade, row.letter),
            academic_year: row.academic_year as AcademicYear,
            pupil_count: row.pupil_count,
        }
    }
}

const CLASS_COLUMNS: &str = "c.id, c.academic_year, c.grade, c.letter, \
     (SELECT COUNT(*) FROM class_members m WHERE m.class_id = c.id) AS pupil_count";

/// A school's classes in one year, in grade and letter order.
pub async fn list_classes(
    pool: &Pool,
    school_id: &str,
    year: AcademicYear,
) -> Result<Vec<ClassSummary>, sqlx::Error> {
    let rows: Vec<ClassRow> = sqlx::query_as(&format!(
        "SELECT {CLASS_COLUMNS} FROM classes c \
         WHERE c.school_id = $1 AND c.academic_year = $2 ORDER BY c.grade, c.letter"
    ))
    .bind(school_id)
    .bind(year)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// How many classes a school has in a year (inside a transaction).
pub async fn count_classes_in<'e, E>(
    executor: E,
    school_id: &str,
    year: AcademicYear,
) -> Result<i64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query_scalar("SELECT COUNT(*) FROM classes WHERE school_id = $1 AND academic_year = $2")
        .bind(school_id)
        .bind(year)
        .fetch_one(executor)
        .await
}

/// Puts the pupils of one class into another class of the next year; returns how many.
pub async fn copy_members<'e, E>(
    executor: E,
    from_class: &str,
    to_class: &str,
    to_year: AcademicYear,
) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let done = sqlx::query(
        "INSERT INTO class_members (pupil_id, academic_year, class_id) \
         SELECT pupil_id, $1, $2 FROM class_members WHERE class_id = $3",
    )
    .bind(to_year)
    .bind(to_class)
    .bind(from_class)
    .execute(executor)
    .await?;
    Ok(done.rows_affected())
}

/// The school of a pupil.
pub async fn find_pupil_school<'e, E>(executor: E, pupil_id: &str) -> Result<String, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query_scalar("SELECT school_id FROM pupils WHERE user_id = $1")
        .bind(pupil_id)
        .fetch_one(executor)
        .await
}

/// The academic years in which a school has classes, newest first.
pub async fn class_years(pool: &Pool, school_id: &str) -> Result<Vec<AcademicYear>, sqlx::Error> {
    let years: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT academic_year FROM classes WHERE school_id = $1 ORDER BY academic_year DESC",
    )
    .bind(school_id)
    .fetch_all(pool)
    .await?;
    Ok(years.into_iter().map(|y| y as AcademicYear).collect())
}

/// A class with the id of its school.
pub async fn find_class(
    pool: &Pool,
    class_id: &str,
) -> Result<Option<(String, ClassSummary)>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        school_id: String,
        #[sqlx(flatten)]
        class: ClassRow,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT c.school_id, {CLASS_COLUMNS} FROM classes c WHERE c.id = $1"
    ))
    .bind(class_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.school_id, r.class.into())))
}

/// The id of a class by its name in a school's year.
pub async fn find_class_id<'e, E>(
    executor: E,
    school_id: &str,
    year: AcademicYear,
    grade: u8,
    letter: char,
) -> Result<Option<String>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query_scalar(
        "SELECT id FROM classes WHERE school_id = $1 AND academic_year = $2 AND grade = $3 AND letter = $4",
    )
    .bind(school_id)
    .bind(year)
    .bind(i64::from(grade))
    .bind(letter.to_string())
    .fetch_optional(executor)
    .await
}

pub async fn insert_class<'e, E>(
    executor: E,
    school_id: &str,
    year: AcademicYear,
    grade: u8,
    letter: char,
) -> Result<String, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let id = new_id();
    sqlx::query(
        "INSERT INTO classes (id, school_id, academic_year, grade, letter, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(school_id)
    .bind(year)
    .bind(i64::from(grade))
    .bind(letter.to_string())
    .bind(now())
    .execute(executor)
    .await?;
    Ok(id)
}

#[derive(Debug, FromRow)]
struct PupilRow {
    id: String,
    surname: String,
    first_name: String,
    patronymic: Option<String>,
    username: String,
    processing_consent: i64,
    publication_consent: i64,
    parent_count: i64,
}

impl From<PupilRow> for PupilSummary {
    fn from(row: PupilRow) -> Self {
        PupilSummary {
            id: row.id,
            surname: row.surname,
            first_name: row.first_name,
            patronymic: row.patronymic,
            username: row.username,
            processing_consent: row.processing_consent > 0,
            publication_consent: row.publication_consent > 0,
            parent_count: row.parent_count,
        }
    }
}

/// The pupils of a class, alphabetically, with their consents and parent counts (one query).
pub async fn list_class_pupils(
    pool: &Pool,
    class_id: &str,
) -> Result<Vec<PupilSummary>, sqlx::Error> {
    let rows: Vec<PupilRow> = sqlx::query_as(
        "SELECT p.user_id AS id, p.surname, p.first_name, p.patronymic, u.username, \
                (SELECT COUNT(*) FROM consents k WHERE k.pupil_id = p.user_id \
                   AND k.kind = 'processing' AND k.withdrawn_at IS NULL) AS processing_consent, \
                (SELECT COUNT(*) FROM consents k WHERE k.pupil_id = p.user_id \
                   AND k.kind = 'publication' AND k.withdrawn_at IS NULL) AS publication_consent, \
                (SELECT COUNT(*) FROM parent_links l WHERE l.pupil_id = p.user_id) AS parent_count \
         FROM class_members m \
         JOIN pupils p ON p.user_id = m.pupil_id \
         JOIN users u ON u.id = p.user_id \
         WHERE m.class_id = $1 \
         ORDER BY p.surname, p.first_name, p.patronymic",
    )
    .bind(class_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Pupils of a school in a year whose name contains `query` (in [`super::search_form`]), in a
/// class, lacking a consent; at most `limit` + 1 rows (one query).
pub async fn search_pupils(
    pool: &Pool,
    school_id: &str,
    year: AcademicYear,
    query: &str,
    class_id: Option<&str>,
    lacking_consent: Option<ConsentKind>,
    limit: u32,
) -> Result<Vec<super::FoundPupil>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        pupil: PupilRow,
        grade: Option<i64>,
        letter: Option<String>,
    }
    // Wildcards typed by the user are taken literally.
    let pattern = format!(
        "%{}%",
        query
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.user_id AS id, p.surname, p.first_name, p.patronymic, u.username, \
                (SELECT COUNT(*) FROM consents k WHERE k.pupil_id = p.user_id \
                   AND k.kind = 'processing' AND k.withdrawn_at IS NULL) AS processing_consent, \
                (SELECT COUNT(*) FROM consents k WHERE k.pupil_id = p.user_id \
                   AND k.kind = 'publication' AND k.withdrawn_at IS NULL) AS publication_consent, \
                (SELECT COUNT(*) FROM parent_links l WHERE l.pupil_id = p.user_id) AS parent_count, \
                c.grade, c.letter \
         FROM pupils p \
         JOIN users u ON u.id = p.user_id \
         LEFT JOIN class_members m ON m.pupil_id = p.user_id AND m.academic_year = $2 \
         LEFT JOIN classes c ON c.id = m.class_id \
         WHERE p.school_id = $1 AND p.search_name LIKE $3 ESCAPE '\\' \
           AND ($4 IS NULL OR m.class_id = $4) \
           AND ($5 IS NULL OR NOT EXISTS (SELECT 1 FROM consents k WHERE k.pupil_id = p.user_id \
                AND k.kind = $5 AND k.withdrawn_at IS NULL)) \
         ORDER BY p.surname, p.first_name, p.patronymic, p.user_id LIMIT $6",
    )
    .bind(school_id)
    .bind(year)
    .bind(pattern)
    .bind(class_id)
    .bind(lacking_consent.map(ConsentKind::as_str))
    .bind(i64::from(limit) + 1)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| super::FoundPupil {
            pupil: r.pupil.into(),
            class_name: r.grade.zip(r.letter).map(|(g, l)| format!("{g}{l}")),
        })
        .collect())
}

/// A pupil's record.
#[derive(Debug, Clone, FromRow)]
pub struct PupilRecord {
    pub id: String,
    pub school_id: String,
    pub surname: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub username: String,
}

pub async fn find_pupil(pool: &Pool, pupil_id: &str) -> Result<Option<PupilRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.user_id AS id, p.school_id, p.surname, p.first_name, p.patronymic, u.username \
         FROM pupils p JOIN users u ON u.id = p.user_id WHERE p.user_id = $1",
    )
    .bind(pupil_id)
    .fetch_optional(pool)
    .await
}

/// The pupil's class in a year.
pub async fn pupil_class(
    pool: &Pool,
    pupil_id: &str,
    year: AcademicYear,
) -> Result<Option<ClassSummary>, sqlx::Error> {
    let row: Option<ClassRow> = sqlx::query_as(&format!(
        "SELECT {CLASS_COLUMNS} FROM class_members x JOIN classes c ON c.id = x.class_id \
         WHERE x.pupil_id = $1 AND x.academic_year = $2"
    ))
    .bind(pupil_id)
    .bind(year)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Into::into))
}

pub async fn insert_pupil<'e, E>(
    executor: E,
    user_id: &str,
    school_id: &str,
    surname: &str,
    first_name: &str,
    patronymic: Option<&str>,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let search_name = super::search_form(&super::full_name(surname, first_name, patronymic));
    sqlx::query(
        "INSERT INTO pupils (user_id, school_id, surname, first_name, patronymic, search_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(user_id)
    .bind(school_id)
    .bind(surname)
    .bind(first_name)
    .bind(patronymic)
    .bind(search_name)
    .bind(now())
    .execute(executor)
    .await
    .map(|_| ())
}

pub async fn insert_class_member<'e, E>(
    executor: E,
    pupil_id: &str,
    year: AcademicYear,
    class_id: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query("INSERT INTO class_members (pupil_id, academic_year, class_id) VALUES ($1, $2, $3)")
        .bind(pupil_id)
        .bind(year)
        .bind(class_id)
        .execute(executor)
        .await
        .map(|_| ())
}

/// Which of these usernames are taken.
pub async fn taken_usernames<'e, E>(executor: E, prefix: &str) -> Result<Vec<String>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    // Every name a generated one could collide with starts with the same base.
    sqlx::query_scalar("SELECT username FROM users WHERE substr(username, 1, length($1)) = $1")
        .bind(prefix)
        .fetch_all(executor)
        .await
}

#[derive(Debug, FromRow)]
struct ConsentRow {
    id: String,
    kind: String,
    given_on: String,
    note: String,
    withdrawn_at: Option<String>,
}

pub async fn list_consents(
    pool: &Pool,
    pupil_id: &str,
) -> Result<Vec<super::ConsentRecord>, sqlx::Error> {
    let rows: Vec<ConsentRow> = sqlx::query_as(
        "SELECT id, kind, given_on, note, withdrawn_at FROM consents WHERE pupil_id = $1 \
         ORDER BY recorded_at DESC",
    )
    .bind(pupil_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(super::ConsentRecord {
                kind: ConsentKind::parse(&row.kind)?,
                given_on: chrono::NaiveDate::parse_from_str(&row.given_on, "%Y-%m-%d").ok()?,
                id: row.id,
                note: row.note,
                withdrawn: row.withdrawn_at.is_some(),
            })
        })
        .collect())
}

pub async fn insert_consent<'e, E>(
    executor: E,
    pupil_id: &str,
    kind: ConsentKind,
    given_on: &str,
    note: &str,
    recorded_by: &str,
) -> Result<String, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let id = new_id();
    sqlx::query(
        "INSERT INTO consents (id, pupil_id, kind, given_on, note, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(pupil_id)
    .bind(kind.as_str())
    .bind(given_on)
    .bind(note)
    .bind(recorded_by)
    .bind(now())
    .execute(executor)
    .await?;
    Ok(id)
}

/// The pupil a consent belongs to, if it exists.
pub async fn consent_pupil(pool: &Pool, consent_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT pupil_id FROM consents WHERE id = $1")
        .bind(consent_id)
        .fetch_optional(pool)
        .await
}

/// Marks a consent withdrawn; false if it already was.
pub async fn withdraw_consent<'e, E>(
    executor: E,
    consent_id: &str,
    by: &str,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let done = sqlx::query(
        "UPDATE consents SET withdrawn_at = $1, withdrawn_by = $2 WHERE id = $3 AND withdrawn_at IS NULL",
    )
    .bind(now())
    .bind(by)
    .bind(consent_id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn list_parents(pool: &Pool, pupil_id: &str) -> Result<Vec<ParentSummary>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.display_name, u.username FROM parent_links l JOIN users u ON u.id = l.parent_id \
         WHERE l.pupil_id = $1 ORDER BY u.display_name",
    )
    .bind(pupil_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(display_name, username)| ParentSummary {
            display_name,
            username,
        })
        .collect())
}

/// A family invite row.
#[derive(Debug, Clone, FromRow)]
pub struct InviteRow {
    pub id: String,
    pub code_plain: Option<String>,
    pub pupil_id: String,
    pub created_at: String,
    pub expires_at: String,
    pub used_at: Option<String>,
    pub revoked_at: Option<String>,
}

const INVITE_COLUMNS: &str =
    "id, code_plain, pupil_id, created_at, expires_at, used_at, revoked_at";

pub async fn list_invites(pool: &Pool, pupil_id: &str) -> Result<Vec<InviteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {INVITE_COLUMNS} FROM family_invites WHERE pupil_id = $1 ORDER BY created_at DESC"
    ))
    .bind(pupil_id)
    .fetch_all(pool)
    .await
}

pub async fn find_invite(pool: &Pool, invite_id: &str) -> Result<Option<InviteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {INVITE_COLUMNS} FROM family_invites WHERE id = $1"
    ))
    .bind(invite_id)
    .fetch_optional(pool)
    .await
}

pub async fn find_invite_by_hash<'e, E>(
    executor: E,
    code_hash: &str,
) -> Result<Option<InviteRow>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query_as(&format!(
        "SELECT {INVITE_COLUMNS} FROM family_invites WHERE code_hash = $1"
    ))
    .bind(code_hash)
    .fetch_optional(executor)
    .await
}

pub async fn insert_invite<'e, E>(
    executor: E,
    code: &str,
    code_hash: &str,
    pupil_id: &str,
    created_by: &str,
    expires_at: &str,
) -> Result<String, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let id = new_id();
    sqlx::query(
        "INSERT INTO family_invites (id, code_hash, code_plain, pupil_id, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(code_hash)
    .bind(code)
    .bind(pupil_id)
    .bind(created_by)
    .bind(now())
    .bind(expires_at)
    .execute(executor)
    .await?;
    Ok(id)
}

pub async fn revoke_invite<'e, E>(
    executor: E,
    invite_id: &str,
    by: &str,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let done = sqlx::query(
        "UPDATE family_invites SET revoked_at = $1, revoked_by = $2, code_plain = NULL \
         WHERE id = $3 AND revoked_at IS NULL AND used_at IS NULL",
    )
    .bind(now())
    .bind(by)
    .bind(invite_id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Marks an invite used; false if someone used or revoked it first.
pub async fn use_invite<'e, E>(
    executor: E,
    invite_id: &str,
    by: &str,
    now_at: &str,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let done = sqlx::query(
        "UPDATE family_invites SET used_at = $1, used_by = $2, code_plain = NULL \
         WHERE id = $3 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $1",
    )
    .bind(now_at)
    .bind(by)
    .bind(invite_id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Forgets the plain text of codes that can no longer be used.
pub async fn erase_expired_codes<'e, E>(executor: E, now_at: &str) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query(
        "UPDATE family_invites SET code_plain = NULL WHERE code_plain IS NOT NULL AND expires_at <= $1",
    )
    .bind(now_at)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Links a parent to a pupil (nothing happens if they are linked already).
pub async fn link_parent<'e, E>(
    executor: E,
    parent_id: &str,
    pupil_id: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query(
        "INSERT INTO parent_links (parent_id, pupil_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (parent_id, pupil_id) DO NOTHING",
    )
    .bind(parent_id)
    .bind(pupil_id)
    .bind(now())
    .execute(executor)
    .await
    .map(|_| ())
}

/// A parent's children with their school and class in `year` (one query).
pub async fn children_of(
    pool: &Pool,
    parent_id: &str,
    year: AcademicYear,
) -> Result<Vec<super::ChildSummary>, sqlx::Error> {
    #[derive(FromRow)]
    struct ChildRow {
        surname: String,
        first_name: String,
        patronymic: Option<String>,
        short_name: String,
        grade: Option<i64>,
        letter: Option<String>,
    }
    let rows: Vec<ChildRow> = sqlx::query_as(
        "SELECT p.surname, p.first_name, p.patronymic, s.short_name, c.grade, c.letter \
             FROM parent_links l \
             JOIN pupils p ON p.user_id = l.pupil_id \
             JOIN schools s ON s.id = p.school_id \
             LEFT JOIN class_members m ON m.pupil_id = p.user_id AND m.academic_year = $2 \
             LEFT JOIN classes c ON c.id = m.class_id \
             WHERE l.parent_id = $1 ORDER BY p.first_name, p.surname",
    )
    .bind(parent_id)
    .bind(year)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| super::ChildSummary {
            full_name: super::full_name(&row.surname, &row.first_name, row.patronymic.as_deref()),
            school: row.short_name,
            class_name: row.grade.zip(row.letter).map(|(g, l)| format!("{g}{l}")),
        })
        .collect())
}

/// A pupil's own school and class in `year`.
pub async fn pupil_place(
    pool: &Pool,
    pupil_id: &str,
    year: AcademicYear,
) -> Result<Option<super::PupilPlace>, sqlx::Error> {
    let row: Option<(String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT s.short_name, c.grade, c.letter FROM pupils p \
         JOIN schools s ON s.id = p.school_id \
         LEFT JOIN class_members m ON m.pupil_id = p.user_id AND m.academic_year = $2 \
         LEFT JOIN classes c ON c.id = m.class_id \
         WHERE p.user_id = $1",
    )
    .bind(pupil_id)
    .bind(year)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(school, grade, letter)| super::PupilPlace {
        school,
        class_name: grade.zip(letter).map(|(g, l)| format!("{g}{l}")),
    }))
}

/// A roster import row.
#[derive(Debug, Clone, FromRow)]
pub struct ImportRow {
    pub id: String,
    pub school_id: String,
    pub created_by: Option<String>,
    pub academic_year: i64,
    pub file_name: String,
    pub status: String,
    pub rows_json: String,
    pub problems_json: String,
    pub cards_json: Option<String>,
    pub cards_expire_at: Option<String>,
}

pub struct NewImport<'a> {
    pub school_id: &'a str,
    pub created_by: &'a str,
    pub academic_year: AcademicYear,
    pub file_name: &'a str,
    pub status: super::ImportStatus,
    pub rows_json: &'a str,
    pub problems_json: &'a str,
}

pub async fn insert_import<'e, E>(executor: E, import: NewImport<'_>) -> Result<String, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let id = new_id();
    sqlx::query(
        "INSERT INTO roster_imports (id, school_id, created_by, created_at, academic_year, file_name, status, rows_json, problems_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(import.school_id)
    .bind(import.created_by)
    .bind(now())
    .bind(import.academic_year)
    .bind(import.file_name)
    .bind(import.status.as_str())
    .bind(import.rows_json)
    .bind(import.problems_json)
    .execute(executor)
    .await?;
    Ok(id)
}

pub async fn find_import<'e, E>(executor: E, id: &str) -> Result<Option<ImportRow>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query_as(
        "SELECT id, school_id, created_by, academic_year, file_name, status, rows_json, problems_json, \
                cards_json, cards_expire_at FROM roster_imports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(executor)
    .await
}

/// Marks an import done with its cards; false if it was no longer a preview.
pub async fn finish_import<'e, E>(
    executor: E,
    id: &str,
    rows_json: &str,
    cards_json: &str,
    cards_expire_at: &str,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let done = sqlx::query(
        "UPDATE roster_imports SET status = 'done', rows_json = $1, cards_json = $2, cards_expire_at = $3, done_at = $4 \
         WHERE id = $5 AND status = 'preview'",
    )
    .bind(rows_json)
    .bind(cards_json)
    .bind(cards_expire_at)
    .bind(now())
    .bind(id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn cancel_import(pool: &Pool, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE roster_imports SET status = 'cancelled' WHERE id = $1 AND status = 'preview'",
    )
    .bind(id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Erases the login cards of an import (printed), or of every import whose cards expired.
pub async fn erase_cards(pool: &Pool, id: Option<&str>, now_at: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE roster_imports SET cards_json = NULL, cards_expire_at = NULL \
         WHERE cards_json IS NOT NULL AND (id = $1 OR cards_expire_at <= $2)",
    )
    .bind(id.unwrap_or(""))
    .bind(now_at)
    .execute(pool)
    .await
    .map(|_| ())
}

pub async fn username_of<'e, E>(executor: E, user_id: &str) -> Result<String, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query_scalar("SELECT username FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(executor)
        .await
}

/// A school's librarians and supervisors with their roles there, by name (one query).
pub async fn list_staff(
    pool: &Pool,
    school_id: &str,
) -> Result<Vec<super::StaffMember>, sqlx::Error> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.username, r.role FROM user_roles r \
         JOIN users u ON u.id = r.user_id \
         WHERE r.school_id = $1 AND r.role IN ('librarian', 'supervisor') \
         ORDER BY u.display_name, u.id, r.role",
    )
    .bind(school_id)
    .fetch_all(pool)
    .await?;
    let mut staff: Vec<super::StaffMember> = Vec::new();
    for (id, display_name, username, role) in rows {
        let Some(role) = crate::accounts::Role::parse(&role) else {
            continue;
        };
        match staff.last_mut() {
            Some(last) if last.id == id => last.roles.push(role),
            _ => staff.push(super::StaffMember {
                id,
                display_name,
                username,
                roles: vec![role],
            }),
        }
    }
    Ok(staff)
}

/// One line of the audit log, with the school it concerns.
pub async fn audit<'e, E>(
    executor: E,
    actor_id: &str,
    action: &str,
    subject_id: Option<&str>,
    school_id: &str,
    detail: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_id, action, subject_id, school_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(now())
    .bind(actor_id)
    .bind(action)
    .bind(subject_id)
    .bind(school_id)
    .bind(detail)
    .execute(executor)
    .await
    .map(|_| ())
}
