package org.cameltaas.tenancy;

/** The usage series on the embedded default: an H2 file in PostgreSQL mode. */
class H2UsageSeriesTest extends UsageSeriesContract {

    @Override
    TenancySettings settings() throws Exception {
        return TestDatabases.h2();
    }
}
