"""Plan files: their shape (`schema`), YAML read with line numbers (`source`), checked with
FILE:LINE problems and expanded into deadlines (`validate`), and written to the record in one
transaction (`load`)."""
