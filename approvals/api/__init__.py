"""REST API of the application process (/api/): one view per operation, each calling one service."""
