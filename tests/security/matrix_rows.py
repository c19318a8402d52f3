"""The access matrix: (object type, action, channel, method, url template, body, who may). Everyone else is
refused: 403 or 404 (the anonymous: sent to log in, or 401/403 from the API), never a 5xx, never a page with
the applicant's data. The rows were read off the running system and judged against the roles in DESIGN.md."""

A, B = "applicant_a", "applicant_b"
STAFF, SUP, ADMIN = "window_staff", "supervisor", "administrator"
INSPECTOR, OTHER_INSPECTOR = "inspector_assigned", "inspector_other"
OFFICE = {A, STAFF, SUP, ADMIN}  # the applicant and the authority's desk roles
EVERYONE = {"anonymous", A, B, STAFF, INSPECTOR, OTHER_INSPECTOR, SUP, ADMIN}

ROWS = [
    # application
    ("application", "view", "page", "get", "/applications/{application}/", None, OFFICE),
    ("application", "view", "api", "get", "/api/applications/{application}/", None, OFFICE),
    ("application", "view", "api", "get", "/api/applications/{application}/credit-checks/", None, OFFICE),
    ("application", "act", "page", "post", "/applications/{application}/withdraw/", {"withdraw-reason": "再想想"}, {A}),
    ("application", "act", "api", "post", "/api/applications/{application}/terminate/", {"reason": "测试"}, {STAFF, ADMIN}),
    # signature / commitment letter
    ("letter", "view", "page", "get", "/applications/{application}/letter.txt", None, OFFICE),
    ("letter", "view", "api", "get", "/api/applications/{application}/notice/", None, OFFICE),
    ("letter", "act", "api", "post", "/api/applications/{application}/withdraw-signature/", {"reason": "再想想"}, {A}),
    # licence
    ("licence", "view", "page", "get", "/licences/{licence_number}/", None, EVERYONE),
    ("licence", "view", "api", "get", "/api/licences/{licence_number}/", None, OFFICE),
    # document PDF
    ("document", "view", "page", "get", "/documents/{document}/pdf/", None, OFFICE),
    # package
    ("package", "view", "page", "get", "/packages/{package}/", None, OFFICE),
    ("package", "view", "api", "get", "/api/packages/{package}/", None, OFFICE),
    ("package", "view", "page", "get", "/packages/{package}/letter.txt", None, OFFICE),
    ("package", "act", "api", "post", "/api/packages/{package}/decide/", {}, {STAFF, ADMIN}),
    # violation case
    ("violation", "view", "page", "get", "/sanctions/{violation}/", None, {SUP, ADMIN}),
    ("violation", "view", "api", "get", "/api/violations/{violation}/", None, {A, SUP, ADMIN}),
    ("violation", "act", "api", "post", "/api/violations/{violation}/escalate/", {"level": 3, "reason": "测试"}, {SUP, ADMIN}),
    ("violation", "act", "page", "post", "/sanctions/{violation}/escalate/", {"escalate-level": "3",
                                                                             "escalate-reason": "测试"}, {SUP, ADMIN}),
    # objection
    ("objection", "view", "page", "get", "/sanctions/objections/", None, {SUP, ADMIN}),
    ("objection", "act", "api", "post", "/api/objections/{objection}/decide/", {"upheld": False, "reasons": "测试"}, {SUP, ADMIN}),
    ("objection", "act", "page", "post", "/sanctions/{violation}/objections/{objection}/decide/",
     {"objection-upheld": "", "objection-reasons": "测试"}, {SUP, ADMIN}),
    # repair
    ("repair", "view", "page", "get", "/sanctions/repairs/", None, {SUP, ADMIN}),
    ("repair", "act", "api", "post", "/api/repairs/{repair}/decide/", {"approved": False, "reasons": "测试"}, {SUP, ADMIN}),
    # restriction
    ("restriction", "view", "page", "get", "/sanctions/restrictions/{restriction}/", None, {SUP, ADMIN}),
    ("restriction", "view", "api", "get", "/api/restrictions/{restriction}/", None, {STAFF, SUP, ADMIN}),
    ("restriction", "act", "api", "post", "/api/restrictions/{restriction}/lift/", {"reason": "测试"}, {SUP, ADMIN}),
    # inspection check
    ("check", "view", "page", "get", "/checks/{obligation}/", None, {INSPECTOR, SUP, ADMIN}),
    ("check", "act", "page", "post", "/checks/{obligation}/start/", {}, {INSPECTOR}),
    # draw
    ("draw", "view", "page", "get", "/draws/{draw}/", None, {SUP, ADMIN}),
    ("draw", "act", "page", "post", "/draws/{draw}/verify/", {}, {SUP, ADMIN}),
]
