package org.cameltaas.tenancy;

import java.math.BigDecimal;

/** Sums over usage events; errors are events with a status of 400 or more. */
public record UsageTotals(long requests, long errors, long promptTokens, long completionTokens, long cachedTokens,
                          BigDecimal credits) {
}
