"""Symfony routes and guards, security.yaml access_control, Laravel's configured dashboards."""

from __future__ import annotations

from checks.exposure import extract
from tests.exposure_growth import grown as _grown

CONTROLLER = """<?php

namespace App\\Controller;

#[Route('/api')]
class EntryController extends AbstractController
{
    #[Route('/entries', name: 'entries', methods: ['GET'])]
    public function list(): Response
    {
        return $this->json([]);
    }
}
"""


def test_attribute_routes_take_the_class_prefix() -> None:
    found = {(e.method, e.path) for e in extract({"src/Controller/EntryController.php": CONTROLLER})}
    assert found == {("GET", "/api/entries")}


def test_an_action_granted_to_admins_only_is_internal() -> None:
    action = (
        "    #[Route('/users', methods: ['GET'])]\n    #[IsGranted('ROLE_SUPER_ADMIN')]\n"
        "    public function users(): Response\n    {\n        return $this->json([]);\n    }\n"
    )
    head = CONTROLLER.replace("    }\n}\n", "    }\n\n" + action + "}\n")
    path = "src/Controller/EntryController.php"
    assert _grown({path: CONTROLLER}, {path: head}) == {("added", "GET", "/api/users")}
    inline = head.replace("    #[IsGranted('ROLE_SUPER_ADMIN')]\n", "").replace(
        "        return $this->json([]);\n    }\n}",
        "        $this->denyAccessUnlessGranted('ROLE_ADMIN');\n        return $this->json([]);\n    }\n}",
    )
    assert _grown({path: CONTROLLER}, {path: inline}) == {("added", "GET", "/api/users")}


def test_annotations_in_docblocks_are_read_like_attributes() -> None:
    old_style = CONTROLLER.replace("#[Route('/api')]", '/**\n * @Route("/api")\n */').replace(
        "    #[Route('/entries', name: 'entries', methods: ['GET'])]",
        '    /**\n     * @Route("/entries", methods={"GET"})\n     * @IsGranted("ROLE_ADMIN")\n     */',
    )
    found = {(e.method, e.path, e.auth) for e in extract({"src/Controller/EntryController.php": old_style})}
    assert found == {("GET", "/api/entries", "authenticated")}


SECURITY = """security:
    access_control:
        - { path: ^/login, roles: PUBLIC_ACCESS }
        - { path: ^/admin, roles: ROLE_ADMIN }
        - { path: ^/, roles: ROLE_USER }
"""


def test_access_control_rules_opened_or_loosened_widen() -> None:
    base = {"config/packages/security.yaml": SECURITY}
    opened = SECURITY.replace(
        "        - { path: ^/admin",
        "        - { path: ^/api/info, roles: PUBLIC_ACCESS }\n        - { path: ^/admin",
    )
    assert {c for c, _, _ in _grown(base, {"config/packages/security.yaml": opened})} == {"widened"}
    loosened = SECURITY.replace("^/admin, roles: ROLE_ADMIN", "^/admin, roles: ROLE_USER")
    assert _grown(base, {"config/packages/security.yaml": loosened}) == {("widened", "ANY", "/admin/**")}
    tightened = SECURITY.replace("^/, roles: ROLE_USER", "^/, roles: ROLE_ADMIN")
    assert _grown(base, {"config/packages/security.yaml": tightened}) == set()


def test_laravel_horizon_configured_path_is_a_dashboard() -> None:
    config = (
        "<?php\n\nreturn [\n    'path' => env('HORIZON_PATH', 'horizon'),\n    'middleware' => ['web'],\n];\n"
    )
    assert _grown({}, {"config/horizon.php": config}) == {("added", "ANY", "/horizon/**")}
    assert _grown({}, {"config/app.php": config}) == set()


FEEDS = """security:
    access_control:
        - { path: /(unread|starred).xml$, roles: IS_AUTHENTICATED_ANONYMOUSLY }
        - { path: ^/, roles: ROLE_USER }
"""


def test_an_alternative_added_to_an_anonymous_access_rule_widens_what_it_names() -> None:
    base = {"app/config/security.yml": FEEDS}
    head = {"app/config/security.yml": FEEDS.replace("starred)", "starred|all)")}
    assert {(c, p) for c, _, p in _grown(base, head)} == {("widened", "/all.xml")}
    assert _grown(head, base) == set()
