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
}

/// Whether `user` (or an anonymous visitor, `None`) may do `action`.
pub fn may(user: Option<&CurrentUser>, action: Action) -> bool {
    let district_wide = |u: &CurrentUser| u.has_role(Role::Admin) || u.has_role(Role::Coordinator);
    match action {
        Action::ReadPublic | Action::SignIn => true,
        Action::ManageOwnAccount | Action::ViewOwnFamily => user.is_some(),
        Action::ManageSchools => user.is_some_and(district_wide),
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
}
