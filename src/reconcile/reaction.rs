//! What the reconciler does about an error: one table over the operation, the stage at which the
//! error arrived and its class (classified once, in `cloud::error`).

use crate::cloud::ErrorClass;
use crate::model::operation::OperationKind;

/// Where an error arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// A mutation was refused synchronously, or got no answer.
    Submit,
    /// A mutation's request settled `FAILED` (the error is its HandlerErrorCode).
    Settle,
    /// `GetResourceRequestStatus` failed.
    Poll,
    /// `CancelResourceRequest` failed.
    Cancel,
    /// `GetResource` failed.
    Read,
}

/// The reconciler's answer to an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reaction {
    /// The goal holds already: a delete of a client that is gone.
    Done,
    /// Send the same request again, with the same ClientToken, after a backoff: its outcome is
    /// unknown or it was refused before it started.
    Resend,
    /// The request is over and made nothing: try again with a new request after a backoff.
    RetryLater,
    /// Ask again later (a poll that got no answer); no attempt is spent.
    AskAgain,
    /// A read says the client is gone: confirm it before acting on it.
    ConfirmAbsence,
    /// Cloud Control says our ClientToken belongs to a request it names: follow that request.
    Resume,
    /// Cloud Control no longer knows the request: resolve it by reading the client.
    Lost,
    /// The request settled anyway (a cancel of a finished request): poll it to its outcome.
    Settled,
    /// Stop: phase `Failed` until the desired state changes or a user asks for a refresh.
    Fail,
}

/// The table. `kind` is the operation's kind (`None` for reads outside one).
pub fn on_error(kind: Option<OperationKind>, stage: Stage, class: ErrorClass) -> Reaction {
    use ErrorClass as C;
    use OperationKind as K;
    use Reaction as R;
    use Stage as S;
    match (stage, class, kind) {
        (S::Submit, C::Throttled | C::Transient | C::Busy, _) => R::Resend,
        (S::Submit, C::TokenConflict, _) => R::Resume,
        (S::Settle, C::Throttled | C::Transient | C::Busy, _) => R::RetryLater,
        (S::Submit | S::Settle, C::NotFound, Some(K::Delete)) => R::Done,
        (S::Submit | S::Settle, C::NotFound, Some(K::Update)) => R::ConfirmAbsence,
        (S::Submit | S::Settle, _, _) => R::Fail,
        (S::Poll, C::RequestTokenNotFound, _) => R::Lost,
        (S::Poll, _, _) => R::AskAgain,
        (S::Cancel, C::RequestTokenNotFound, _) => R::Lost,
        (S::Cancel, C::Terminal, _) => R::Settled,
        (S::Cancel, _, _) => R::AskAgain,
        (S::Read, C::NotFound, _) => R::ConfirmAbsence,
        (S::Read, class, _) if class.is_retriable() => R::RetryLater,
        (S::Read, _, _) => R::Fail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ErrorClass as C;
    use OperationKind as K;
    use Reaction as R;
    use Stage as S;

    #[test]
    fn a_refused_or_unanswered_mutation_is_resent_with_its_token_when_retriable() {
        for kind in [K::Create, K::Update, K::Delete] {
            for class in [C::Throttled, C::Transient, C::Busy] {
                assert_eq!(on_error(Some(kind), S::Submit, class), R::Resend);
            }
            assert_eq!(on_error(Some(kind), S::Submit, C::TokenConflict), R::Resume);
            assert_eq!(on_error(Some(kind), S::Submit, C::Terminal), R::Fail);
        }
    }

    #[test]
    fn terminal_handler_codes_fail_and_retriable_ones_retry() {
        for kind in [K::Create, K::Update, K::Delete] {
            assert_eq!(on_error(Some(kind), S::Settle, C::Terminal), R::Fail);
            assert_eq!(on_error(Some(kind), S::Settle, C::Throttled), R::RetryLater);
            assert_eq!(on_error(Some(kind), S::Settle, C::Transient), R::RetryLater);
        }
    }

    #[test]
    fn not_found_is_done_for_a_delete_and_never_trusted_at_once_for_an_update() {
        for stage in [S::Submit, S::Settle] {
            assert_eq!(on_error(Some(K::Delete), stage, C::NotFound), R::Done);
            assert_eq!(
                on_error(Some(K::Update), stage, C::NotFound),
                R::ConfirmAbsence
            );
            assert_eq!(on_error(Some(K::Create), stage, C::NotFound), R::Fail);
        }
        assert_eq!(on_error(None, S::Read, C::NotFound), R::ConfirmAbsence);
    }

    #[test]
    fn polls_and_cancels_ask_again_unless_the_request_is_unknown_or_over() {
        assert_eq!(
            on_error(Some(K::Create), S::Poll, C::Throttled),
            R::AskAgain
        );
        assert_eq!(on_error(Some(K::Create), S::Poll, C::Terminal), R::AskAgain);
        assert_eq!(
            on_error(Some(K::Create), S::Poll, C::RequestTokenNotFound),
            R::Lost
        );
        assert_eq!(
            on_error(Some(K::Update), S::Cancel, C::Terminal),
            R::Settled
        );
        assert_eq!(
            on_error(Some(K::Update), S::Cancel, C::Transient),
            R::AskAgain
        );
    }

    #[test]
    fn reads_retry_transient_errors_and_fail_on_terminal_ones() {
        assert_eq!(on_error(None, S::Read, C::Throttled), R::RetryLater);
        assert_eq!(on_error(None, S::Read, C::Terminal), R::Fail);
    }
}
