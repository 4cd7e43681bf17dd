//! The one place that answers "may this person do this". Every server function asks it first.
//! Later features add their actions (and the objects they act on) here.

use super::{CurrentUser, Role};

/// Something a person may want to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read public pages (district, schools): everyone, signed in or not.
    ReadPublic,
    /// Try to sign in: everyone (rate limited).
    SignIn,
    /// See one's own account, sign out, change one's own password.
    ManageOwnAccount,
    /// Create and edit schools: administrator and district coordinator.
    ManageSchools,
}

/// Whether `user` (or an anonymous visitor, `None`) may do `action`.
pub fn may(user: Option<&CurrentUser>, action: Action) -> bool {
    match action {
        Action::ReadPublic | Action::SignIn => true,
        Action::ManageOwnAccount => user.is_some(),
        Action::ManageSchools => {
            user.is_some_and(|u| u.has_role(Role::Admin) || u.has_role(Role::Coordinator))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::RoleGrant;

    fn user(role: Role) -> CurrentUser {
        CurrentUser {
            id: "u".into(),
            username: "user".into(),
            display_name: "User".into(),
            roles: vec![RoleGrant {
                role,
                school_id: None,
            }],
        }
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
