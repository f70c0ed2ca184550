"""Privileged roles named by a guard, recognized by word in any spelling (camelCase, snake, kebab, dotted).

`isSuperAdmin`, `require_admin`, `session.MustAdmin()`, `ROLE_ADMIN` and `can:settings-manage` all name a role
only trusted people hold; `badminton` and `administrative_area` do not. Every framework family asks here.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")

PRIVILEGED_WORDS = frozenset(
    {
        "admin",
        "admins",
        "administrator",
        "administrators",
        "administer",  # `ensure_can_administer`, `can_administer?`
        "administration",  # `[Authorize(Policy = AuthorizationConsts.AdministrationPolicy)]`
        "superadmin",
        "superuser",
        "superusers",
        "sysadmin",
        "staff",
        "operator",
        "operators",
        "moderator",
        "moderators",
        "maintainer",  # `before_action :ensure_maintainer!`: a project's trusted maintainers
        "maintainers",
        "sudo",
        "elevated",
        "elevation",
    }
)
# Lower-case compounds written as one word: `isadmin`, `adminonly`.
_AFFIXES = ("is", "super", "sys", "must", "require", "requires", "has", "only", "required", "access")
# Permissions that manage who may do what, or the instance itself, are an administrator's whatever the role is
# called (`can:settings-manage`, `users-manage`, `manage_roles`, `CanModifyServerSettings`, `modify_system`).
# (`UserManager`, fastapi-users' `get_user_manager`, names a service object, not a permission.)
_MANAGED = frozenset(
    {
        "settings",
        "users",
        "roles",
        "permissions",
        "restrictions",
        "system",
        "server",  # `UserPermission::ManageServer`
        "config",  # `acl.ResourceConfig, acl.ActionManage`
        "configuration",
        "instance",
        "member",
        "members",
        "workspace",
    }
)
_MANAGE = frozenset({"manage", "management", "modify", "administer"})
_INSTANCE = frozenset({"system", "server", "instance"})
_CONFIGURATION = frozenset({"configuration", "config", "settings"})
_AUTHZ = frozenset({"role", "roles", "permission", "permissions"})
_GRANTING = frozenset({"create", "update", "delete", "write", "edit", "grant", "assign", "revoke"})
_SPLIT_ROLES = frozenset({"user", "users", "admin", "admins"})


_MAYBE = frozenset({"maybe", "optional", "optionally", "soft"})
# Words naming an administration panel's controller or class (`AdminController`, `SuperAdminResource`).
ADMIN_WORDS = frozenset({"admin", "administrator", "administration", "superadmin", "sysadmin", "superuser"})


def words(identifier: str) -> list[str]:
    """Lower-case words of an identifier or expression, split on case changes and any punctuation."""
    return [w.lower() for w in _WORD.findall(identifier)]


def _privileged_word(word: str) -> bool:
    if word in PRIVILEGED_WORDS:
        return True
    for affix in _AFFIXES:
        if word.startswith(affix) and word[len(affix) :] in PRIVILEGED_WORDS:
            return True
        if word.endswith(affix) and word[: -len(affix)] in PRIVILEGED_WORDS:
            return True
    return False


# Roles that read everything and change nothing: beside a privileged role (`IsSystemAdminOrAuditor`) they keep
# the guard privileged; alone (`AuditorConstraint`) they are a wider audience than the administrators.
_READ_EVERYTHING = frozenset({"auditor", "auditors"})

# Ends a guard that lets anyone read (`IsStaffOrReadOnly`) when it stands on a route serving only writes
# (`@action(methods=["post"], permission_classes=[IsStaffOrReadOnly])`): there only the role passes it.
ON_WRITES = " on a write-only route"


def privileged_role(text: str) -> str | None:
    """The privileged role or capability `text` names (`admin`, `master key`, `settings manage`), if any."""
    found = words(text)
    # `IsAdminOrReadOnly`, `AdminWriteOnly`: anyone may read what only the role may change.
    if not text.endswith(ON_WRITES) and any(
        w in ("read", "write") and found[i + 1 : i + 2] == ["only"] for i, w in enumerate(found)
    ):
        return None
    for i, word in enumerate(found):
        if _privileged_word(word):
            # `AdminMaybeGuard`, `optionalAdmin`: lets everyone in, the role only sees more.
            if _MAYBE & {*found[i + 1 : i + 2], *found[max(0, i - 1) : i]}:
                continue
            # `isAdminOrHasConfigMinRole`, `IsAdminOrOwner`: the role or someone else; not the role alone.
            other = [w for w in found[i + 2 : i + 4] if w not in ("is", "has", "the", "an", "a")][:1]
            # (`IsStaffOrReadOnly` on a write-only route: the role alone.)
            if (
                found[i + 1 : i + 2] == ["or"]
                and other
                and not _privileged_word(other[0])
                and other[0] not in _READ_EVERYTHING
                and not (other[0] == "read" and text.endswith(ON_WRITES))
            ):
                continue
            return word
        # `middleware.RootAuth()`, `requireRoot`, `is_root`: the installation's root user, as a guard
        if word == "root" and (
            (found[i + 1 : i + 2] and found[i + 1] in ("auth", "only", "required", "access", "user"))
            or (i > 0 and found[i - 1] in ("require", "requires", "is", "must", "only", "ensure"))
        ):
            return "root"
        # `Permission.SU`, `Role.SU`: the super user, named by its abbreviation after what it is.
        if word == "su" and i > 0 and found[i - 1] in _AUTHZ:
            return "su"
        # `Roles = RoleNames.Host`: the role that runs the whole installation (Oqtane, DNN), as a role only.
        if word == "host" and {"role", "roles"} & set(found[max(0, i - 3) : i]):
            return "host"
        if word == "master" and found[i + 1 : i + 2] == ["key"]:
            return "master key"
        # Frappe's `frappe.only_for("System Manager")`: the role that administers the site
        if word == "system" and found[i + 1 : i + 2] == ["manager"]:
            return "system manager"
        # `OnlySuperUser`, `IsSuperUser`, `sys_admin`, `is_root_user`: one role written as two words.
        if word in ("super", "sys", "root") and found[i + 1 : i + 2] and found[i + 1] in _SPLIT_ROLES:
            return word + found[i + 1]
        # `@RequiresSuperAuthentication`: signed in as the super user
        if (
            word == "super"
            and found[i + 1 : i + 2]
            and found[i + 1] in ("auth", "authentication", "authenticated")
        ):
            return "super"
        # `Permissions.SYSTEM_CONFIGURATION`, `SERVER_SETTINGS`: a right over the instance's own configuration.
        if word in _INSTANCE and found[i + 1 : i + 2] and found[i + 1] in _CONFIGURATION:
            return f"{word} {found[i + 1]}"
        if word in _MANAGE and (_MANAGED & set(found[max(0, i - 2) : i + 3])):
            return " ".join(found[max(0, i - 2) : i + 3])
        # `Scope.USERS_WRITE`, `users:write`: writing other users' accounts is the administrator's.
        if word == "write" and i > 0 and found[i - 1] == "users":
            return "users write"
        # `authorization:roles:create`: changing who may do what is the administrator's.
        # (`min_role_edit_views` names the least role that may edit views, not a right over roles.)
        least = {"min", "minimum", "least", "lowest"} & set(found[max(0, i - 3) : i])
        if word in _GRANTING and (_AUTHZ & set(found[max(0, i - 2) : i])) and not least:
            return " ".join(found[max(0, i - 2) : i + 1])
    return None


_ADMINISTERED = _MANAGED | {"options"}


def managing_grant(text: str) -> str | None:
    """`acl.ResourceConfig, acl.ActionManage`: the arguments of an access check that grant managing
    something only administrators manage (the settings, the configuration, users, the server)."""
    found = words(text)
    verb = next((w for w in found if w in _MANAGE), None)
    noun = next((w for w in found if w in _ADMINISTERED), None)
    return f"{verb} {noun}" if verb and noun else None
