"""Rails `config/routes.rb`: verbs, `resources`/`resource`, `namespace`/`scope` blocks, devise `authenticate`."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from .model import (
    ADMIN_HANDLER,
    AUTHENTICATED,
    DEV_SERVER,
    MAX_FILE_CHARS,
    OPS_DASHBOARD,
    SKIPS,
    UNKNOWN,
    join_paths,
    line_of,
)
from .roles import ADMIN_WORDS, privileged_role, words
from .routes import INHERITS, FileRoutes, RawRoute
from .scan import AUTH_WORDS, plural

CONTROLLER = (
    "rails:"  # guard key of a controller: `rails:api/v1/users`, its actions `rails:api/v1/users#exist`
)
_CONTROLLER_PATH = re.compile(r"(?:^|/)app/controllers/(.+)_controller\.rb$")
_PARENT = re.compile(r"^\s*class\s+[\w:]+\s*<\s*([\w:]+Controller)\b", re.M)
_BANG_CHECK = re.compile(r"(?:ensure|require)_\w{1,60}!$")
_BEFORE = re.compile(r"^\s*(skip_)?before_(?:action|filter)\s+:(\w+[!?]?)(.{0,300})$", re.M)
# `skip_before_filter :verify_authenticity_token, :check_http_auth, only: :x`: every symbol before the options
_MORE_FILTERS = re.compile(r"\s*,\s*:(\w+[!?]?)(?![\w!?])(?!\s*=>)")


def _filters(text: str) -> list[tuple[str | None, str, str]]:
    """(`skip_` or None, filter name, options) for each filter a `before_action` line names."""
    out: list[tuple[str | None, str, str]] = []
    for b in _BEFORE.finditer(text[:MAX_FILE_CHARS]):
        names, rest = [b.group(2)], b.group(3)
        while (more := _MORE_FILTERS.match(rest)) is not None:
            names.append(more.group(1))
            rest = rest[more.end() :]
        out += [(b.group(1), name, rest) for name in names]
    return out


def controller_class(key: str) -> str:
    """What the class of controller key `rails:admin/base` is declared as, searchable: `BaseController <`."""
    last = key.removeprefix(CONTROLLER).split("#", 1)[0].rsplit("/", 1)[-1]
    return "".join(part.capitalize() for part in last.split("_")) + "Controller <"


_NOT_SIGN_IN = frozenset({"verify_authenticity_token"})
_LOADER = re.compile(r"(?:set|load|find|fetch|assign|build)_")
_CHECKS = re.compile(r"auth|require|ensure|check|verify|permi|protect|restrict|allow|deny|forbid|guard")


def _controller_guards(path: str, text: str) -> FileRoutes:
    """`before_action :require_admin` in `app/controllers/x/y_controller.rb` guards handler `rails:x/y`."""
    m = _CONTROLLER_PATH.search(path)
    out = FileRoutes()
    if m is None:
        return out
    key = CONTROLLER + m.group(1)
    parent = _PARENT.search(text[:MAX_FILE_CHARS])
    if parent is not None and parent.group(1) not in ("ApplicationController", "ActionController::Base"):
        name = parent.group(1).removesuffix("Controller")
        snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower().replace("::", "/")
        out.guards.setdefault(key, []).append(f"{INHERITS}{CONTROLLER}{snake}")
    if "authorize" in text:
        for target, inherits in _policy_asked(key, text).items():
            out.guards.setdefault(target, []).extend(inherits)
    public: list[str] | None = None  # the controller's public actions, read once when an `except:` needs them
    excepts = 0
    for skip, raw, rest in _filters(text):
        name = raw.rstrip("!?")
        # `before_action :ensure_maintainer!`: a bang check that refuses whom it does not ensure
        # `verify_authenticity_token` is Rails' CSRF check, no sign-in
        # `before_action :set_staff_account` loads a record; `load_and_authorize_resource` checks
        named = (
            (AUTH_WORDS.search(name) or _BANG_CHECK.match(raw))
            and name not in _NOT_SIGN_IN
            and not (_LOADER.match(name) and not _CHECKS.search(name))
        )
        if not named or re.search(r"\b(?:unless|if)\b", rest):
            continue
        only = re.search(r"\bonly\b:?\s*(?:=>\s*)?(\[[^\]]{0,300}\]|%i\[[^\]]{0,300}\]|:\w+)", rest)
        except_ = re.search(r"\bexcept\b:?\s*(?:=>\s*)?(\[[^\]]{0,300}\]|%i\[[^\]]{0,300}\]|:\w+)", rest)
        if except_ is not None:
            # `before_action :verify_moderator, except: [:promotions]`: every public action of this
            # controller but those listed (an action inherited or not read here keeps no guard from it)
            excepts += 1
            if skip or excepts > MAX_EXCEPTS:
                continue
            left = set(_symbols(except_.group(1)) or re.findall(r"\w+", except_.group(1).removeprefix("%i")))
            public = _public_actions(text) if public is None else public
            targets = [f"{key}#{a}" for a in public if a not in left]
            # the actions listed opt out of it, as if they skipped it (`skip_before_action … only:`)
            for action in sorted(left):
                out.guards.setdefault(f"{key}#{action}", []).append(f"{SKIPS}before_action :{name}")
        else:
            actions = (
                _symbols(only.group(1)) or re.findall(r"\w+", only.group(1).removeprefix("%i"))
                if only
                else []
            )
            targets = [f"{key}#{a}" for a in actions] if only else [key]
        for target in targets:
            guard = f"before_action :{name}"
            out.guards.setdefault(target, []).append(f"{SKIPS}{guard}" if skip else guard)
    return out


# Engines that serve job queues, feature flags, database or performance consoles: internal wherever mounted.
_OPS_ENGINE = re.compile(
    r"\s*\(?\s*((?:::)?(?:Sidekiq::Web|GoodJob::Engine|Flipper::UI|PgHero::Engine|Blazer::Engine|"
    r"RailsAdmin::Engine|MissionControl::Jobs::Engine|Resque::Server|DelayedJobWeb|Coverband::Reporters::Web|"
    r"Logster::Web|RailsPerformance::Engine|Motor::Admin|SolidQueueDashboard::Engine|LetterOpenerWeb::Engine|"
    r"Lookbook::Engine|PgHero::Web|Audits1984::Engine|Console1984::Engine|Avo::Engine|ActiveAdmin::Engine|"
    r"Administrate::Engine|Rswag::Ui::Engine|Rswag::Api::Engine|GraphiQL::Rails::Engine|ExceptionHunter::Engine|ErrorTracker::Engine|"
    r"RailsPulse::Engine|Yabeda::\w+|Split::Dashboard|FieldTest::Engine|Litestream::Engine|SolidErrors::Engine|"
    r"MaintenanceTasks::Engine|Que::Web))\b"
)


_ACTIVE_ADMIN = re.compile(r"^\s*ActiveAdmin\.routes\s*\(\s*self\s*\)")
_SIDEKIQ_EXTENSION = re.compile(r"^[ \t]*require[ \t(]+['\"](sidekiq[-_/][\w/-]{1,60}?)/web['\"]", re.M)


def _sidekiq_extensions(text: str) -> list[str]:
    """The Sidekiq web extensions a routes file requires (`sidekiq/cron`, `sidekiq-status`), not Sidekiq's own."""
    return list(dict.fromkeys(_SIDEKIQ_EXTENSION.findall(text[:MAX_FILE_CHARS])))[:8]


