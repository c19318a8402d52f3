"""What every operation of the API documents besides its own serializers: the Idempotency-Key header and
the error responses."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from .idempotency import HEADER, KEEP_FOR
from .serializers import ErrorOutputSerializer

IDEMPOTENCY_KEY = OpenApiParameter(
    name=HEADER, type=str, location=OpenApiParameter.HEADER, required=False,
    description=(
        f"Any unique string (e.g. a UUID). A retry with the same key, path and body returns the first response "
        f"(header Idempotent-Replayed: true) without doing the operation again; the same key with another path "
        f"or body is refused with 422. Keys are kept {int(KEEP_FOR.total_seconds() // 3600)} hours."
    ),
)

ERRORS = {
    400: OpenApiResponse(ErrorOutputSerializer, description="Bad input, or refused by a rule (see code and fields)."),
    403: OpenApiResponse(ErrorOutputSerializer, description="Not allowed for this user."),
    404: OpenApiResponse(ErrorOutputSerializer, description="Not found, or not visible to this user."),
    409: OpenApiResponse(ErrorOutputSerializer, description="Conflicts with the application's state or with the "
                                                            "applicant's credit entitlement (code state, decided, "
                                                            "entitlement)."),
    422: OpenApiResponse(ErrorOutputSerializer, description="The Idempotency-Key was used for another request."),
}


def action_schema(*, summary: str, request, response, status: int = 200, errors=(400, 403, 404, 409, 422),
                  tags: list[str] | None = None, description: str = ""):
    """@extend_schema for a mutating operation (POST to a verb)."""
    return extend_schema(
        summary=summary, description=description, tags=tags, request=request, parameters=[IDEMPOTENCY_KEY],
        responses={status: response, **{code: ERRORS[code] for code in errors}},
    )


def read_schema(*, summary: str, response, tags: list[str] | None = None, errors=(404,)):
    """@extend_schema for a read (GET)."""
    return extend_schema(summary=summary, tags=tags, responses={200: response, **{c: ERRORS[c] for c in errors}})


RATE_LIMITED_SUFFIXES = ("/sign/", "/otp/")  # approvals.security.SecurityMiddleware, settings.SECURITY_RATE_LIMITS


def document_common_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: a paginated list answers 404 for a page past the end (DRF's
    pagination), signing and one-time codes answer 429 when rate-limited; say so in the schema."""
    def error(description):
        return {"description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOutput"}}}}

    for path, operations in result.get("paths", {}).items():
        get = operations.get("get")
        if get and any(p.get("name") == "page" and p.get("in") == "query" for p in get.get("parameters", [])):
            get.setdefault("responses", {}).setdefault("404", error("Page not found."))
        post = operations.get("post")
        if post and path.endswith(RATE_LIMITED_SUFFIXES):
            post.setdefault("responses", {}).setdefault("429", error("Too many requests: wait (Retry-After) and "
                                                                     "try again."))
    return result
