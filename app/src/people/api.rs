//! Server functions for a school's people. Each asks the policy module first; staff functions
//! find the school of the object they touch and ask about that school.

use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};

use super::{
    CardsSheet, ClassDetail, FamilyView, ImportView, ManagedSchool, PupilDetail, PupilSearch,
    SchoolPeople,
};
use crate::error::AppError;

/// The schools the signed-in staff member manages, with their numbers this year.
#[server]
pub async fn manage_overview() -> Result<Vec<ManagedSchool>, AppError> {
    let user = ssr::require(|u| {
        crate::accounts::policy::may(u, crate::accounts::policy::Action::ManagePeopleAnywhere)
    })
    .await?;
    ssr::manage_overview(user).await
}

/// A school's classes in an academic year (the current one by default).
#[server]
pub async fn load_school_people(
    slug: String,
    year: Option<i32>,
    staff_role: Option<String>,
) -> Result<SchoolPeople, AppError> {
    let (user, school) = ssr::staff_of_school_slug(&slug).await?;
    ssr::load_school_people(user, school, year, staff_role).await
}

/// Creates a class («7Б») in a school's academic year.
#[server]
pub async fn create_class(slug: String, year: i32, name: String) -> Result<(), AppError> {
    let (user, school) = ssr::staff_of_school_slug(&slug).await?;
    ssr::create_class(user, school, year, name).await
}

/// Moves every pupil of a year's classes to the next grade in the next year (7Б → 8Б); the
/// eleventh grade leaves. Refused when the next year already has classes.
#[server]
pub async fn promote_year(slug: String, year: i32) -> Result<(), AppError> {
    let (user, school) = ssr::staff_of_school_slug(&slug).await?;
    ssr::promote_year(user, school, year).await
}

/// Creates a staff account (`role`: supervisor or librarian) in a school; goes to its card.
#[server]
pub async fn create_staff(
    slug: String,
    display_name: String,
    username: String,
    role: String,
) -> Result<(), AppError> {
    let (user, school) = ssr::staff_of_school_slug(&slug).await?;
    ssr::create_staff(user, school, display_name, username, role).await
}

/// Gives a pupil or staff member a new generated password (their sessions end); goes to a
/// login card with it, shown to this person only, until printed.
#[server]
pub async fn reset_password(user_id: String) -> Result<(), AppError> {
    let (user, school, target) = ssr::resettable(&user_id).await?;
    ssr::reset_password(user, school, target).await
}

/// A school's pupils this year: by name (`q`), class and missing consent (`consent`:
/// `no_publication` or `no_processing`).
#[server]
pub async fn search_pupils(
    slug: String,
    q: Option<String>,
    class: Option<String>,
    consent: Option<String>,
    year: Option<i32>,
) -> Result<PupilSearch, AppError> {
    let (_, school) = ssr::staff_of_school_slug(&slug).await?;
    ssr::search_pupils(school, q, class, consent, year).await
}

/// A class and its pupils.
#[server]
pub async fn load_class(id: String) -> Result<ClassDetail, AppError> {
    let (_, school, class) = ssr::staff_of_class(&id).await?;
    ssr::load_class(school, class).await
}

/// Adds one pupil to a class; goes to the pupil's login card.
#[server]
pub async fn add_pupil(
    class_id: String,
    surname: String,
    first_name: String,
    patronymic: Option<String>,
) -> Result<(), AppError> {
    let (user, school, class) = ssr::staff_of_class(&class_id).await?;
    ssr::add_pupil(user, school, class, surname, first_name, patronymic).await
}

/// Reads a class roster file (fields `slug`, `year`, `file`) and shows what importing it would
/// do, or every problem it has. Nothing is created yet.
#[server(input = MultipartFormData)]
pub async fn upload_roster(data: MultipartData) -> Result<(), AppError> {
    // The school is named inside the form data: read it, then ask the policy before parsing.
    let form = ssr::read_roster_form(data).await?;
    let (user, school) = ssr::staff_of_school_slug(&form.slug).await?;
    ssr::upload_roster(user, school, form).await
}

/// A roster import's preview or report.
#[server]
pub async fn load_import(id: String) -> Result<ImportView, AppError> {
    let (_, school, import) = ssr::staff_of_import(&id).await?;
    ssr::load_import(school, import).await
}

/// Creates the accounts of a previewed import; goes to the login cards.
#[server]
pub async fn confirm_import(id: String) -> Result<(), AppError> {
    let (user, school, import) = ssr::staff_of_import(&id).await?;
    ssr::confirm_import(user, school, import).await
}

/// Drops a previewed import.
#[server]
pub async fn cancel_import(id: String) -> Result<(), AppError> {
    let (user, school, import) = ssr::staff_of_import(&id).await?;
    ssr::cancel_import(user, school, import).await
}

/// The login cards of a confirmed import, while they are kept.
#[server]
pub async fn load_cards(id: String) -> Result<CardsSheet, AppError> {
    let (_, school, import) = ssr::staff_of_import(&id).await?;
    ssr::load_cards(school, import).await
}

/// Erases the initial passwords of an import's cards once they are printed.
#[server]
pub async fn forget_cards(id: String) -> Result<(), AppError> {
    let (user, school, import) = ssr::staff_of_import(&id).await?;
    ssr::forget_cards(user, school, import).await
}

/// A pupil's page for staff: class, consents, family invites, parents.
#[server]
pub async fn load_pupil(id: String) -> Result<PupilDetail, AppError> {
    let (_, school, pupil) = ssr::staff_of_pupil(&id).await?;
    ssr::load_pupil(school, pupil).await
}

/// Records a parent's consent for a pupil (`kind`: processing or publication).
#[server]
pub async fn record_consent(
    pupil_id: String,
    kind: String,
    given_on: String,
    note: String,
) -> Result<(), AppError> {
    let (user, school, pupil) = ssr::staff_of_pupil(&pupil_id).await?;
    ssr::record_consent(user, school, pupil, kind, given_on, note).await
}

/// Records that a consent was withdrawn.
#[server]
pub async fn withdraw_consent(id: String) -> Result<(), AppError> {
    let (user, school, pupil) = ssr::staff_of_consent(&id).await?;
    ssr::withdraw_consent(user, school, pupil, id).await
}

/// Creates a family invite code for a pupil, valid for `days` days.
#[server]
pub async fn create_invite(pupil_id: String, days: u32) -> Result<(), AppError> {
    let (user, school, pupil) = ssr::staff_of_pupil(&pupil_id).await?;
    ssr::create_invite(user, school, pupil, days).await
}