def _mounted(rest: str, text: str = "") -> tuple[str, ...]:
    """Reasons of a `mount X => "/at"`: an operations dashboard when X is one, or when X is a local variable
    built from one (`flipper_app = Flipper::UI.app(…)`; `mount flipper_app, at: "/flipper"`)."""
    engine = _OPS_ENGINE.match(rest)
    variable = re.match(r"\s*\(?\s*([a-z_]\w*)\b", rest) if engine is None else None
    if variable is not None:
        built = re.search(r"^[ \t]*" + variable.group(1) + r"[ \t]*=(?!=)", text[:MAX_FILE_CHARS], re.M)
        engine = _OPS_ENGINE.match(text, built.end()) if built else None
    return (OPS_DASHBOARD + engine.group(1).lstrip(":"),) if engine else ("mounted engine",)


_LINE = re.compile(
    r"^\s*(get|post|put|patch|delete|match|resources|resource|namespace|scope|authenticate|authenticated|constraints|member|collection|mount|root)\b(.{0,500})$"
)
_ACTIONS = {
    "index": ("GET", ""),
    "create": ("POST", ""),
    "new": ("GET", "new"),
    "edit": ("GET", "{id}/edit"),
    "show": ("GET", "{id}"),
    "update": ("PATCH", "{id}"),
    "destroy": ("DELETE", "{id}"),
}
_SINGULAR = {
    "create": ("POST", ""),
    "new": ("GET", "new"),
    "edit": ("GET", "edit"),
    "show": ("GET", ""),
    "update": ("PATCH", ""),
    "destroy": ("DELETE", ""),
}


