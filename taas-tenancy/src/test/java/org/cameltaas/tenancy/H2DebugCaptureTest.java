package org.cameltaas.tenancy;

/** Debug capture on the embedded default: an H2 file in PostgreSQL mode. */
class H2DebugCaptureTest extends DebugCaptureContract {

    @Override
    TenancySettings settings() throws Exception {
        return TestDatabases.h2();
    }
}
