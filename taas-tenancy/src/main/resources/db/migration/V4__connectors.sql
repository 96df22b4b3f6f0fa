-- Registered deployments (models served from a customer's own network through connectors) and the connector
-- tokens that let a connector serve one. A connector token is not a client token: it lives here only, stored as
-- sha256:<hex> like every secret, and is revoked by setting revoked_at. See docs/connectors.md.

CREATE TABLE deployments (
    id         VARCHAR(40)   NOT NULL PRIMARY KEY,
    name       VARCHAR(200)  NOT NULL,
    project_id VARCHAR(40)   NOT NULL,
    models     VARCHAR(8000) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT deployments_project_fk FOREIGN KEY (project_id) REFERENCES projects (id),
    CONSTRAINT deployments_name_key UNIQUE (name)
);

CREATE TABLE connector_tokens (
    id            VARCHAR(40)  NOT NULL PRIMARY KEY,
    deployment_id VARCHAR(40)  NOT NULL,
    name          VARCHAR(200),
    hash          VARCHAR(80)  NOT NULL,
    prefix        VARCHAR(32)  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT connector_tokens_deployment_fk FOREIGN KEY (deployment_id) REFERENCES deployments (id),
    CONSTRAINT connector_tokens_hash_key UNIQUE (hash)
);
CREATE INDEX connector_tokens_deployment ON connector_tokens (deployment_id, id);
