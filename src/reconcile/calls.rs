//! Where a step's calls go and which budget they spend: the namespace's account, the account an
//! operation was pinned to, and the pool and budget call of a mutation.

use crate::cloud::{Account, Call, pool_of};
use crate::model::operation::{OperationKind, OperationRequest};
use crate::model::work::WorkItem;
use crate::store::operations::OperationRow;

/// The account `item`'s namespace lives in.
pub(super) fn account_of(item: &WorkItem) -> Account {
    Account {
        assume_role_arn: item.assume_role_arn.clone(),
        external_id: item.external_id.clone(),
    }
}

/// The account an operation was sent to, as its row pins it.
pub(super) fn pinned_account(request: &OperationRequest) -> Account {
    Account {
        assume_role_arn: request.assume_role_arn.clone(),
        external_id: request.external_id.clone(),
    }
}

/// The budget call of a mutation.
pub(super) fn mutation(kind: OperationKind) -> Call {
    match kind {
        OperationKind::Create => Call::Create,
        OperationKind::Update => Call::Update,
        OperationKind::Delete => Call::Delete,
    }
}

/// The user pool a mutation touches.
pub(super) fn pool_of_operation(op: &OperationRow) -> Option<String> {
    let from_identifier = op.identifier.as_deref().and_then(pool_of);
    let from_desired = op.request.user_pool_id();
    from_identifier.or(from_desired).map(str::to_owned)
}
