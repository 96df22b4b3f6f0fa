package org.cameltaas.tenancy;

/** Deployments on the embedded default (H2 in PostgreSQL mode). */
class H2DeploymentStoreTest extends DeploymentStoreContract {

    @Override
    TenancySettings settings() throws Exception {
        return TestDatabases.h2();
    }
}
