package org.cameltaas.tenancy;

/** Credits on the embedded default (H2 in PostgreSQL mode). */
class H2CreditStoreTest extends CreditStoreContract {

    @Override
    TenancySettings settings() throws Exception {
        return TestDatabases.h2();
    }
}