MAX_ACTIONS = 200  # public actions read from one controller
MAX_EXCEPTS = 20  # `before_action …, except:` lines read from one controller
_DEF = re.compile(r"^[ \t]*def[ \t]+(\w+[!?]?)|^[ \t]*(private|protected)[ \t]*$", re.M)


def _public_actions(text: str) -> list[str]:
    """The public methods of a controller (its actions): every `def` before a bare `private`/`protected`."""
    out: list[str] = []
    for m in _DEF.finditer(text[:MAX_FILE_CHARS]):
        if m.group(2):
            break
        out.append(m.group(1))
        if len(out) >= MAX_ACTIONS:
            break
    return out


def _symbols(s: str) -> list[str]:
    """`[:index, :show]`, `:index`, or a word list `%i[index show]`."""
    if s.startswith("%"):
        return re.findall(r"\w+", s[2:])
    return re.findall(r":(\w+)", s)


# A list of actions: `[:a, :b]`, `%i[a b]` (or `%w[…]`), or one `:a`.
_ACTION_LIST = r"(%[iIwW]\[[^\]]{0,300}\]|\[[^\]]{0,300}\]|:\w+)"


# A route option written either way: `only: [...]` or `:only => [...]`.
_OPTION = r"(?::|\s*=>)\s*"


def _handler(module: str, target: str) -> str:
    """`"mod#index"` or a resource name inside `namespace :mod` → `rails:mod/…#action`."""
    controller, _, action = target.partition("#")
    name = "/".join(p for p in (module, controller) if p)
    return f"{CONTROLLER}{name}#{action}" if action else f"{CONTROLLER}{name}"


# `draw(:admin)` in `config/routes.rb` reads `config/routes/admin.rb`: the drawn file is bare route DSL.
_DRAWN_FILE = re.compile(r"(?:^|/)config/routes/[\w/-]{1,200}\.rb$")


def _code(raw: str) -> str:
    """A line without its comment: a `#` outside quotes that opens no interpolation (`constraints: { id:
    /[#{User::LOGIN_FORMAT}]*/ } do` keeps its `do`; `to: "home#api"` its target)."""
    if "#" not in raw:
        return raw
    quote = ""
    escaped = False
    for i, c in enumerate(raw):
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif quote:
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "#" and raw[i + 1 : i + 2] != "{":
            return raw[:i]
    return raw


def is_drawn_routes(path: str) -> bool:
    return _DRAWN_FILE.search(path) is not None


POLICY = (
    "pundit:"  # guard key of a Pundit policy query: `pundit:home_banner#update` (HomeBannerPolicy#update?)
)
_POLICY_PATH = re.compile(r"(?:^|/)app/policies/(?:.+/)?(\w+)_policy\.rb$")
_QUERY_DEF = re.compile(r"^([ \t]*)def[ \t]+(\w+)\?[ \t]*(?:\(\s*\))?[ \t]*$", re.M)
_ALIAS_QUERY = re.compile(r"^[ \t]*alias(?:_method)?[ \t]+:?(\w+)\?,?[ \t]+:?(\w+)\?[ \t]*$", re.M)
# An action that asks its policy: `authorize resource`, `authorize @user, :ban?` (not CanCan's `authorize!`)
_AUTHORIZE = re.compile(r"^[ \t]*authorize[ \t(]+[@\w:.\[\]]+(?:[ \t]*,[ \t]*:(\w+)\?)?", re.M)
# A policy answer that names someone besides the role: its owner, a member, whoever else `||` admits.
_SOMEONE_ELSE = re.compile(r"\|\||\bor\b|owner|member|self|\brecord\.user\b|==|\bcan_")
MAX_QUERIES = 100
# Pundit's default query for the actions whose form shares it: `new?` asks `create?`, `edit?` asks `update?`.
_SHARED_QUERY = {"new": "create", "edit": "update"}


