//! The one place that answers "may this person do this". Every server function asks it first.
//! Later features add their actions (and the objects they act on) here.

use super::{CurrentUser, Role, RoleGrant};

/// Something a person may want to do, with the object it is done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// Read public pages (district, schools): everyone, signed in or not.
    ReadPublic,
    /// Try to sign in: everyone (rate limited).
    SignIn,
    /// See one's own account, sign out, change one's own password.
    ManageOwnAccount,
    /// Create and edit schools: administrator and district coordinator.
    ManageSchools,
    /// Open the staff pages at all: administrator, coordinator, librarians.
    ManagePeopleAnywhere,
    /// One school's classes, pupils, rosters, consents and family invites: administrator,
    /// coordinator, and the librarians of that school.
    ManageSchoolPeople { school_id: &'a str },
    /// Register a parent account with a family invite code: visitors (rate limited).
    RegisterWithInvite,
    /// Link one's own account to a child with a family invite code: anyone signed in who is not
    /// a pupil (a teacher may be a parent too).
    ClaimInvite,
    /// See one's own children (parents) or one's own school and class (pupils).
    ViewOwnFamily,
    /// Give someone a new generated password. Administrators: anyone; the coordinator: anyone
    /// but administrators and coordinators; a librarian: pupils and supervisors of their own
    /// school. `target` is every role the person holds.
    ResetPasswordOf { target: &'a [RoleGrant] },
    /// Use the web set-up page (the token from the server's log is the real gate, and the page
    /// closes once an administrator exists): visitors only.
    SetUp,
    /// Create a staff account with `role` in a school: librarians create supervisors of their
    /// own school; the coordinator and administrators also create librarians.
    CreateStaff { school_id: &'a str, role: Role },
    /// Start a project in a school and assign its pupils: the school's supervisors and
    /// librarians.
    CreateProject { school_id: &'a str },
    /// Propose a project (a topic and a wished-for supervisor): the school's pupils.
    ProposeProject { school_id: &'a str },
    /// See a school's list of projects: its librarians, the coordinator and administrators.
    ListSchoolProjects { school_id: &'a str },
    /// Read a project with its pages, history and files: its members and their parents, its
    /// supervisors, the school's librarians, the coordinator and administrators.
    ViewProject(ProjectAccess<'a>),
    /// Write its pages and passport, upload files: its members, supervisors and the school's
    /// librarians (not while it is a declined proposal, except for staff).
    EditProject(ProjectAccess<'a>),
    /// Change its members, supervisors and settings, accept or decline a proposal: its
    /// supervisors and the school's librarians.
    ManageProject(ProjectAccess<'a>),
    /// Submit the current stage for review, answer remarks: the project's members (pupils).
    SubmitStage(ProjectAccess<'a>),
    /// Review a submission (remarks, return, accept), set stage due dates, name the defence
    /// commission: the project's supervisors and the school's librarians.
    ReviewProject(ProjectAccess<'a>),
    /// Fill the assessment card at the defence: the supervisors and the defence commission.
    AssessProject(ProjectAccess<'a>),
    /// Write in the project diary: its members, supervisors and the school's librarians.
    WriteDiary(ProjectAccess<'a>),
    /// Change a school's stages and assessment criteria («Положение о проекте»): its
    /// librarians, the coordinator and administrators.
    ManageSchoolProcedure { school_id: &'a str },
    /// Import into and edit a school's catalogue: its librarians, the coordinator and
    /// administrators.
    ManageCatalog { school_id: &'a str },
    /// Import into and edit the district's e-resources shared by every school: the coordinator
    /// and administrators.
    ManageDistrictCatalog,
    /// Publish an accepted snapshot of a project or share it by a link: its supervisors and the
    /// school's librarians (not a declined proposal).
    PublishProject(ProjectAccess<'a>),
    /// Take a project's publication or link down: the publishers, the coordinator and
    /// administrators (a district take-down is always possible).
    UnpublishProject(ProjectAccess<'a>),
    /// Read a published snapshot: everyone for the public and for a link, the people who read
    /// the project (its members, their parents, its staff) for its parents, and for its school
    /// every signed-in pupil and teacher of the school as well. Nothing once it is taken down.
    ReadPublication(PublicationAccess<'a>),
    /// Create and run the district's initiatives (their schools and reading lists): the
    /// coordinator and administrators.
    ManageInitiatives,
    /// Enter a project in an initiative its school takes part in, or withdraw it: whoever may
    /// publish it (its supervisors, the school's librarians) and the district.
    EnterInitiative(ProjectAccess<'a>),
}

/// A publication, as the policy needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicationAccess<'a> {
    /// The project's people now (not as submitted): who reads the project.
    pub project: ProjectAccess<'a>,
    pub audience: crate::showcase::Audience,
    /// Not taken down; for a link, not expired either.
    pub live: bool,
}

/// Who stands in what relation to one project, as the policy needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectAccess<'a> {
    pub school_id: &'a str,
    /// Whether the project is a declined proposal (kept, but closed to its pupils' edits).
    pub declined: bool,
    pub members: &'a [String],
    pub supervisors: &'a [String],
    /// Parents of the members.
    pub parents: &'a [String],
    /// The defence commission (staff who assess the defence).
    pub commission: &'a [String],
}

impl ProjectAccess<'_> {
    fn staff(&self, u: &CurrentUser) -> bool {
        self.supervisors.contains(&u.id) || u.has_role_in(Role::Librarian, self.school_id)
    }
}

/// Whether `user` (or an anonymous visitor, `None`) may do `action`.
pub fn may(user: Option<&CurrentUser>, action: Action) -> bool {
    let district_wide = |u: &CurrentUser| u.has_role(Role::Admin) || u.has_role(Role::Coordinator);
    match action {
        Action::ReadPublic | Action::SignIn => true,
        Action::ManageOwnAccount | Action::ViewOwnFamily => user.is_some(),
        Action::ManageSchools | Action::ManageDistrictCatalog | Action::ManageInitiatives => {
            user.is_some_and(district_wide)
        }
        Action::ManagePeopleAnywhere => {
            user.is_some_and(|u| district_wide(u) || u.has_role(Role::Librarian))
        }
        Action::ManageSchoolPeople { school_id } => {
            user.is_some_and(|u| district_wide(u) || u.has_role_in(Role::Librarian, school_id))
        }
        Action::RegisterWithInvite | Action::SetUp => user.is_none(),
        Action::ClaimInvite => user.is_some_and(|u| !u.has_role(Role::Pupil)),
        Action::ResetPasswordOf { target } => user.is_some_and(|u| {
            if target.is_empty() {
                return false;
            }
            if u.has_role(Role::Admin) {
                return true;
            }
            if u.has_role(Role::Coordinator) {
                return !target
                    .iter()
                    .any(|g| matches!(g.role, Role::Admin | Role::Coordinator));
            }
            target.iter().all(|g| {
                matches!(g.role, Role::Pupil | Role::Supervisor)
                    && g.school_id
                        .as_deref()
                        .is_some_and(|s| u.has_role_in(Role::Librarian, s))
            })
        }),
        Action::CreateStaff { school_id, role } => user.is_some_and(|u| match role {
            Role::Supervisor => district_wide(u) || u.has_role_in(Role::Librarian, school_id),
            Role::Librarian => district_wide(u),
            _ => false,
        }),
        Action::CreateProject { school_id } => user.is_some_and(|u| {
            u.has_role_in(Role::Supervisor, school_id) || u.has_role_in(Role::Librarian, school_id)
        }),
        Action::ProposeProject { school_id } => {
            user.is_some_and(|u| u.has_role_in(Role::Pupil, school_id))
        }
        Action::ListSchoolProjects { school_id } => {
            user.is_some_and(|u| district_wide(u) || u.has_role_in(Role::Librarian, school_id))
        }
        Action::ViewProject(p) => user.is_some_and(|u| {
            district_wide(u)
                || p.staff(u)
                || p.members.contains(&u.id)
                || p.parents.contains(&u.id)
                || p.commission.contains(&u.id)
        }),
        Action::EditProject(p) => {
            user.is_some_and(|u| p.staff(u) || (!p.declined && p.members.contains(&u.id)))
        }
        Action::ManageProject(p) | Action::ReviewProject(p) => user.is_some_and(|u| p.staff(u)),
        Action::SubmitStage(p) => user.is_some_and(|u| !p.declined && p.members.contains(&u.id)),
        Action::AssessProject(p) => user.is_some_and(|u| {
            !p.declined && (p.supervisors.contains(&u.id) || p.commission.contains(&u.id))
        }),
        Action::WriteDiary(p) => {
            user.is_some_and(|u| p.staff(u) || (!p.declined && p.members.contains(&u.id)))
        }
        Action::PublishProject(p) => user.is_some_and(|u| !p.declined && p.staff(u)),
        Action::UnpublishProject(p) => user.is_some_and(|u| p.staff(u) || district_wide(u)),
        Action::EnterInitiative(p) => {
            user.is_some_and(|u| (!p.declined && p.staff(u)) || district_wide(u))
        }
        Action::ReadPublication(p) => {
            use crate::showcase::Audience;
            p.live
                && match p.audience {
                    Audience::Public | Audience::Link => true,
                    Audience::Parents => may(user, Action::ViewProject(p.project)),
                    Audience::School => {
                        may(user, Action::ViewProject(p.project))
                            || user.is_some_and(|u| {
                                [Role::Pupil, Role::Supervisor, Role::Librarian]
                                    .into_iter()
                                    .any(|r| u.has_role_in(r, p.project.school_id))
                            })
                    }
                }
        }
        Action::ManageSchoolProcedure { school_id } | Action::ManageCatalog { school_id } => {
            user.is_some_and(|u| district_wide(u) || u.has_role_in(Role::Librarian, school_id))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::RoleGrant;

    fn user(role: Role) -> CurrentUser {
        user_in(role, None)
    }

    fn user_in(role: Role, school: Option<&str>) -> CurrentUser {
        CurrentUser {
            id: "u".into(),
            username: "user".into(),
            display_name: "User".into(),
            roles: vec![RoleGrant {
                role,
                school_id: school.map(Into::into),
            }],
        }
    }

    #[test]
    fn librarians_manage_the_people_of_their_own_school_only() {
        let here = Action::ManageSchoolPeople { school_id: "s1" };
        assert!(may(Some(&user_in(Role::Librarian, Some("s1"))), here));
        assert!(!may(Some(&user_in(Role::Librarian, Some("s2"))), here));
        assert!(!may(Some(&user_in(Role::Supervisor, Some("s1"))), here));
        assert!(!may(Some(&user_in(Role::Pupil, Some("s1"))), here));
        assert!(!may(Some(&user(Role::Parent)), here));
        assert!(!may(None, here));
        assert!(may(Some(&user(Role::Coordinator)), here));
        assert!(may(Some(&user(Role::Admin)), here));
    }

    fn grant(role: Role, school: Option<&str>) -> RoleGrant {
        RoleGrant {
            role,
            school_id: school.map(Into::into),
        }
    }

    #[test]
    fn librarians_reset_passwords_of_their_own_pupils_and_teachers_only() {
        let librarian = user_in(Role::Librarian, Some("s1"));
        let may_reset = |who: &CurrentUser, target: &[RoleGrant]| {
            may(Some(who), Action::ResetPasswordOf { target })
        };
        assert!(may_reset(&librarian, &[grant(Role::Pupil, Some("s1"))]));
        assert!(may_reset(
            &librarian,
            &[grant(Role::Supervisor, Some("s1"))]
        ));
        assert!(!may_reset(&librarian, &[grant(Role::Pupil, Some("s2"))]));
        assert!(!may_reset(
            &librarian,
            &[grant(Role::Librarian, Some("s1"))]
        ));
        assert!(!may_reset(
            &librarian,
            &[
                grant(Role::Supervisor, Some("s1")),
                grant(Role::Admin, None)
            ]
        ));
        assert!(!may_reset(&librarian, &[]));
        let coordinator = user(Role::Coordinator);
        assert!(may_reset(
            &coordinator,
            &[grant(Role::Librarian, Some("s2"))]
        ));
        assert!(!may_reset(&coordinator, &[grant(Role::Admin, None)]));
        assert!(may_reset(
            &user(Role::Admin),
            &[grant(Role::Coordinator, None)]
        ));
        assert!(!may_reset(
            &user(Role::Supervisor),
            &[grant(Role::Pupil, None)]
        ));
    }

    #[test]
    fn who_creates_which_staff_accounts() {
        let here = |role| Action::CreateStaff {
            school_id: "s1",
            role,
        };
        let librarian = user_in(Role::Librarian, Some("s1"));
        assert!(may(Some(&librarian), here(Role::Supervisor)));
        assert!(!may(Some(&librarian), here(Role::Librarian)));
        assert!(!may(
            Some(&user_in(Role::Librarian, Some("s2"))),
            here(Role::Supervisor)
        ));
        assert!(may(Some(&user(Role::Coordinator)), here(Role::Librarian)));
        assert!(!may(Some(&user(Role::Coordinator)), here(Role::Admin)));
        assert!(!may(None, here(Role::Supervisor)));
    }

    #[test]
    fn invites_are_for_visitors_and_grown_ups() {
        assert!(may(None, Action::RegisterWithInvite));
        assert!(!may(Some(&user(Role::Parent)), Action::RegisterWithInvite));
        assert!(may(Some(&user(Role::Parent)), Action::ClaimInvite));
        assert!(may(Some(&user(Role::Supervisor)), Action::ClaimInvite));
        assert!(!may(Some(&user(Role::Pupil)), Action::ClaimInvite));
        assert!(!may(None, Action::ClaimInvite));
    }

    #[test]
    fn anonymous_visitors_read_and_sign_in_only() {
        assert!(may(None, Action::ReadPublic));
        assert!(may(None, Action::SignIn));
        assert!(!may(None, Action::ManageOwnAccount));
        assert!(!may(None, Action::ManageSchools));
    }

    #[test]
    fn only_admins_and_coordinators_manage_schools() {
        for role in [Role::Admin, Role::Coordinator] {
            assert!(may(Some(&user(role)), Action::ManageSchools), "{role:?}");
        }
        for role in [Role::Librarian, Role::Supervisor, Role::Pupil, Role::Parent] {
            assert!(!may(Some(&user(role)), Action::ManageSchools), "{role:?}");
            assert!(may(Some(&user(role)), Action::ManageOwnAccount), "{role:?}");
        }
    }

    #[test]
    fn projects_are_for_their_people_their_school_and_the_district() {
        let members = vec!["pupil".to_owned()];
        let supervisors = vec!["teacher".to_owned()];
        let parents = vec!["mother".to_owned()];
        let commission = vec!["examiner".to_owned()];
        let access = ProjectAccess {
            school_id: "s1",
            declined: false,
            members: &members,
            supervisors: &supervisors,
            parents: &parents,
            commission: &commission,
        };
        let person = |id: &str, role: Role, school: Option<&str>| CurrentUser {
            id: id.into(),
            ..user_in(role, school)
        };
        let pupil = person("pupil", Role::Pupil, Some("s1"));
        let classmate = person("other", Role::Pupil, Some("s1"));
        let teacher = person("teacher", Role::Supervisor, Some("s1"));
        let colleague = person("t2", Role::Supervisor, Some("s1"));
        let mother = person("mother", Role::Parent, None);
        let librarian = person("l", Role::Librarian, Some("s1"));
        let elsewhere = person("l2", Role::Librarian, Some("s2"));
        let coordinator = person("c", Role::Coordinator, None);
        let view = |u: &CurrentUser| may(Some(u), Action::ViewProject(access));
        let edit = |u: &CurrentUser| may(Some(u), Action::EditProject(access));
        let manage = |u: &CurrentUser| may(Some(u), Action::ManageProject(access));
        for u in [&pupil, &teacher, &mother, &librarian, &coordinator] {
            assert!(view(u), "{} reads", u.id);
        }
        for u in [&classmate, &colleague, &elsewhere] {
            assert!(!view(u), "{} does not read", u.id);
        }
        assert!(!may(None, Action::ViewProject(access)));
        assert!(edit(&pupil) && edit(&teacher) && edit(&librarian));
        assert!(!edit(&mother) && !edit(&coordinator) && !edit(&classmate));
        assert!(manage(&teacher) && manage(&librarian));
        assert!(!manage(&pupil) && !manage(&coordinator) && !manage(&elsewhere));
        // The workflow: members submit, staff review, supervisors and the commission assess.
        let examiner = person("examiner", Role::Supervisor, Some("s1"));
        assert!(view(&examiner) && !edit(&examiner) && !manage(&examiner));
        let submit = |u: &CurrentUser| may(Some(u), Action::SubmitStage(access));
        let review = |u: &CurrentUser| may(Some(u), Action::ReviewProject(access));
        let assess = |u: &CurrentUser| may(Some(u), Action::AssessProject(access));
        let diary = |u: &CurrentUser| may(Some(u), Action::WriteDiary(access));
        assert!(submit(&pupil));
        for u in [
            &teacher,
            &librarian,
            &mother,
            &classmate,
            &examiner,
            &coordinator,
        ] {
            assert!(!submit(u), "{} does not submit", u.id);
        }
        assert!(review(&teacher) && review(&librarian));
        for u in [
            &pupil,
            &mother,
            &examiner,
            &coordinator,
            &elsewhere,
            &colleague,
        ] {
            assert!(!review(u), "{} does not review", u.id);
        }
        assert!(assess(&teacher) && assess(&examiner));
        for u in [&pupil, &mother, &librarian, &coordinator, &colleague] {
            assert!(!assess(u), "{} does not assess", u.id);
        }
        assert!(diary(&pupil) && diary(&teacher) && diary(&librarian));
        assert!(!diary(&mother) && !diary(&examiner) && !diary(&classmate));
        let procedure =
            |u: &CurrentUser| may(Some(u), Action::ManageSchoolProcedure { school_id: "s1" });
        assert!(procedure(&librarian) && procedure(&coordinator));
        assert!(!procedure(&teacher) && !procedure(&elsewhere) && !procedure(&pupil));
        let district_catalog = |u: &CurrentUser| may(Some(u), Action::ManageDistrictCatalog);
        assert!(district_catalog(&coordinator));
        assert!(!district_catalog(&librarian) && !district_catalog(&teacher));
        assert!(!may(None, Action::ManageDistrictCatalog));
        let initiatives = |u: &CurrentUser| may(Some(u), Action::ManageInitiatives);
        assert!(initiatives(&coordinator));
        assert!(!initiatives(&librarian) && !initiatives(&teacher) && !initiatives(&pupil));
        let enter = |u: &CurrentUser| may(Some(u), Action::EnterInitiative(access));
        assert!(enter(&teacher) && enter(&librarian) && enter(&coordinator));
        for u in [&pupil, &mother, &examiner, &elsewhere, &colleague] {
            assert!(!enter(u), "{} does not enter the project", u.id);
        }
        let declined = ProjectAccess {
            declined: true,
            ..access
        };
        assert!(!may(Some(&pupil), Action::SubmitStage(declined)));
        assert!(!may(Some(&pupil), Action::EditProject(declined)));
        assert!(may(Some(&teacher), Action::EditProject(declined)));
        let create = |u: &CurrentUser| may(Some(u), Action::CreateProject { school_id: "s1" });
        assert!(create(&teacher) && create(&librarian));
        assert!(!create(&pupil) && !create(&elsewhere) && !create(&mother));
        assert!(may(
            Some(&pupil),
            Action::ProposeProject { school_id: "s1" }
        ));
        assert!(!may(
            Some(&pupil),
            Action::ProposeProject { school_id: "s2" }
        ));
        assert!(!may(
            Some(&teacher),
            Action::ProposeProject { school_id: "s1" }
        ));
    }

    #[test]
    fn publications_are_read_by_their_audience_only_while_live() {
        use crate::showcase::Audience;
        let members = vec!["pupil".to_owned()];
        let supervisors = vec!["teacher".to_owned()];
        let parents = vec!["mother".to_owned()];
        let project = ProjectAccess {
            school_id: "s1",
            declined: false,
            members: &members,
            supervisors: &supervisors,
            parents: &parents,
            commission: &[],
        };
        let person = |id: &str, role: Role, school: Option<&str>| CurrentUser {
            id: id.into(),
            ..user_in(role, school)
        };
        let mother = person("mother", Role::Parent, None);
        let other_parent = person("father", Role::Parent, None);
        let classmate = person("other", Role::Pupil, Some("s1"));
        let member = person("pupil", Role::Pupil, Some("s1"));
        let stranger = person("far", Role::Pupil, Some("s2"));
        let colleague = person("t2", Role::Supervisor, Some("s1"));
        let teacher = person("teacher", Role::Supervisor, Some("s1"));
        let librarian = person("l", Role::Librarian, Some("s1"));
        let far_librarian = person("l2", Role::Librarian, Some("s2"));
        let coordinator = person("c", Role::Coordinator, None);
        // (viewer, parents, school, public, link)
        let matrix: [(Option<&CurrentUser>, [bool; 4]); 11] = [
            (None, [false, false, true, true]),
            (Some(&mother), [true, true, true, true]),
            (Some(&other_parent), [false, false, true, true]),
            (Some(&classmate), [false, true, true, true]),
            (Some(&member), [true, true, true, true]),
            (Some(&stranger), [false, false, true, true]),
            (Some(&colleague), [false, true, true, true]),
            (Some(&teacher), [true, true, true, true]),
            (Some(&librarian), [true, true, true, true]),
            (Some(&far_librarian), [false, false, true, true]),
            (Some(&coordinator), [true, true, true, true]),
        ];
        let audiences = [
            Audience::Parents,
            Audience::School,
            Audience::Public,
            Audience::Link,
        ];
        for (viewer, expected) in matrix {
            for (audience, expected) in audiences.into_iter().zip(expected) {
                let read = |live| {
                    may(
                        viewer,
                        Action::ReadPublication(PublicationAccess {
                            project,
                            audience,
                            live,
                        }),
                    )
                };
                assert_eq!(read(true), expected, "{viewer:?} {audience:?}");
                assert!(!read(false), "taken down: {viewer:?} {audience:?}");
            }
        }
        // Publishing is the staff's; taking down the district's too.
        let publish = |u: &CurrentUser| may(Some(u), Action::PublishProject(project));
        let take_down = |u: &CurrentUser| may(Some(u), Action::UnpublishProject(project));
        assert!(publish(&teacher) && publish(&librarian));
        assert!(!publish(&member) && !publish(&mother) && !publish(&colleague));
        assert!(!publish(&coordinator) && take_down(&coordinator));
        assert!(take_down(&teacher) && !take_down(&member) && !take_down(&far_librarian));
        let declined = ProjectAccess {
            declined: true,
            ..project
        };
        assert!(!may(Some(&teacher), Action::PublishProject(declined)));
    }
}
