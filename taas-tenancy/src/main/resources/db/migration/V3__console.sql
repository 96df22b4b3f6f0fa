-- The console's debug capture (docs/console.md): off unless an operator turns it on for a project, until a time.
-- While it is on, the bodies of that project's requests are kept (cut at 64 KB each), for 7 days at most.
CREATE TABLE debug_captures (
    project_id  VARCHAR(100) NOT NULL PRIMARY KEY,
    until       TIMESTAMP WITH TIME ZONE NOT NULL,
    enabled_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE debug_bodies (
    request_id     VARCHAR(100) NOT NULL PRIMARY KEY,
    project_id     VARCHAR(100) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    request_body   TEXT,
    response_body  TEXT
);
CREATE INDEX debug_bodies_created ON debug_bodies (created_at);
