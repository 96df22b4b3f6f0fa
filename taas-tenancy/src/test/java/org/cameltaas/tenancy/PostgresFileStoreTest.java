package org.cameltaas.tenancy;

/** The Files API's store on a real PostgreSQL server, two replicas sharing it. */
class PostgresFileStoreTest extends FileStoreContract {

    @Override
    TenancySettings settings() throws Exception {
        return TestDatabases.postgres();
    }
}