def singular(name: str) -> str:
    """`home_banners` → `home_banner`, `categories` → `category`, `boxes` → `box` (the inverse of `plural`)."""
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith(("ses", "xes", "ches", "shes")):
        return name[:-2]
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def _policy_name(model: str) -> str:
    """`home_banner` → `HomeBannerPolicy`."""
    return "".join(p.capitalize() for p in model.split("_")) + "Policy"


def policy_class(key: str) -> str:
    """What the policy of key `pundit:home_banner#update` is declared as, searchable: `class HomeBannerPolicy`."""
    return "class " + _policy_name(key.removeprefix(POLICY).split("#", 1)[0])


def _policy_queries(path: str, text: str) -> FileRoutes:
    """`def ban?; user.try(:admin?); end` in `app/policies/user_policy.rb`: the `ban` query admits
    administrators alone, a guard of every action that asks it (`pundit:user#ban`)."""
    out = FileRoutes()
    m = _POLICY_PATH.search(path)
    if m is None:
        return out
    model, cls = m.group(1), _policy_name(m.group(1))
    text = text[:MAX_FILE_CHARS]
    answers: dict[str, str] = {}
    for q in list(_QUERY_DEF.finditer(text))[:MAX_QUERIES]:
        end = re.compile(rf"^{q.group(1)}end\b", re.M).search(text, q.end())
        body = text[q.end() : end.start() if end else q.end()].strip()
        answers[q.group(2)] = body
    for alias, original in _ALIAS_QUERY.findall(text):
        answers.setdefault(alias, answers.get(original, ""))
    for name, body in answers.items():
        # one expression that names an administrator and no one else
        if "\n" in body or not body or _SOMEONE_ELSE.search(body) or not (set(words(body)) & ADMIN_WORDS):
            continue
        out.guards[f"{POLICY}{model}#{name}"] = [f"{cls}#{name}? admits an admin only"]
    return out


def _policy_asked(key: str, text: str) -> dict[str, list[str]]:
    """Each public action of a controller that asks its Pundit policy inherits the query's guard."""
    out: dict[str, list[str]] = {}
    # `Home::BannersController` asks `BannerPolicy` of a Banner, or `HomeBannerPolicy` of a HomeBanner
    parts = key.removeprefix(CONTROLLER).split("/")
    models = dict.fromkeys([singular(parts[-1]), singular("_".join(parts[-2:]))])
    defs = list(_DEF.finditer(text[:MAX_FILE_CHARS]))
    for i, d in enumerate(defs):
        if d.group(2):
            break
        body = text[d.end() : defs[i + 1].start() if i + 1 < len(defs) else len(text)]
        asked = _AUTHORIZE.search(body)
        if asked is None or len(out) >= MAX_ACTIONS:
            continue
        action = d.group(1)
        query = asked.group(1) or _SHARED_QUERY.get(action, action)
        out[f"{key}#{action}"] = [f"{INHERITS}{POLICY}{model}#{query}" for model in models]
    return out


# `constraints(AdminRequest) { mount SidekiqGdsSsoMiddleware, at: "/sidekiq" }`: a block on one line, in braces
_BRACE_BLOCK = re.compile(
    r"^(\s*(?:constraints|scope|namespace|authenticated?|defaults)\b[^{}\n]{0,300}?)\{\s*"
    r"((?:get|post|put|patch|delete|match|resources|resource|mount|root)\b[^\n]{0,500}?)\s*\}\s*$"
)


