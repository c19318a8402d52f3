# Flows only (viewflow.workflow); the application flow arrives with the issue "Application process".
