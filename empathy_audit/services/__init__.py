"""The application layer: use cases that span core areas (reviewing with calibration, …), shared by the
app and the command line. Nothing below it (store, reviewing, calibration, analytics, …) imports it."""
