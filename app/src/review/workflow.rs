//! The review workflow as an explicit state machine: where a project stands (proposal, a stage
//! being worked on, submitted, returned, completed), who may move it, and where each move
//! leads. Pure code; the server functions ask it before writing anything, and the tests here
//! try every transition for every role.

use serde::{Deserialize, Serialize};

/// Whether the current stage is being worked on, waits for review, came back with remarks, or
/// the last stage was accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReviewState {
    Working,
    Submitted,
    Returned,
    Completed,
}

impl ReviewState {
    pub const ALL: [ReviewState; 4] = [
        ReviewState::Working,
        ReviewState::Submitted,
        ReviewState::Returned,
        ReviewState::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Working => "working",
            ReviewState::Submitted => "submitted",
            ReviewState::Returned => "returned",
            ReviewState::Completed => "completed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ReviewState::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The proposal's part of a project's life (before and besides the stages).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Standing {
    /// A pupil's proposal waits for the supervisor: the topic stage is open.
    Proposed,
    Active,
    /// Declined proposals stay read-only for the record.
    Declined,
}

/// The person acting, as the workflow sees them on this project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// A pupil who is a member of the project.
    Member,
    /// A supervisor of the project or a librarian of its school: the reviewers.
    Reviewer,
    /// Anyone else who may read the project (parents, the commission, the coordinator).
    Reader,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Member, Role::Reviewer, Role::Reader];
}

/// A move in the workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Transition {
    /// The supervisor approves a pupil's proposal (and with it the topic stage).
    AcceptProposal,
    DeclineProposal,
    /// A member submits the current stage: its snapshot is frozen.
    Submit,
    /// A reviewer returns the submission for revision; remarks are required.
    Return,
    /// A reviewer accepts the stage: the project moves to the next one (or is completed).
    Accept,
}

impl Transition {
    pub const ALL: [Transition; 5] = [
        Transition::AcceptProposal,
        Transition::DeclineProposal,
        Transition::Submit,
        Transition::Return,
        Transition::Accept,
    ];
}

/// Where a project stands: its standing, the index of its current stage among `stage_count`,
/// and the state of that stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Position {
    pub standing: Standing,
    pub stage: usize,
    pub stage_count: usize,
    pub state: ReviewState,
}

/// Why a transition is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// This role may never make this move.
    NotYourRole,
    /// The move does not apply where the project stands (e.g. accepting twice).
    WrongState,
    /// Returning for revision needs at least one remark or a comment.
    RemarksRequired,
}

impl Position {
    /// Whether this position is one the workflow can reach.
    pub fn is_valid(&self) -> bool {
        if self.stage_count == 0 || self.stage >= self.stage_count {
            return false;
        }
        match self.standing {
            // A proposal (or a declined one) sits on the first stage, being worked on.
            Standing::Proposed | Standing::Declined => {
                self.stage == 0 && self.state == ReviewState::Working
            }
            Standing::Active => {
                self.state != ReviewState::Completed || self.stage + 1 == self.stage_count
            }
        }
    }

    /// The position after `transition` by `role`; `has_remarks` says whether the submission has
    /// remarks or a comment (needed to return it).
    pub fn apply(
        self,
        role: Role,
        transition: Transition,
        has_remarks: bool,
    ) -> Result<Position, Refusal> {
        let allowed = match transition {
            Transition::Submit => role == Role::Member,
            Transition::AcceptProposal
            | Transition::DeclineProposal
            | Transition::Return
            | Transition::Accept => role == Role::Reviewer,
        };
        if !allowed {
            return Err(Refusal::NotYourRole);
        }
        let next = match (transition, self.standing, self.state) {
            (Transition::AcceptProposal, Standing::Proposed, _) => Position {
                standing: Standing::Active,
                // Approving the proposal completes the topic stage.
                stage: (self.stage + 1).min(self.stage_count - 1),
                state: if self.stage_count == 1 {
                    ReviewState::Completed
                } else {
                    ReviewState::Working
                },
                ..self
            },
            (Transition::DeclineProposal, Standing::Proposed, _) => Position {
                standing: Standing::Declined,
                ..self
            },
            (
                Transition::Submit,
                Standing::Active,
                ReviewState::Working | ReviewState::Returned,
            ) => Position {
                state: ReviewState::Submitted,
                ..self
            },
            (Transition::Return, Standing::Active, ReviewState::Submitted) => {
                if !has_remarks {
                    return Err(Refusal::RemarksRequired);
                }
                Position {
                    state: ReviewState::Returned,
                    ..self
                }
            }
            (Transition::Accept, Standing::Active, ReviewState::Submitted) => {
                if self.stage + 1 >= self.stage_count {
                    Position {
                        state: ReviewState::Completed,
                        ..self
                    }
                } else {
                    Position {
                        stage: self.stage + 1,
                        state: ReviewState::Working,
                        ..self
                    }
                }
            }
            _ => return Err(Refusal::WrongState),
        };
        debug_assert!(next.is_valid());
        Ok(next)
    }

