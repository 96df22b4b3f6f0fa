package org.cameltaas.gateway.files;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** A project's storage use and limit, set on the exchange by the Files API and written as headers on its every reply. */
public record FileQuota(long usedBytes, long limitBytes) {

    /** The exchange property holding it. */
    public static final String PROPERTY = "TaasFileQuota";

    public static void writeHeaders(Exchange exchange, Message message) {
        FileQuota quota = exchange.getProperty(PROPERTY, FileQuota.class);
        if (quota != null) {
            message.setHeader("x-storage-used-bytes", String.valueOf(quota.usedBytes()));
            message.setHeader("x-storage-limit-bytes", String.valueOf(quota.limitBytes()));
        }
    }
}