/// Revokes a family invite that has not been used.
#[server]
pub async fn revoke_invite(id: String) -> Result<(), AppError> {
    let (user, school, pupil, invite) = ssr::staff_of_invite(&id).await?;
    ssr::revoke_invite(user, school, pupil, invite).await
}

/// Registers a parent account with a family invite code, signs it in and links the child.
#[server]
pub async fn register_parent(
    code: String,
    display_name: String,
    username: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::accounts::policy::{may, Action};
    let user = crate::accounts::api::ssr::signed_in_user().await?;
    if !may(user.as_ref(), Action::RegisterWithInvite) {
        return Err(AppError::Forbidden);
    }
    ssr::register_parent(code, display_name, username, password, confirm).await
}

/// Links the signed-in account to a child with a family invite code.
#[server]
pub async fn claim_invite(code: String) -> Result<(), AppError> {
    let user = ssr::require(|u| {
        crate::accounts::policy::may(u, crate::accounts::policy::Action::ClaimInvite)
    })
    .await?;
    ssr::claim_invite(user, code).await
}

/// The signed-in person's children (parents) and own school and class (pupils).
#[server]
pub async fn my_family() -> Result<FamilyView, AppError> {
    let user = ssr::require(|u| {
        crate::accounts::policy::may(u, crate::accounts::policy::Action::ViewOwnFamily)
    })
    .await?;
    ssr::my_family(user).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use chrono::{Duration, NaiveDate, Utc};
    use server_fn::codec::MultipartData;

    use crate::accounts::api::ssr::{client_address, locked_for, signed_in_user, start_session};
    use crate::accounts::policy::{may, Action};
    use crate::accounts::{db as accounts_db, password, CurrentUser, Role, Username};
    use crate::db::begin_write;
    use crate::error::{AppError, FieldError, FieldProblem};
    use crate::people::db::{self, ImportRow, InviteRow, NewImport, PupilRecord, SchoolKey};
    use crate::people::{
        academic_year_of, full_name, invite_code, public_name, AcademicYear, CardsSheet,
        ClassDetail, ClassName, ClassSummary, ConsentKind, FamilyView, FileProblem, ImportStatus,
        ImportView, InviteRecord, InviteStatus, LoginCard, ManagedSchool, PlannedPupil,
        PupilDetail, PupilSearch, SchoolPeople, SchoolRef,
    };
    use crate::roster::{self, RosterError, RosterRow, RowError};
    use crate::state::app_state;

    /// Initial passwords on login cards are kept this long unless staff mark them printed.
    pub const CARDS_KEPT_HOURS: i64 = 24;
    /// The longest a family invite may be valid.
    pub const MAX_INVITE_DAYS: u32 = 90;
    /// Failed invite codes allowed per client address in the sign-in window.
    pub const MAX_CODE_FAILURES_PER_ADDRESS: i64 = 10;
    /// The largest roster file read (a class list is a few kilobytes).
    pub const MAX_ROSTER_BYTES: usize = 512 * 1024;

    fn field(field: &str, problem: FieldProblem) -> FieldError {
        FieldError {
            field: field.into(),
            problem,
        }
    }

    fn today() -> NaiveDate {
        // Dates of school life are the district's; Vladivostok time is near enough for the
        // academic year and expiry days, and exact for the demo district.
        let tz: chrono_tz::Tz = chrono_tz::Asia::Vladivostok;
        Utc::now().with_timezone(&tz).date_naive()
    }

    pub fn current_year() -> AcademicYear {
        academic_year_of(today())
    }

    use crate::db::stamp;

    fn school_ref(school: &SchoolKey) -> SchoolRef {
        SchoolRef {
            slug: school.slug.clone(),
            short_name: school.short_name.clone(),
        }
    }

    /// The signed-in user if `allowed` says yes; 401 for visitors, 403 for others.
    pub async fn require(
        allowed: impl Fn(Option<&CurrentUser>) -> bool,
    ) -> Result<CurrentUser, AppError> {
        let user = signed_in_user().await?;
        if !allowed(user.as_ref()) {
            return Err(if user.is_some() {
                AppError::Forbidden
            } else {
                AppError::Unauthorized
            });
        }
        user.ok_or(AppError::Unauthorized)
    }

    /// Someone with a staff office (administrator, coordinator, librarian). Visitors and
    /// people without one learn nothing about what exists.
    async fn office_user() -> Result<CurrentUser, AppError> {
        require(|u| may(u, Action::ManagePeopleAnywhere)).await
    }

    /// Whether `user` manages the people of the school with this id.
    fn check_school(user: &CurrentUser, school_id: &str) -> Result<(), AppError> {
        if may(Some(user), Action::ManageSchoolPeople { school_id }) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub async fn staff_of_school_slug(slug: &str) -> Result<(CurrentUser, SchoolKey), AppError> {
        let user = office_user().await?;
        let state = app_state()?;
        let school = db::find_school(&state.pool, slug)
            .await?
            .ok_or(AppError::NotFound)?;
        check_school(&user, &school.id)?;
        Ok((user, school))
    }

    async fn school_by_id(school_id: &str) -> Result<SchoolKey, AppError> {
        let state = app_state()?;
        db::find_school_by_id(&state.pool, school_id)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn staff_of_class(
        class_id: &str,
    ) -> Result<(CurrentUser, SchoolKey, ClassSummary), AppError> {
        let user = office_user().await?;
        let state = app_state()?;
        let (school_id, class) = db::find_class(&state.pool, class_id)
            .await?
            .ok_or(AppError::NotFound)?;
        check_school(&user, &school_id)?;
        Ok((user, school_by_id(&school_id).await?, class))
    }

    async fn pupil_for(
        user: CurrentUser,
        pupil_id: &str,
    ) -> Result<(CurrentUser, SchoolKey, PupilRecord), AppError> {
        let state = app_state()?;
        let pupil = db::find_pupil(&state.pool, pupil_id)
            .await?
            .ok_or(AppError::NotFound)?;
        check_school(&user, &pupil.school_id)?;
        Ok((user, school_by_id(&pupil.school_id).await?, pupil))
    }

    pub async fn staff_of_pupil(
        pupil_id: &str,
    ) -> Result<(CurrentUser, SchoolKey, PupilRecord), AppError> {
        pupil_for(office_user().await?, pupil_id).await
    }

    pub async fn staff_of_consent(
        consent_id: &str,
    ) -> Result<(CurrentUser, SchoolKey, PupilRecord), AppError> {
        let user = office_user().await?;
        let state = app_state()?;
        let pupil_id = db::consent_pupil(&state.pool, consent_id)
            .await?
            .ok_or(AppError::NotFound)?;
        pupil_for(user, &pupil_id).await
    }

    pub async fn staff_of_invite(
        invite_id: &str,
    ) -> Result<(CurrentUser, SchoolKey, PupilRecord, InviteRow), AppError> {
        let user = office_user().await?;
        let state = app_state()?;
        let invite = db::find_invite(&state.pool, invite_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (user, school, pupil) = pupil_for(user, &invite.pupil_id).await?;
        Ok((user, school, pupil, invite))
    }

    pub async fn staff_of_import(
        import_id: &str,
    ) -> Result<(CurrentUser, SchoolKey, ImportRow), AppError> {
        let user = office_user().await?;
        let state = app_state()?;
        let import = db::find_import(&state.pool, import_id)
            .await?
            .ok_or(AppError::NotFound)?;
        check_school(&user, &import.school_id)?;
        Ok((user, school_by_id(&import.school_id).await?, import))
    }

    pub async fn manage_overview(user: CurrentUser) -> Result<Vec<ManagedSchool>, AppError> {
        let state = app_state()?;
        let schools = db::managed_schools(&state.pool, current_year()).await?;
        Ok(schools
            .into_iter()
            .filter(|(id, _)| may(Some(&user), Action::ManageSchoolPeople { school_id: id }))
            .map(|(_, school)| school)
            .collect())
    }

    pub async fn load_school_people(
        user: CurrentUser,
        school: SchoolKey,
        year: Option<i32>,
        staff_role: Option<String>,
    ) -> Result<SchoolPeople, AppError> {
        let state = app_state()?;
        let current = current_year();
        let year = year
            .filter(|y| (2000..=2100).contains(y))
            .unwrap_or(current);
        let classes = db::list_classes(&state.pool, &school.id, year).await?;
        let mut years = db::class_years(&state.pool, &school.id).await?;
        for y in [current, year] {
            if !years.contains(&y) {
                years.push(y);
            }
        }
        years.sort_unstable_by(|a, b| b.cmp(a));
        let next_year_has_classes =
            db::count_classes_in(&state.pool, &school.id, year + 1).await? > 0;
        let staff_role = staff_role.as_deref().and_then(Role::parse);
        let staff = db::list_staff(&state.pool, &school.id)
            .await?
            .into_iter()
            .filter(|m| staff_role.is_none_or(|r| m.roles.contains(&r)))
            .collect();
        Ok(SchoolPeople {
            school: school_ref(&school),
            academic_year: year,
            years,
            classes,
            next_year_has_classes,
            staff,
            staff_role,
            may_add_librarians: may(
                Some(&user),
                Action::CreateStaff {
                    school_id: &school.id,
                    role: Role::Librarian,
                },
            ),
        })
    }

    fn parse_year(year: i32) -> Result<AcademicYear, AppError> {
        let current = current_year();
        if (current - 1..=current + 1).contains(&year) {
            Ok(year)
        } else {
            Err(AppError::Invalid(vec![field(
                "year",
                FieldProblem::Invalid,
            )]))
        }
    }

    pub async fn create_class(
        user: CurrentUser,
        school: SchoolKey,
        year: i32,
        name: String,
    ) -> Result<(), AppError> {
        let year = parse_year(year)?;
        let class = ClassName::parse(&name)
            .ok_or_else(|| AppError::Invalid(vec![field("name", FieldProblem::BadClassName)]))?;
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        if db::find_class_id(&mut *tx, &school.id, year, class.grade, class.letter)
            .await?
            .is_some()
        {
            return Err(AppError::Invalid(vec![field("name", FieldProblem::Taken)]));
        }
        let id = db::insert_class(&mut *tx, &school.id, year, class.grade, class.letter).await?;
        db::audit(
            &mut *tx,
            &user.id,
            "create_class",
            Some(&id),
            &school.id,
            &format!("{class} {}", crate::people::academic_year_label(year)),
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/{}?year={year}", school.slug));
        Ok(())
    }

    pub async fn promote_year(
        user: CurrentUser,
        school: SchoolKey,
        year: i32,
    ) -> Result<(), AppError> {
        let year = parse_year(year)?;
        let state = app_state()?;
        let classes = db::list_classes(&state.pool, &school.id, year).await?;
        let mut tx = begin_write(&state.pool).await?;
        if db::count_classes_in(&mut *tx, &school.id, year + 1).await? > 0 {
            return Err(AppError::Invalid(vec![field("year", FieldProblem::Taken)]));
        }
        let mut moved = 0usize;
        for class in &classes {
            let Some(name) = ClassName::parse(&class.name) else {
                continue;
            };
            let Some(next) = name.next() else { continue };
            let next_id =
                db::insert_class(&mut *tx, &school.id, year + 1, next.grade, next.letter).await?;
            moved += db::copy_members(&mut *tx, &class.id, &next_id, year + 1).await? as usize;
        }
        db::audit(
            &mut *tx,
            &user.id,
            "promote_year",
            None,
            &school.id,
            &format!(
                "{} → {}: {moved}",
                crate::people::academic_year_label(year),
                crate::people::academic_year_label(year + 1)
            ),
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/{}?year={}", school.slug, year + 1));
        Ok(())
    }

    pub async fn load_class(
        school: SchoolKey,
        class: ClassSummary,
    ) -> Result<ClassDetail, AppError> {
        let state = app_state()?;
        let pupils = db::list_class_pupils(&state.pool, &class.id).await?;
        Ok(ClassDetail {
            school: school_ref(&school),
            class,
            pupils,
        })
    }

    /// The rows of a roster, checked, with the usernames they will get: unique among the
    /// accounts that exist and among themselves.
    async fn plan(
        executor: &mut sqlx::SqliteConnection,
        rows: &[RosterRow],
    ) -> Result<Vec<PlannedPupil>, AppError> {
        let mut planned: Vec<PlannedPupil> = Vec::with_capacity(rows.len());
        for row in rows {
            let base = roster::username_base(&row.surname, &row.first_name);
            let taken = db::taken_usernames(&mut *executor, &base).await?;
            let username = roster::unique_username(&base, |candidate| {
                taken.iter().any(|t| t == candidate)
                    || planned.iter().any(|p| p.username == candidate)
            });
            planned.push(PlannedPupil {
                line: row.line,
                surname: row.surname.clone(),
                first_name: row.first_name.clone(),
                patronymic: row.patronymic.clone(),
                class_name: row.class_name.to_string(),
                username,
            });
        }
        Ok(planned)
    }

    /// What the upload form sent.
    pub struct RosterForm {
        pub slug: String,
        pub year: Option<i32>,
        pub file_name: String,
        pub bytes: Vec<u8>,
    }

    pub async fn read_roster_form(data: MultipartData) -> Result<RosterForm, AppError> {
        let mut multipart = data.into_inner().ok_or(AppError::BadRequest)?;
        let mut form = RosterForm {
            slug: String::new(),
            year: None,
            file_name: String::new(),
            bytes: Vec::new(),
        };
        while let Some(mut part) = multipart
            .next_field()
            .await
            .map_err(|_| AppError::BadRequest)?
        {
            match part.name().unwrap_or_default() {
                "slug" => form.slug = part.text().await.map_err(|_| AppError::BadRequest)?,
                "year" => {
                    form.year = part
                        .text()
                        .await
                        .map_err(|_| AppError::BadRequest)?
                        .trim()
                        .parse()
                        .ok()
                }
                "file" => {
                    form.file_name = part
                        .file_name()
                        .map(|n| n.chars().take(200).collect())
                        .unwrap_or_default();
                    while let Some(chunk) = part.chunk().await.map_err(|_| AppError::BadRequest)? {
                        if form.bytes.len() + chunk.len() > MAX_ROSTER_BYTES {
                            return Err(AppError::Invalid(vec![field(
                                "file",
                                FieldProblem::FileTooLarge {
                                    max_kib: MAX_ROSTER_BYTES / 1024,
                                },
                            )]));
                        }
                        form.bytes.extend_from_slice(&chunk);
                    }
                }
                _ => {}
            }
        }
        Ok(form)
    }

    pub async fn upload_roster(
        user: CurrentUser,
        school: SchoolKey,
        form: RosterForm,
    ) -> Result<(), AppError> {
        let year = parse_year(form.year.unwrap_or_else(current_year))?;
        if form.bytes.is_empty() {
            return Err(AppError::Invalid(vec![field(
                "file",
                FieldProblem::Required,
            )]));
        }
        let state = app_state()?;
        let (status, planned, problems, file_problem) = match roster::parse_roster(&form.bytes) {
            Ok(rows) => {
                let mut conn = state.pool.acquire().await?;
                (
                    ImportStatus::Preview,
                    plan(&mut conn, &rows).await?,
                    Vec::new(),
                    None,
                )
            }
            Err(RosterError::Rows(problems)) => {
                (ImportStatus::Rejected, Vec::new(), problems, None)
            }
            Err(RosterError::Empty) => (
                ImportStatus::Rejected,
                Vec::new(),
                Vec::new(),
                Some(FileProblem::Empty),
            ),
            Err(RosterError::TooManyRows { max }) => (
                ImportStatus::Rejected,
                Vec::new(),
                Vec::new(),
                Some(FileProblem::TooManyRows { max }),
            ),
            Err(RosterError::Unreadable) => (
                ImportStatus::Rejected,
                Vec::new(),
                Vec::new(),
                Some(FileProblem::Unreadable),
            ),
        };
        let rows_json =
            serde_json::to_string(&planned).map_err(|e| AppError::internal("roster rows", e))?;
        let problems_json = serde_json::to_string(&(problems, file_problem))
            .map_err(|e| AppError::internal("roster problems", e))?;
        let file_name = if form.file_name.trim().is_empty() {
            "roster.csv".to_owned()
        } else {
            form.file_name
        };
        let id = db::insert_import(
            &state.pool,
            NewImport {
                school_id: &school.id,
                created_by: &user.id,
                academic_year: year,
                file_name: &file_name,
                status,
                rows_json: &rows_json,
                problems_json: &problems_json,
            },
        )
        .await?;
        leptos_axum::redirect(&format!("/manage/imports/{id}"));
        Ok(())
    }

    /// An import's planned pupils, row problems and file problem, as stored.
    type ImportParts = (Vec<PlannedPupil>, Vec<RowError>, Option<FileProblem>);

    fn import_parts(import: &ImportRow) -> Result<ImportParts, AppError> {
        let pupils: Vec<PlannedPupil> = serde_json::from_str(&import.rows_json)
            .map_err(|e| AppError::internal("stored roster rows", e))?;
        let (problems, file_problem): (Vec<RowError>, Option<FileProblem>) =
            serde_json::from_str(&import.problems_json)
                .map_err(|e| AppError::internal("stored roster problems", e))?;
        Ok((pupils, problems, file_problem))
    }

    fn status_of(import: &ImportRow) -> Result<ImportStatus, AppError> {
        ImportStatus::parse(&import.status)
            .ok_or_else(|| AppError::internal("import status", &import.status))
    }

    pub async fn load_import(school: SchoolKey, import: ImportRow) -> Result<ImportView, AppError> {
        let state = app_state()?;
        let (pupils, row_problems, file_problem) = import_parts(&import)?;
        let status = status_of(&import)?;
        let year = import.academic_year as AcademicYear;
        let mut new_classes: Vec<String> = Vec::new();
        if status == ImportStatus::Preview {
            let existing = db::list_classes(&state.pool, &school.id, year).await?;
            for pupil in &pupils {
                if !existing.iter().any(|c| c.name == pupil.class_name)
                    && !new_classes.contains(&pupil.class_name)
                {
                    new_classes.push(pupil.class_name.clone());
                }
            }
        }
        Ok(ImportView {
            id: import.id.clone(),
            school: school_ref(&school),
            academic_year: year,
            file_name: import.file_name.clone(),
            status,
            pupils,
            row_problems,
            file_problem,
            new_classes,
            cards_available: cards_kept(&import),
        })
    }

    fn cards_kept(import: &ImportRow) -> bool {
        import.cards_json.is_some()
            && import
                .cards_expire_at
                .as_deref()
                .is_some_and(|at| at > stamp(Utc::now()).as_str())
    }

    /// Initial passwords and their hashes, made before the write transaction starts (hashing
    /// takes tens of milliseconds each, and the transaction holds the database's write lock).
    async fn credentials(count: usize) -> Result<Vec<(String, String)>, AppError> {
        let mut made = Vec::with_capacity(count);
        for _ in 0..count {
            let initial = roster::readable_password()
                .map_err(|e| AppError::internal("random password", e))?;
            let hash = password::hash(initial.clone())
                .await
                .map_err(|e| AppError::internal("hashing a password", e))?;
            made.push((initial, hash));
        }
        Ok(made)
    }

    /// Creates the pupils of a roster in one transaction: all of them or none.
    async fn create_pupils(
        tx: &mut sqlx::SqliteConnection,
        user: &CurrentUser,
        school: &SchoolKey,
        year: AcademicYear,
        planned: &[PlannedPupil],
        credentials: Vec<(String, String)>,
    ) -> Result<(Vec<PlannedPupil>, Vec<LoginCard>), AppError> {
        // Usernames are checked again: accounts may have been created since the preview.
        let rows: Vec<RosterRow> = planned
            .iter()
            .map(|p| {
                Ok(RosterRow {
                    line: p.line,
                    surname: p.surname.clone(),
                    first_name: p.first_name.clone(),
                    patronymic: p.patronymic.clone(),
                    class_name: ClassName::parse(&p.class_name)
                        .ok_or_else(|| AppError::internal("stored class name", &p.class_name))?,
                })
            })
            .collect::<Result<_, AppError>>()?;
        let planned = plan(&mut *tx, &rows).await?;
        let mut cards = Vec::with_capacity(planned.len());
        let mut class_ids: Vec<(String, String)> = Vec::new();
        for ((pupil, row), (initial, hash)) in planned.iter().zip(&rows).zip(credentials) {
            let class_id = match class_ids.iter().find(|(name, _)| *name == pupil.class_name) {
                Some((_, id)) => id.clone(),
                None => {
                    let class = &row.class_name;
                    let id = match db::find_class_id(
                        &mut *tx,
                        &school.id,
                        year,
                        class.grade,
                        class.letter,
                    )
                    .await?
                    {
                        Some(id) => id,
                        None => {
                            db::insert_class(&mut *tx, &school.id, year, class.grade, class.letter)
                                .await?
                        }
                    };
                    class_ids.push((pupil.class_name.clone(), id.clone()));
                    id
                }
            };
            let display = format!("{} {}", pupil.first_name, pupil.surname);
            let id = accounts_db::insert_user(&mut *tx, &pupil.username, &display, &hash).await?;
            accounts_db::insert_role(&mut *tx, &id, Role::Pupil, Some(&school.id)).await?;
            db::insert_pupil(
                &mut *tx,
                &id,
                &school.id,
                &pupil.surname,
                &pupil.first_name,
                pupil.patronymic.as_deref(),
            )
            .await?;
            db::insert_class_member(&mut *tx, &id, year, &class_id).await?;
            db::audit(
                &mut *tx,
                &user.id,
                "create_pupil",
                Some(&id),
                &school.id,
                &pupil.username,
            )
            .await?;
            cards.push(LoginCard {
                full_name: full_name(
                    &pupil.surname,
                    &pupil.first_name,
                    pupil.patronymic.as_deref(),
                ),
                class_name: pupil.class_name.clone(),
                username: pupil.username.clone(),
                password: initial,
            });
        }
        Ok((planned, cards))
    }

    async fn finish(
        tx: &mut sqlx::SqliteConnection,
        import_id: &str,
        planned: &[PlannedPupil],
        cards: &[LoginCard],
    ) -> Result<(), AppError> {
        let rows_json =
            serde_json::to_string(planned).map_err(|e| AppError::internal("roster rows", e))?;
        let cards_json =
            serde_json::to_string(cards).map_err(|e| AppError::internal("login cards", e))?;
        let expire = stamp(Utc::now() + Duration::hours(CARDS_KEPT_HOURS));
        if !db::finish_import(&mut *tx, import_id, &rows_json, &cards_json, &expire).await? {
            return Err(AppError::Conflict);
        }
        Ok(())
    }

    pub async fn confirm_import(
        user: CurrentUser,
        school: SchoolKey,
        import: ImportRow,
    ) -> Result<(), AppError> {
        if status_of(&import)? != ImportStatus::Preview {
            return Err(AppError::Conflict);
        }
        let (pupils, _, _) = import_parts(&import)?;
        let state = app_state()?;
        let made = credentials(pupils.len()).await?;
        let mut tx = begin_write(&state.pool).await?;
        let year = import.academic_year as AcademicYear;
        let (planned, cards) = create_pupils(&mut tx, &user, &school, year, &pupils, made).await?;
        finish(&mut tx, &import.id, &planned, &cards).await?;
        db::audit(
            &mut *tx,
            &user.id,
            "import_roster",
            Some(&import.id),
            &school.id,
            &format!("{}: {}", import.file_name, cards.len()),
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/imports/{}/cards", import.id));
        Ok(())
    }

    pub async fn add_pupil(
        user: CurrentUser,
        school: SchoolKey,
        class: ClassSummary,
        surname: String,
        first_name: String,
        patronymic: Option<String>,
    ) -> Result<(), AppError> {
        let name_problem = |field_name: &str, value: &str, required: bool| {
            let value = value.trim();
            if value.is_empty() {
                return required.then(|| field(field_name, FieldProblem::Required));
            }
            if value.chars().count() > roster::MAX_NAME_CHARS {
                return Some(field(
                    field_name,
                    FieldProblem::TooLong {
                        max: roster::MAX_NAME_CHARS,
                    },
                ));
            }
            let ok = value
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.'));
            (!ok).then(|| field(field_name, FieldProblem::BadName))
        };
        let patronymic = patronymic.filter(|p| !p.trim().is_empty());
        let problems: Vec<FieldError> = [
            name_problem("surname", &surname, true),
            name_problem("first_name", &first_name, true),
            patronymic
                .as_deref()
                .and_then(|p| name_problem("patronymic", p, false)),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let planned = vec![PlannedPupil {
            line: 1,
            surname: roster::tidy_name(&surname),
            first_name: roster::tidy_name(&first_name),
            patronymic: patronymic.map(|p| roster::tidy_name(&p)),
            class_name: class.name.clone(),
            username: String::new(),
        }];
        let state = app_state()?;
        let rows_json =
            serde_json::to_string(&planned).map_err(|e| AppError::internal("pupil row", e))?;
        let made = credentials(1).await?;
        let mut tx = begin_write(&state.pool).await?;
        let import_id = db::insert_import(
            &mut *tx,
            NewImport {
                school_id: &school.id,
                created_by: &user.id,
                academic_year: class.academic_year,
                file_name: "",
                status: ImportStatus::Preview,
                rows_json: &rows_json,
                problems_json: "[[],null]",
            },
        )
        .await?;
        let (planned, cards) =
            create_pupils(&mut tx, &user, &school, class.academic_year, &planned, made).await?;
        finish(&mut tx, &import_id, &planned, &cards).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/imports/{import_id}/cards"));
        Ok(())
    }

    pub async fn cancel_import(
        user: CurrentUser,
        school: SchoolKey,
        import: ImportRow,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        if !db::cancel_import(&state.pool, &import.id).await? {
            return Err(AppError::Conflict);
        }
        db::audit(
            &state.pool,
            &user.id,
            "cancel_import",
            Some(&import.id),
            &school.id,
            &import.file_name,
        )
        .await?;
        leptos_axum::redirect(&format!("/manage/{}", school.slug));
        Ok(())
    }

    pub async fn load_cards(school: SchoolKey, import: ImportRow) -> Result<CardsSheet, AppError> {
        let state = app_state()?;
        db::erase_cards(&state.pool, None, &stamp(Utc::now())).await?;
        if !cards_kept(&import) {
            return Err(AppError::Gone);
        }
        let cards: Vec<LoginCard> =
            serde_json::from_str(import.cards_json.as_deref().unwrap_or("[]"))
                .map_err(|e| AppError::internal("stored cards", e))?;
        Ok(CardsSheet {
            school: school_ref(&school),
            import_id: import.id,
            sign_in_address: format!("{}/login", state.settings.public_url),
            cards,
        })
    }

    pub async fn forget_cards(
        user: CurrentUser,
        school: SchoolKey,
        import: ImportRow,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        db::erase_cards(&state.pool, Some(&import.id), &stamp(Utc::now())).await?;
        db::audit(
            &state.pool,
            &user.id,
            "erase_cards",
            Some(&import.id),
            &school.id,
            "",
        )
        .await?;
        leptos_axum::redirect(&format!("/manage/{}", school.slug));
        Ok(())
    }

    fn invite_status(invite: &InviteRow, now_at: &str) -> InviteStatus {
        if invite.used_at.is_some() {
            InviteStatus::Used
        } else if invite.revoked_at.is_some() {
            InviteStatus::Revoked
        } else if invite.expires_at.as_str() <= now_at {
            InviteStatus::Expired
        } else {
            InviteStatus::Active
        }
    }

    fn local_day(timestamp: &str) -> NaiveDate {
        crate::schools::api::ssr::local_date(timestamp, "Asia/Vladivostok").unwrap_or_default()
    }

    pub async fn load_pupil(
        school: SchoolKey,
        pupil: PupilRecord,
    ) -> Result<PupilDetail, AppError> {
        let state = app_state()?;
        let now_at = stamp(Utc::now());
        db::erase_expired_codes(&state.pool, &now_at).await?;
        let class = db::pupil_class(&state.pool, &pupil.id, current_year()).await?;
        let consents = db::list_consents(&state.pool, &pupil.id).await?;
        let invites = db::list_invites(&state.pool, &pupil.id)
            .await?
            .into_iter()
            .map(|invite| {
                let status = invite_status(&invite, &now_at);
                InviteRecord {
                    id: invite.id.clone(),
                    code: invite
                        .code_plain
                        .clone()
                        .filter(|_| status == InviteStatus::Active),
                    created_on: local_day(&invite.created_at),
                    expires_on: local_day(&invite.expires_at),
                    status,
                }
            })
            .collect();
        let parents = db::list_parents(&state.pool, &pupil.id).await?;
        let may_publish = consents
            .iter()
            .any(|c| c.kind == ConsentKind::Publication && !c.withdrawn);
        let public = public_name(
            &pupil.first_name,
            &pupil.surname,
            class.as_ref().map(|c| c.name.as_str()),
            may_publish,
        );
        Ok(PupilDetail {
            school: school_ref(&school),
            id: pupil.id,
            surname: pupil.surname,
            first_name: pupil.first_name,
            patronymic: pupil.patronymic,
            username: pupil.username,
            class,
            consents,
            invites,
            parents,
            public_name: public,
        })
    }

    pub async fn record_consent(
        user: CurrentUser,
        school: SchoolKey,
        pupil: PupilRecord,
        kind: String,
        given_on: String,
        note: String,
    ) -> Result<(), AppError> {
        let mut problems = Vec::new();
        let kind = ConsentKind::parse(&kind);
        if kind.is_none() {
            problems.push(field("kind", FieldProblem::Required));
        }
        let day = NaiveDate::parse_from_str(given_on.trim(), "%Y-%m-%d").ok();
        match day {
            None => problems.push(field("given_on", FieldProblem::BadDate)),
            Some(d) if d > today() => problems.push(field("given_on", FieldProblem::FutureDate)),
            Some(_) => {}
        }
        let note = note.trim().to_owned();
        if note.chars().count() > 200 {
            problems.push(field("note", FieldProblem::TooLong { max: 200 }));
        }
        let (Some(kind), Some(day), true) = (kind, day, problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        db::insert_consent(
            &mut *tx,
            &pupil.id,
            kind,
            &day.format("%Y-%m-%d").to_string(),
            &note,
            &user.id,
        )
        .await?;
        db::audit(
            &mut *tx,
            &user.id,
            &format!("record_consent_{}", kind.as_str()),
            Some(&pupil.id),
            &school.id,
            format!("{day} {note}").trim(),
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/pupils/{}", pupil.id));
        Ok(())
    }

    pub async fn withdraw_consent(
        user: CurrentUser,
        school: SchoolKey,
        pupil: PupilRecord,
        consent_id: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        if !db::withdraw_consent(&mut *tx, &consent_id, &user.id).await? {
            return Err(AppError::Conflict);
        }
        db::audit(
            &mut *tx,
            &user.id,
            "withdraw_consent",
            Some(&pupil.id),
            &school.id,
            "",
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/pupils/{}", pupil.id));
        Ok(())
    }

    pub async fn create_invite(
        user: CurrentUser,
        school: SchoolKey,
        pupil: PupilRecord,
        days: u32,
    ) -> Result<(), AppError> {
        if !(1..=MAX_INVITE_DAYS).contains(&days) {
            return Err(AppError::Invalid(vec![field(
                "days",
                FieldProblem::OutOfRange {
                    min: 1,
                    max: MAX_INVITE_DAYS as usize,
                },
            )]));
        }
        let code = invite_code::generate().map_err(|e| AppError::internal("random code", e))?;
        let hash = crate::accounts::session::token_hash(&code);
        let expires = stamp(Utc::now() + Duration::days(i64::from(days)));
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        db::insert_invite(&mut *tx, &code, &hash, &pupil.id, &user.id, &expires).await?;
        db::audit(
            &mut *tx,
            &user.id,
            "create_invite",
            Some(&pupil.id),
            &school.id,
            expires.get(..10).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/pupils/{}", pupil.id));
        Ok(())
    }

    pub async fn revoke_invite(
        user: CurrentUser,
        school: SchoolKey,
        pupil: PupilRecord,
        invite: InviteRow,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        if !db::revoke_invite(&mut *tx, &invite.id, &user.id).await? {
            return Err(AppError::Conflict);
        }
        db::audit(
            &mut *tx,
            &user.id,
            "revoke_invite",
            Some(&pupil.id),
            &school.id,
            "",
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/pupils/{}", pupil.id));
        Ok(())
    }

    /// Finds a usable invite for a typed code, counting failures per client address. Reads
    /// only: the write transaction that uses the invite checks again that it is unused.
    async fn usable_invite(code: &str) -> Result<InviteRow, AppError> {
        let state = app_state()?;
        let key = format!("invite:{}", client_address());
        if let Some(minutes) = locked_for(&state.pool, &key, MAX_CODE_FAILURES_PER_ADDRESS).await? {
            return Err(AppError::TooManyAttempts { minutes });
        }
        let now_at = stamp(Utc::now());
        db::erase_expired_codes(&state.pool, &now_at).await?;
        let found = match invite_code::normalize(code) {
            Some(code) => {
                db::find_invite_by_hash(&state.pool, &crate::accounts::session::token_hash(&code))
                    .await?
            }
            None => None,
        };
        match found {
            Some(invite) if invite_status(&invite, &now_at) == InviteStatus::Active => Ok(invite),
            _ => {
                let cutoff = stamp(
                    Utc::now()
                        - Duration::minutes(crate::accounts::api::ssr::FAILURE_WINDOW_MINUTES),
                );
                accounts_db::record_login_failure(&state.pool, &[&key], &cutoff).await?;
                Err(AppError::Invalid(vec![field(
                    "code",
                    FieldProblem::BadInviteCode,
                )]))
            }
        }
    }

    async fn link_with_invite(
        tx: &mut sqlx::SqliteConnection,
        parent_id: &str,
        invite: &InviteRow,
    ) -> Result<(), AppError> {
        if !db::use_invite(&mut *tx, &invite.id, parent_id, &stamp(Utc::now())).await? {
            return Err(AppError::Invalid(vec![field(
                "code",
                FieldProblem::BadInviteCode,
            )]));
        }
        db::link_parent(&mut *tx, parent_id, &invite.pupil_id).await?;
        let school_id = db::find_pupil_school(&mut *tx, &invite.pupil_id).await?;
        db::audit(
            &mut *tx,
            parent_id,
            "link_parent",
            Some(&invite.pupil_id),
            &school_id,
            "",
        )
        .await?;
        Ok(())
    }

    pub async fn register_parent(
        code: String,
        display_name: String,
        username: String,
        new_password: String,
        confirm: String,
    ) -> Result<(), AppError> {
        let mut problems = Vec::new();
        let display_name = display_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if display_name.is_empty() {
            problems.push(field("display_name", FieldProblem::Required));
        } else if display_name.chars().count() > 100 {
            problems.push(field("display_name", FieldProblem::TooLong { max: 100 }));
        }
        let name = Username::parse(&username);
        if name.is_none() {
            problems.push(field("username", FieldProblem::BadUsername));
        }
        if new_password.chars().count() < password::MIN_LENGTH {
            problems.push(field(
                "password",
                FieldProblem::TooShort {
                    min: password::MIN_LENGTH,
                },
            ));
        } else if new_password != confirm {
            problems.push(field("confirm", FieldProblem::Mismatch));
        }
        if invite_code::normalize(&code).is_none() {
            problems.push(field("code", FieldProblem::BadInviteCode));
        }
        let Some(name) = name.filter(|_| problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        let state = app_state()?;
        let hash = password::hash(new_password)
            .await
            .map_err(|e| AppError::internal("hashing a password", e))?;
        let invite = usable_invite(&code).await?;
        let mut tx = begin_write(&state.pool).await?;
        if !db::taken_usernames(&mut *tx, name.as_str())
            .await?
            .iter()
            .all(|taken| taken != name.as_str())
        {
            return Err(AppError::Invalid(vec![field(
                "username",
                FieldProblem::Taken,
            )]));
        }
        let id = accounts_db::insert_user(&mut *tx, name.as_str(), &display_name, &hash).await?;
        accounts_db::insert_role(&mut *tx, &id, Role::Parent, None).await?;
        link_with_invite(&mut tx, &id, &invite).await?;
        tx.commit().await?;
        start_session(&state, &id).await?;
        leptos_axum::redirect("/account");
        Ok(())
    }

    pub async fn claim_invite(user: CurrentUser, code: String) -> Result<(), AppError> {
        let state = app_state()?;
        let invite = usable_invite(&code).await?;
        let mut tx = begin_write(&state.pool).await?;
        if !user.has_role(Role::Parent) {
            accounts_db::insert_role(&mut *tx, &user.id, Role::Parent, None).await?;
        }
        link_with_invite(&mut tx, &user.id, &invite).await?;
        tx.commit().await?;
        leptos_axum::redirect("/account");
        Ok(())
    }

    /// Stores one login card (a new account or a new password) for printing, as a finished
    /// import of one; returns its id.
    async fn store_card(
        tx: &mut sqlx::SqliteConnection,
        user: &CurrentUser,
        school: &SchoolKey,
        card: LoginCard,
    ) -> Result<String, AppError> {
        let id = db::insert_import(
            &mut *tx,
            NewImport {
                school_id: &school.id,
                created_by: &user.id,
                academic_year: current_year(),
                file_name: "",
                status: ImportStatus::Preview,
                rows_json: "[]",
                problems_json: "[[],null]",
            },
        )
        .await?;
        finish(&mut *tx, &id, &[], &[card]).await?;
        Ok(id)
    }

    pub async fn create_staff(
        user: CurrentUser,
        school: SchoolKey,
        display_name: String,
        username: String,
        role: String,
    ) -> Result<(), AppError> {
        let role = match role.as_str() {
            "supervisor" => Role::Supervisor,
            "librarian" => Role::Librarian,
            _ => {
                return Err(AppError::Invalid(vec![field(
                    "role",
                    FieldProblem::Invalid,
                )]))
            }
        };
        if !may(
            Some(&user),
            Action::CreateStaff {
                school_id: &school.id,
                role,
            },
        ) {
            return Err(AppError::Forbidden);
        }
        let mut problems = Vec::new();
        let display_name = display_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if display_name.is_empty() {
            problems.push(field("display_name", FieldProblem::Required));
        } else if display_name.chars().count() > 100 {
            problems.push(field("display_name", FieldProblem::TooLong { max: 100 }));
        }
        let name = Username::parse(&username);
        if name.is_none() {
            problems.push(field("username", FieldProblem::BadUsername));
        }
        let Some(name) = name.filter(|_| problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        let state = app_state()?;
        let made = credentials(1).await?;
        let mut tx = begin_write(&state.pool).await?;
        if accounts_db::username_taken(&mut *tx, name.as_str()).await? {
            return Err(AppError::Invalid(vec![field(
                "username",
                FieldProblem::Taken,
            )]));
        }
        let Some((initial, hash)) = made.into_iter().next() else {
            return Err(AppError::Internal);
        };
        let id = accounts_db::insert_user(&mut *tx, name.as_str(), &display_name, &hash).await?;
        accounts_db::insert_role(&mut *tx, &id, role, Some(&school.id)).await?;
        db::audit(
            &mut *tx,
            &user.id,
            "create_staff",
            Some(&id),
            &school.id,
            role.as_str(),
        )
        .await?;
        let card = store_card(
            &mut tx,
            &user,
            &school,
            LoginCard {
                full_name: display_name,
                class_name: String::new(),
                username: name.as_str().to_owned(),
                password: initial,
            },
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/imports/{card}/cards"));
        Ok(())
    }

    /// The person whose password is to be reset, if this user may: with the school the card
    /// belongs to.
    pub async fn resettable(
        target_id: &str,
    ) -> Result<(CurrentUser, SchoolKey, (String, String, String)), AppError> {
        let user = office_user().await?;
        let state = app_state()?;
        let roles = accounts_db::roles_of(&state.pool, target_id).await?;
        if !may(Some(&user), Action::ResetPasswordOf { target: &roles }) {
            return Err(if roles.is_empty() {
                AppError::NotFound
            } else {
                AppError::Forbidden
            });
        }
        let school_id = roles
            .iter()
            .find_map(|g| g.school_id.clone())
            .ok_or(AppError::BadRequest)?;
        let school = school_by_id(&school_id).await?;
        let (name, class_name) = match db::find_pupil(&state.pool, target_id).await? {
            Some(pupil) => (
                full_name(
                    &pupil.surname,
                    &pupil.first_name,
                    pupil.patronymic.as_deref(),
                ),
                db::pupil_class(&state.pool, target_id, current_year())
                    .await?
                    .map(|c| c.name)
                    .unwrap_or_default(),
            ),
            None => (
                accounts_db::display_name(&state.pool, target_id)
                    .await?
                    .unwrap_or_default(),
                String::new(),
            ),
        };
        Ok((user, school, (target_id.to_owned(), name, class_name)))
    }

    pub async fn reset_password(
        user: CurrentUser,
        school: SchoolKey,
        (target_id, name, class_name): (String, String, String),
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let made = credentials(1).await?;
        let Some((initial, hash)) = made.into_iter().next() else {
            return Err(AppError::Internal);
        };
        let mut tx = begin_write(&state.pool).await?;
        let username = db::username_of(&mut *tx, &target_id).await?;
        accounts_db::update_password(&mut *tx, &target_id, &hash).await?;
        accounts_db::delete_user_sessions(&mut *tx, &target_id).await?;
        db::audit(
            &mut *tx,
            &user.id,
            "reset_password",
            Some(&target_id),
            &school.id,
            "",
        )
        .await?;
        let card = store_card(
            &mut tx,
            &user,
            &school,
            LoginCard {
                full_name: name,
                class_name,
                username,
                password: initial,
            },
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/imports/{card}/cards"));
        Ok(())
    }

    /// How many pupils a search shows at most.
    pub const SEARCH_LIMIT: u32 = 200;

    pub async fn search_pupils(
        school: SchoolKey,
        q: Option<String>,
        class: Option<String>,
        consent: Option<String>,
        year: Option<i32>,
    ) -> Result<PupilSearch, AppError> {
        let state = app_state()?;
        let current = current_year();
        let mut years = db::class_years(&state.pool, &school.id).await?;
        if !years.contains(&current) {
            years.push(current);
            years.sort_unstable_by(|a, b| b.cmp(a));
        }
        // Only years the school has classes in (or the current one).
        let year = year.filter(|y| years.contains(y)).unwrap_or(current);
        let classes = db::list_classes(&state.pool, &school.id, year).await?;
        let query: String = crate::people::search_form(q.as_deref().unwrap_or(""))
            .chars()
            .take(100)
            .collect();
        // Only this school's classes filter; anything else is ignored.
        let class_id = class.filter(|id| classes.iter().any(|c| &c.id == id));
        let consent = match consent.as_deref() {
            Some("no_publication") => Some(crate::people::ConsentFilter::NoPublication),
            Some("no_processing") => Some(crate::people::ConsentFilter::NoProcessing),
            _ => None,
        };
        let lacking = consent.map(|c| match c {
            crate::people::ConsentFilter::NoPublication => ConsentKind::Publication,
            crate::people::ConsentFilter::NoProcessing => ConsentKind::Processing,
        });
        let mut pupils = db::search_pupils(
            &state.pool,
            &school.id,
            year,
            &query,
            class_id.as_deref(),
            lacking,
            SEARCH_LIMIT,
        )
        .await?;
        let truncated = pupils.len() > SEARCH_LIMIT as usize;
        pupils.truncate(SEARCH_LIMIT as usize);
        Ok(PupilSearch {
            school: school_ref(&school),
            academic_year: year,
            years,
            classes,
            query,
            class_id,
            consent,
            pupils,
            truncated,
        })
    }

    pub async fn my_family(user: CurrentUser) -> Result<FamilyView, AppError> {
        let state = app_state()?;
        let year = current_year();
        let children = if user.has_role(Role::Parent) {
            db::children_of(&state.pool, &user.id, year).await?
        } else {
            Vec::new()
        };
        let own_place = if user.has_role(Role::Pupil) {
            db::pupil_place(&state.pool, &user.id, year).await?
        } else {
            None
        };
        Ok(FamilyView {
            children,
            own_place,
        })
    }
}
