package org.cameltaas.tenancy;

/** The Files API's store on the embedded default (H2 in PostgreSQL mode). */
class H2FileStoreTest extends FileStoreContract {

    @Override
    TenancySettings settings() throws Exception {
        return TestDatabases.h2();
    }
}
