-- routes: the texts of the route files (routes/*.yaml, JSON by file name) a version ran, when it changed them.
ALTER TABLE config_version ADD COLUMN routes VARCHAR(1000000);
