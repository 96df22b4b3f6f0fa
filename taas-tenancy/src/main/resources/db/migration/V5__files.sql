-- Stored files (the Files API, docs/files.md): their metadata here, their bytes on the gateway's file store.
-- project_id is the calling token's project; it is not a foreign key because the master key and the tokens of
-- TAAS_TOKENS_FILE name projects of their own that have no projects row.

CREATE TABLE files (
    id           VARCHAR(48)   NOT NULL PRIMARY KEY,
    project_id   VARCHAR(200)  NOT NULL,
    filename     VARCHAR(1000) NOT NULL,
    purpose      VARCHAR(32)   NOT NULL,
    bytes        BIGINT        NOT NULL,
    content_type VARCHAR(200)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX files_project ON files (project_id, id);

-- One row per project that ever stored a file: the bytes its files take. An upload locks the row (FOR UPDATE),
-- checks the quota and adds its size in the transaction that inserts the file, so replicas never overshoot.
CREATE TABLE file_storage (
    project_id VARCHAR(200) NOT NULL PRIMARY KEY,
    used_bytes BIGINT       NOT NULL
);
