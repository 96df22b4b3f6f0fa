-- Teams, projects, tokens and the usage ledger. Written once for PostgreSQL and for H2 in its PostgreSQL mode:
-- standard types only, times as TIMESTAMP WITH TIME ZONE, names of constraints given so errors can be read.

CREATE TABLE teams (
    id         VARCHAR(40)  NOT NULL PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT teams_name_key UNIQUE (name)
);

CREATE TABLE projects (
    id         VARCHAR(40)  NOT NULL PRIMARY KEY,
    team_id    VARCHAR(40)  NOT NULL,
    name       VARCHAR(200) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT projects_team_fk FOREIGN KEY (team_id) REFERENCES teams (id),
    CONSTRAINT projects_team_name_key UNIQUE (team_id, name)
);

-- A token's secret is never stored: secret_hash is sha256:<hex>. previous_hash is the secret a rotation replaced,
-- accepted until previous_valid_until. updated_at (the database's clock) is what replicas poll for changes.
CREATE TABLE tokens (
    id                   VARCHAR(40)   NOT NULL PRIMARY KEY,
    project_id           VARCHAR(40)   NOT NULL,
    team_id              VARCHAR(40)   NOT NULL,
    name                 VARCHAR(200)  NOT NULL,
    role                 VARCHAR(16)   NOT NULL,
    models               VARCHAR(8000) NOT NULL,
    secret_hash          VARCHAR(80)   NOT NULL,
    prefix               VARCHAR(32)   NOT NULL,
    previous_hash        VARCHAR(80),
    previous_valid_until TIMESTAMP WITH TIME ZONE,
    expires_at           TIMESTAMP WITH TIME ZONE,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at         TIMESTAMP WITH TIME ZONE,
    revoked_at           TIMESTAMP WITH TIME ZONE,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT tokens_project_fk FOREIGN KEY (project_id) REFERENCES projects (id),
    CONSTRAINT tokens_team_fk FOREIGN KEY (team_id) REFERENCES teams (id),
    CONSTRAINT tokens_secret_hash_key UNIQUE (secret_hash),
    CONSTRAINT tokens_project_name_key UNIQUE (project_id, name)
);
CREATE INDEX tokens_updated_at ON tokens (updated_at);
CREATE INDEX tokens_team ON tokens (team_id, id);

-- One row per request the gateway answered; request_id makes a replayed event a no-op. Ids are not foreign keys:
-- tokens from TAAS_TOKENS_FILE and the master key are not rows, and a request without a valid token has none.
CREATE TABLE usage_events (
    request_id        VARCHAR(100) NOT NULL PRIMARY KEY,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    session_id        VARCHAR(200),
    token_id          VARCHAR(100),
    team_id           VARCHAR(100),
    project_id        VARCHAR(100),
    surface           VARCHAR(64),
    model_requested   VARCHAR(200),
    model_used        VARCHAR(200),
    provider          VARCHAR(64),
    fallback_depth    INTEGER NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    cached_tokens     INTEGER NOT NULL,
    status            INTEGER NOT NULL,
    error_code        VARCHAR(100),
    latency_ms        DOUBLE PRECISION,
    ttft_ms           DOUBLE PRECISION,
    outcome           VARCHAR(16) NOT NULL,
    credits           NUMERIC(20, 6)
);
CREATE INDEX usage_events_created ON usage_events (created_at, request_id);
CREATE INDEX usage_events_team ON usage_events (team_id, created_at);
CREATE INDEX usage_events_project ON usage_events (project_id, created_at);
CREATE INDEX usage_events_token ON usage_events (token_id, created_at);
CREATE INDEX usage_events_session ON usage_events (session_id, created_at);
