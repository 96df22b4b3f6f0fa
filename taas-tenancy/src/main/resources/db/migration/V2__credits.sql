-- Credits and per-token limits (issue 15). A project's balance is NULL until its first top-up: not metered.
-- reserved is what open requests hold of it; what a project may still spend is balance - reserved.
-- updated_at moves on changes an admin makes (defaults, top-ups), never on charges: replicas poll it.
ALTER TABLE projects ADD COLUMN balance NUMERIC(20, 6);
ALTER TABLE projects ADD COLUMN reserved NUMERIC(20, 6) DEFAULT 0 NOT NULL;
ALTER TABLE projects ADD COLUMN default_rpm INTEGER;
ALTER TABLE projects ADD COLUMN default_tpm INTEGER;
ALTER TABLE projects ADD COLUMN default_max_concurrent INTEGER;
ALTER TABLE projects ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL;
CREATE INDEX projects_updated_at ON projects (updated_at);

-- A token's own limits; NULL: its project's default.
ALTER TABLE tokens ADD COLUMN rpm INTEGER;
ALTER TABLE tokens ADD COLUMN tpm INTEGER;
ALTER TABLE tokens ADD COLUMN max_concurrent INTEGER;

-- One row per request holding part of a balance, keyed by the request id; deleted when it is settled. replica is
-- the gateway process that holds it: another replica settles it (by its amount) once that one stops heartbeating.
CREATE TABLE credit_reservations (
    id         VARCHAR(100)   NOT NULL PRIMARY KEY,
    project_id VARCHAR(40)    NOT NULL,
    amount     NUMERIC(20, 6) NOT NULL,
    replica    VARCHAR(40)    NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX credit_reservations_replica ON credit_reservations (replica);

-- The credits ledger: every change of a balance, written in the same transaction as the change, so the sum of a
-- project's amounts is its balance. kind: top_up, correction (a negative top-up), charge (a settled request).
CREATE TABLE credit_entries (
    id            VARCHAR(40)    NOT NULL PRIMARY KEY,
    project_id    VARCHAR(40)    NOT NULL,
    kind          VARCHAR(16)    NOT NULL,
    amount        NUMERIC(20, 6) NOT NULL,
    balance_after NUMERIC(20, 6) NOT NULL,
    request_id    VARCHAR(100),
    note          VARCHAR(500),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX credit_entries_project ON credit_entries (project_id, created_at);

-- Gateway processes alive (seen_at by the database's clock), so the reservations of a dead one are settled.
CREATE TABLE credit_replicas (
    id      VARCHAR(40) NOT NULL PRIMARY KEY,
    seen_at TIMESTAMP WITH TIME ZONE NOT NULL
);