def _drawn_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of a routes file; a block written in braces on one line reads as `do` … `end`."""
    for n, raw in enumerate(text.splitlines(), 1):
        block = _BRACE_BLOCK.match(raw) if "{" in raw else None
        if block is None:
            yield n, raw
        else:
            yield n, block.group(1).rstrip() + " do"
            yield n, block.group(2)
            yield n, "end"


# `ActiveAdmin.register Command, as: 'Commands' do`, `ActiveAdmin.register_page "Dashboard"`: a resource or page
# of the admin console, served under its namespace (`/admin` unless `namespace:` says otherwise).
_ACTIVE_ADMIN_REGISTER = re.compile(
    r"^[ \t]*ActiveAdmin\.register(_page)?[ \t]*\(?[ \t]*(?:([A-Z][\w:]{0,120})|['\"]([^'\"\n]{1,80})['\"])([^\n]{0,300})$",
    re.M,
)
_AS = re.compile(r"\bas:\s*['\"]([^'\"\n]{1,80})['\"]")
_NAMESPACE = re.compile(r"\bnamespace:\s*(?::(\w{1,80})|(false))")
MAX_REGISTRATIONS = 200
# `path: "system-admin"` given to a `namespace` or `scope`
_PATH_OPTION = re.compile(r"path:\s*['\"]([^'\"]{0,300})['\"]")


def _underscore(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()).strip("_")


def _active_admin(text: str) -> FileRoutes:
    out = FileRoutes()
    for m in itertools.islice(_ACTIVE_ADMIN_REGISTER.finditer(text), MAX_REGISTRATIONS):
        page, model, title, options = m.group(1), m.group(2), m.group(3), m.group(4)
        alias = _AS.search(options)
        namespace = _NAMESPACE.search(options)
        if alias is not None:
            name = _underscore(alias.group(1))
            if not page and not name.endswith("s"):
                name = plural(name)
        elif page:
            name = _underscore(title or model or "")
        else:
            name = plural(_underscore((model or title or "").replace("::", "_")))
        space = "" if namespace and namespace.group(2) else (namespace.group(1) if namespace else "admin")
        reasons = (OPS_DASHBOARD + "ActiveAdmin " + ("page" if page else "resource"),)
        served = join_paths(f"/{space}" if space else "", name, "**")
        out.routes.append(RawRoute("http", "ANY", served, line_of(text, m.start()), UNKNOWN, reasons))
    return out


def extract_rails(path: str, text: str) -> FileRoutes:
    if "routes.draw" not in text and not is_drawn_routes(path):
        if "ActiveAdmin.register" in text:
            return _active_admin(text[:MAX_FILE_CHARS])
        if _POLICY_PATH.search(path):
            return _policy_queries(path, text)
        return _controller_guards(path, text)
    out = FileRoutes()
    # Stack of (prefix, authenticated) per open `do` block, and the controller module of each.
    # The reason is "" outside any authenticate block, else the block's guard (with the role it demands).
    stack: list[tuple[str, str]] = [("", "")]
    modules: list[str] = [""]
    # Per open block: the resource's controller and its collection path (`resources :pools do … end`), so
    # `put :assign, on: :collection` inside it routes to `pools#assign` under `/pools`.
    resources: list[tuple[str, str]] = [("", "")]
    # Per open block: the line of its `if Rails.env.development?`, else 0. The routes drawn inside such a block
    # serve in development only: their lines, collected as each block closes.
    dev_if: list[int] = [0]
    dev_spans: list[tuple[int, int]] = []
    for n, raw in _drawn_lines(text[:MAX_FILE_CHARS]):
        line = _code(raw)
        stripped = line.strip()
        if stripped == "end" or stripped.startswith("end "):
            if len(stack) > 1:
                stack.pop()
                modules.pop()
                resources.pop()
                opened = dev_if.pop()
                if opened and len(dev_spans) < MAX_DEV_BLOCKS:
                    dev_spans.append((opened + 1, n - 1))  # inside the `if` … `end`
            continue
        # `mount GraphiQL::Rails::Engine, at: "/graphiql" if Rails.env.development?`: this line only
        if _DEV_MODIFIER.search(raw) and not _DEV_IF.match(raw) and len(dev_spans) < MAX_DEV_BLOCKS:
            dev_spans.append((n, n))
        if _ACTIVE_ADMIN.match(line):
            # `ActiveAdmin.routes(self)`: the admin console, drawn under its default namespace
            console = (OPS_DASHBOARD + "ActiveAdmin",)
            out.routes.append(
                RawRoute("http", "ANY", join_paths(stack[-1][0], "/admin/**"), n, UNKNOWN, console)
            )
            continue
        m = _LINE.match(line)
        # a block opened by `do`, or by a conditional/loop/definition starting the line (its `end` must not
        # close the enclosing namespace)
        opens = bool(_OPENS.search(line))
        prefix, authed = stack[-1]
        module = modules[-1]
        if m is None:
            if opens:
                stack.append((prefix, authed))
                modules.append(module)
                resources.append(resources[-1])
                dev_if.append(n if _DEV_IF.match(raw) else 0)
            continue
        verb, rest = m.group(1), m.group(2)
        child = prefix
        child_module = module
        child_auth = authed
        controller, collection = resources[-1]
        child_resource = resources[-1]
        quoted = re.search(r"""['"]([^'"]{0,300})['"]""", rest)
        syms = _symbols(rest.split(",", 1)[0])
        # `namespace :admin`, or the name quoted: `namespace 'admin'`
        space = (
            syms[0] if syms else quoted.group(1) if quoted and rest.lstrip().startswith(("'", '"')) else ""
        )
        if verb == "namespace" and re.fullmatch(r"\w+", space):
            # `namespace :api, path: '/admin'`: the module is `api`, the path the option's
            path_opt = _PATH_OPTION.search(rest)
            child = join_paths(prefix, path_opt.group(1) if path_opt else space)
            child_module = "/".join(p for p in (module, space) if p)
        elif verb == "scope":
            path_opt = _PATH_OPTION.search(rest)
            # `scope "/admin"`, `scope "(:locale)"`: a path only as the first argument (`defaults: { user_id:
            # "me" }` names a parameter's value).
            if quoted and rest.lstrip().startswith(("'", '"')):
                child = join_paths(prefix, quoted.group(1))
            elif path_opt:
                child = join_paths(prefix, path_opt.group(1))
            # `scope module: "users" do`: controllers under `users/`, no path of their own.
            module_opt = re.search(r"module(?::\s*|\s*=>\s*)(?:['\"]([\w/]{1,200})['\"]|:(\w{1,200}))", rest)
            if module_opt:
                named_module = module_opt.group(1) or module_opt.group(2)
                child_module = "/".join(p for p in (module, named_module) if p)
        elif verb in ("authenticate", "authenticated"):
            role = privileged_role(rest)
            child_auth = f"inside authenticate block ({role} only)" if role else "inside authenticate block"
        elif verb == "constraints" and privileged_role(rest):
            child_auth = f"inside constraints ({privileged_role(rest)} only)"
        elif verb in ("resources", "resource"):
            only = re.search(r"only" + _OPTION + _ACTION_LIST, rest)
            except_ = re.search(r"except" + _OPTION + _ACTION_LIST, rest)
            named = re.search(r"controller" + _OPTION + r"['\"]([\w/]{1,200})['\"]", rest)
            table = _ACTIONS if verb == "resources" else _SINGULAR
            names = [s for s in syms]
            actions = list(table)
            if only:
                actions = [a for a in _symbols(only.group(1)) if a in table]
            if except_:
                actions = [a for a in actions if a not in _symbols(except_.group(1))]
            for name in names[:1]:
                # A singular `resource :ban` is served by the plural `BansController`.
                serving = named.group(1) if named else (plural(name) if verb == "resource" else name)
                base = join_paths(prefix, name)
                for action in actions:
                    method, suffix = table[action]
                    state = AUTHENTICATED if authed else UNKNOWN
                    reasons = (authed,) if authed else ()
                    out.routes.append(
                        RawRoute(
                            "http",
                            method,
                            join_paths(base, suffix),
                            n,
                            state,
                            reasons,
                            handler=_handler(module, f"{serving}#{action}"),
                        )
                    )
                child = join_paths(base, "{" + name.rstrip("s") + "_id}") if verb == "resources" else base
                child_resource = (serving, base)
        elif verb == "collection" and collection:
            child = collection
        elif verb == "root":
            out.routes.append(
                RawRoute("http", "GET", join_paths(prefix), n, AUTHENTICATED if authed else UNKNOWN)
            )
        elif verb == "mount":
            at = re.search(r"(?:at:\s*|=>\s*)['\"]([^'\"]{0,300})['\"]", rest)
            if at:
                mounted: tuple[str, ...] = _mounted(rest, text) + ((authed,) if authed else ())
                state = AUTHENTICATED if authed else UNKNOWN
                out.routes.append(
                    RawRoute("http", "ANY", join_paths(prefix, at.group(1), "**"), n, state, mounted)
                )
                # `require "sidekiq/cron/web"`: the extension's pages join the Sidekiq dashboard mounted here
                for ext in _sidekiq_extensions(text) if OPS_DASHBOARD + "Sidekiq::Web" in mounted else ():
                    where = join_paths(prefix, at.group(1), re.sub(r"^sidekiq[-_/]", "", ext), "**")
                    why = (OPS_DASHBOARD + f"Sidekiq::Web extension {ext}", *mounted[1:])
                    out.routes.append(RawRoute("http", "ANY", where, n, state, why))
        else:
            route = quoted.group(1) if quoted else (syms[0] if syms else None)
            # `get "old", to: redirect("new")` answers with a redirect to a route declared elsewhere.
            if re.search(r"(?:=>|to:)\s*redirect\b", line):
                route = None
            if route is not None:
                via = re.search(r"via:\s*(%[iIwW]\[[^\]]{0,200}\]|\[[^\]]{0,200}\]|:\w+)", rest)
                # `line` lost everything after `#`; the target `"mod#index"` is read from the raw line.
                to = re.search(r"""(?:=>|to:)\s*['"](\w[\w/]*#\w+)['"]""", raw)
                target = _handler(module, to.group(1)) if to else ""
                under = prefix
                if not to and not quoted and controller and syms:
                    target = _handler(module, f"{controller}#{syms[0]}")  # `put :assign` in a resource
                    if collection and re.search(r"\bon" + _OPTION + r":collection\b", rest):
                        under = collection
                methods = (
                    [v.upper() for v in _symbols(via.group(1))]
                    if (verb == "match" and via)
                    else ["ANY" if verb == "match" else verb.upper()]
                )
                # `get 'smtp_test' => 'admin#smtp_test'`: an action of the admin panel's controller
                served_by = target.removeprefix(CONTROLLER).partition("#")[0].rsplit("/", 1)[-1]
                admin = (ADMIN_HANDLER + served_by,) if ADMIN_WORDS.intersection(words(served_by)) else ()
                for method in methods:
                    state = AUTHENTICATED if authed else UNKNOWN
                    out.routes.append(
                        RawRoute(
                            "http",
                            method,
                            join_paths(under, route),
                            n,
                            state,
                            ((authed,) if authed else ()) + admin,
                            handler=target,
                        )
                    )
        if opens:
            # Past a sane depth, keep do/end balance but stop growing the prefix.
            stack.append((child, child_auth) if len(stack) < 64 else stack[-1])
            modules.append(child_module if len(modules) < 64 else module)
            resources.append(child_resource if len(resources) < 64 else resources[-1])
            dev_if.append(0)
    # the development environment is the developer's own server, never deployed: like Django's DEBUG
    out.debug_only(dev_spans, also=(DEV_SERVER,))
    return out


