package org.cameltaas.tenancy;

/** Credits on a real PostgreSQL server, two replicas sharing it. */
class PostgresCreditStoreTest extends CreditStoreContract {

    @Override
    TenancySettings settings() throws Exception {
        return TestDatabases.postgres();
    }
}