    /// Whether members may still change the working copy (pages, files, passport). Submitting
    /// does not lock it: the reviewer reads the snapshot, not the working copy.
    pub fn working_copy_open(&self) -> bool {
        self.standing != Standing::Declined
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(standing: Standing, stage: usize, state: ReviewState) -> Position {
        Position {
            standing,
            stage,
            stage_count: 6,
            state,
        }
    }

    /// Every reachable position of a six-stage procedure.
    fn positions() -> Vec<Position> {
        let mut all = vec![
            at(Standing::Proposed, 0, ReviewState::Working),
            at(Standing::Declined, 0, ReviewState::Working),
        ];
        for stage in 1..6 {
            for state in [
                ReviewState::Working,
                ReviewState::Submitted,
                ReviewState::Returned,
            ] {
                all.push(at(Standing::Active, stage, state));
            }
        }
        // Staff-created projects start on the first stage too, once approved.
        all.push(at(Standing::Active, 0, ReviewState::Working));
        all.push(at(Standing::Active, 5, ReviewState::Completed));
        all
    }

    /// The table of allowed moves, written out independently of `apply`.
    fn expected(
        from: Position,
        role: Role,
        t: Transition,
        remarks: bool,
    ) -> Result<Position, Refusal> {
        use ReviewState::*;
        let reviewer = role == Role::Reviewer;
        let member = role == Role::Member;
        match t {
            Transition::AcceptProposal | Transition::DeclineProposal if !reviewer => {
                Err(Refusal::NotYourRole)
            }
            Transition::Return | Transition::Accept if !reviewer => Err(Refusal::NotYourRole),
            Transition::Submit if !member => Err(Refusal::NotYourRole),
            Transition::AcceptProposal if from.standing == Standing::Proposed => {
                Ok(at(Standing::Active, 1, Working))
            }
            Transition::DeclineProposal if from.standing == Standing::Proposed => {
                Ok(at(Standing::Declined, 0, Working))
            }
            Transition::Submit
                if from.standing == Standing::Active
                    && matches!(from.state, Working | Returned) =>
            {
                Ok(Position {
                    state: Submitted,
                    ..from
                })
            }
            Transition::Return if from.standing == Standing::Active && from.state == Submitted => {
                if remarks {
                    Ok(Position {
                        state: Returned,
                        ..from
                    })
                } else {
                    Err(Refusal::RemarksRequired)
                }
            }
            Transition::Accept if from.standing == Standing::Active && from.state == Submitted => {
                if from.stage == 5 {
                    Ok(Position {
                        state: Completed,
                        ..from
                    })
                } else {
                    Ok(at(Standing::Active, from.stage + 1, Working))
                }
            }
            _ => Err(Refusal::WrongState),
        }
    }

    #[test]
    fn every_transition_for_every_role_from_every_position() {
        let mut allowed = 0;
        let mut refused = 0;
        for from in positions() {
            assert!(from.is_valid(), "{from:?}");
            for role in Role::ALL {
                for t in Transition::ALL {
                    for remarks in [false, true] {
                        let got = from.apply(role, t, remarks);
                        assert_eq!(
                            got,
                            expected(from, role, t, remarks),
                            "{from:?} {role:?} {t:?} {remarks}"
                        );
                        if got.is_ok() {
                            allowed += 1;
                        } else {
                            refused += 1;
                        }
                    }
                }
            }
        }
        assert!(
            allowed > 20 && refused > 200,
            "{allowed} allowed, {refused} refused"
        );
    }

    #[test]
    fn the_whole_procedure_from_proposal_to_defence() {
        let mut p = at(Standing::Proposed, 0, ReviewState::Working);
        p = p
            .apply(Role::Reviewer, Transition::AcceptProposal, false)
            .expect("allowed");
        assert_eq!(p.stage, 1);
        for stage in 1..6 {
            p = p
                .apply(Role::Member, Transition::Submit, false)
                .expect("allowed");
            // Accepting or returning twice, or submitting again, is refused while it waits.
            assert_eq!(
                p.apply(Role::Member, Transition::Submit, false),
                Err(Refusal::WrongState)
            );
            assert_eq!(
                p.apply(Role::Reviewer, Transition::Return, false),
                Err(Refusal::RemarksRequired)
            );
            p = p
                .apply(Role::Reviewer, Transition::Return, true)
                .expect("allowed");
            assert_eq!(
                p.apply(Role::Reviewer, Transition::Accept, false),
                Err(Refusal::WrongState)
            );
            p = p
                .apply(Role::Member, Transition::Submit, false)
                .expect("allowed");
            p = p
                .apply(Role::Reviewer, Transition::Accept, false)
                .expect("allowed");
            if stage < 5 {
                assert_eq!((p.stage, p.state), (stage + 1, ReviewState::Working));
            }
        }
        assert_eq!(p.state, ReviewState::Completed);
        for role in Role::ALL {
            for t in Transition::ALL {
                assert!(
                    p.apply(role, t, true).is_err(),
                    "nothing moves a completed project"
                );
            }
        }
    }

    #[test]
    fn a_declined_proposal_is_final_and_closed() {
        let p = at(Standing::Proposed, 0, ReviewState::Working)
            .apply(Role::Reviewer, Transition::DeclineProposal, false)
            .expect("allowed");
        assert!(!p.working_copy_open());
        for role in Role::ALL {
            for t in Transition::ALL {
                assert!(p.apply(role, t, true).is_err());
            }
        }
    }

    #[test]
    fn one_stage_procedure_completes_on_approval() {
        let p = Position {
            standing: Standing::Proposed,
            stage: 0,
            stage_count: 1,
            state: ReviewState::Working,
        };
        let p = p
            .apply(Role::Reviewer, Transition::AcceptProposal, false)
            .expect("allowed");
        assert!(p.is_valid());
        assert_eq!(p.state, ReviewState::Completed);
    }

    fn action() -> impl Strategy<Value = (Role, Transition, bool)> {
        (
            prop::sample::select(Role::ALL.to_vec()),
            prop::sample::select(Transition::ALL.to_vec()),
            any::<bool>(),
        )
    }

    proptest! {
        /// No sequence of actions, by anyone, reaches an invalid position; refused actions
        /// change nothing; the stage never goes back.
        #[test]
        fn no_sequence_reaches_an_invalid_position(
            stage_count in 1usize..9,
            proposed in any::<bool>(),
            actions in prop::collection::vec(action(), 0..60),
        ) {
            let mut p = Position {
                standing: if proposed { Standing::Proposed } else { Standing::Active },
                stage: 0,
                stage_count,
                state: ReviewState::Working,
            };
            for (role, t, remarks) in actions {
                match p.apply(role, t, remarks) {
                    Ok(next) => {
                        prop_assert!(next.is_valid(), "{:?} -> {:?}", p, next);
                        prop_assert!(next.stage >= p.stage);
                        prop_assert_eq!(next.stage_count, p.stage_count);
                        p = next;
                    }
                    Err(_) => prop_assert!(p.is_valid()),
                }
            }
        }
    }
}
