"""The Qt application. Importing this package imports no Qt: the entry point decides."""
