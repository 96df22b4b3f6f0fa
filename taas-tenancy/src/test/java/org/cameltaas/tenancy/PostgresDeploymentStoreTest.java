package org.cameltaas.tenancy;

/** Deployments on a real PostgreSQL server. */
class PostgresDeploymentStoreTest extends DeploymentStoreContract {

    @Override
    TenancySettings settings() throws Exception {
        return TestDatabases.postgres();
    }
}