# `if Rails.env.development?` … `end`: the routes drawn inside serve in development only, so dropping the
# condition serves them everywhere.
# (staging is a rehearsal of production, not production: `if Rails.env.development? || Rails.env.staging?`)
# A host or environment variable matched against names of non-production environments only
# (`ENV.fetch('HOSTNAME', 'UNKNOWN') =~ /(\-(dev|staging|uat)\-)/i`) is one more such condition.
_NON_PRODUCTION = r"(?:dev|development|local|test|staging|uat|qa|preprod|sandbox)"
_DEV_ENV_MATCH = (
    r"ENV(?:\.fetch\(\s*['\"]\w{1,40}['\"](?:\s*,\s*['\"][^'\"\n]{0,40}['\"])?\s*\)|\[\s*['\"]\w{1,40}['\"]\s*\])"
    r"\s*=~\s*/(?=[^/\n]{0,120}\b" + _NON_PRODUCTION + r"\b)(?![^/\n]{0,120}(?<!pre)prod|[^/\n]{0,120}live)"
    r"[^/\n]{0,120}/[a-z]{0,4}"
)
_RAILS_ENV_DEV = r"Rails\.env\.(?:development|local|test|staging)\?"
_NOT_PRODUCTION = r"unless\s+Rails\.env\.production\?"
_DEV_CONDITION = r"(?:" + _RAILS_ENV_DEV + "|" + _DEV_ENV_MATCH + ")"
_DEV_IF = re.compile(
    r"^\s*(?:if\s+" + _DEV_CONDITION + "|" + _NOT_PRODUCTION + r")"
    r"(?:\s*(?:\|\||or)\s*" + _DEV_CONDITION + r")*\s*(?:#.*)?$"
)
_DEV_MODIFIER = re.compile(r"\S\s+(?:if\s+" + _RAILS_ENV_DEV + "|" + _NOT_PRODUCTION + r")\s*(?:#.*)?$")
# what opens a Ruby block closed by `end` when it starts a line, or ends it with `do`
_OPENS = re.compile(r"^\s*(?:if|unless|case|begin|while|until|def|class|module)\b|\bdo\s*(?:\|[^|]*\|)?\s*$")
MAX_DEV_BLOCKS = 20
