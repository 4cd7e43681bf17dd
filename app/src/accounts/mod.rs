//! Accounts, roles and sign-in: who is who in the district. Types shared by the server and the
//! browser; nothing here is secret (password hashes and session tokens stay in `db.rs` and
//! `session.rs`, which are server only).

#[cfg(feature = "ssr")]
pub mod admin;
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod password;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod session;
pub mod ui;

use serde::{Deserialize, Serialize};

/// What a person may be in the district. One person may hold several roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Runs the instance: schools, coordinators, everything.
    Admin,
    /// District coordinator (методист): all schools, initiatives.
    Coordinator,
    /// Runs one school's ИБЦ.
    Librarian,
    /// A teacher of one school who supervises projects.
    Supervisor,
    /// A pupil of one school.
    Pupil,
    /// A parent linked to one or more pupils.
    Parent,
}

impl Role {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Librarian => "librarian",
            Role::Supervisor => "supervisor",
            Role::Pupil => "pupil",
            Role::Parent => "parent",
        }
    }

    /// Reads a stored name.
    pub fn parse(name: &str) -> Option<Role> {
        Some(match name {
            "admin" => Role::Admin,
            "coordinator" => Role::Coordinator,
            "librarian" => Role::Librarian,
            "supervisor" => Role::Supervisor,
            "pupil" => Role::Pupil,
            "parent" => Role::Parent,
            _ => return None,
        })
    }
}

/// One role held by a person, with the school it applies to (for school-bound roles).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrant {
    pub role: Role,
    pub school_id: Option<String>,
}

/// The signed-in person as pages and server functions see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<RoleGrant>,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|grant| grant.role == role)
    }

    /// Whether the person holds `role` in the school `school_id`.
    pub fn has_role_in(&self, role: Role, school_id: &str) -> bool {
        self.roles
            .iter()
            .any(|grant| grant.role == role && grant.school_id.as_deref() == Some(school_id))
    }
}

/// A sign-in name: 3–40 characters, lower-case Latin letters, digits, `.`, `_` and `-`,
/// starting with a letter. Pupils' names are transliterated into this form.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    /// Accepts `ivanova.m`, `admin`; refuses `Иванова`, `a`, `-x`, `a b`. Input is lower-cased
    /// and trimmed first, as people type their names in any case.
    pub fn parse(input: &str) -> Option<Username> {
        let name = input.trim().to_lowercase();
        let ok = (3..=40).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            });
        ok.then_some(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for role in [
            Role::Admin,
            Role::Coordinator,
            Role::Librarian,
            Role::Supervisor,
            Role::Pupil,
            Role::Parent,
        ] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn usernames_are_simple_latin_names() {
        assert_eq!(
            Username::parse(" Ivanova.M ").map(|u| u.0),
            Some("ivanova.m".to_owned())
        );
        for bad in [
            "",
            "ab",
            "иванова",
            "1abc",
            "-abc",
            "a b c",
            "x@y.z",
            &"a".repeat(41),
        ] {
            assert!(Username::parse(bad).is_none(), "{bad}");
        }
    }
}
