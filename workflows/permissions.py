"""Who sees the flow pages and which task queues: permissions of the ApplicationProcess proxy, registered
with approvals' role sync (ports.role_permissions) so that every roles_sync keeps them."""

from approvals.roles import SUPERVISOR, WINDOW_STAFF

# viewflow's pages need view_<proxy> (else 403); the task queues match task.owner_permission
FLOW_PERMISSIONS = {
    WINDOW_STAFF: ["workflows.view_applicationprocess", "workflows.decide_application", "workflows.review_application"],
    SUPERVISOR: ["workflows.view_applicationprocess"],
}


def register_flow_permissions() -> None:
    from approvals import ports

    for role, perms in FLOW_PERMISSIONS.items():
        registered = ports.role_permissions.setdefault(role, [])
        registered.extend(p for p in perms if p not in registered)
