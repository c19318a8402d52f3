"""The application process in the browser: intake at the counter, the application page, signing, uploads.

Views parse the request, call one service and render; the rules are in approvals.services."""
