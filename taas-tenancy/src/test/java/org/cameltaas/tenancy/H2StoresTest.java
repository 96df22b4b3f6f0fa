package org.cameltaas.tenancy;

/** The stores on the embedded default: an H2 file in PostgreSQL mode. */
class H2StoresTest extends StoreContract {

    @Override
    TenancySettings settings() throws Exception {
        return TestDatabases.h2();
    }
}
