package org.cameltaas.tenancy;

import java.math.BigDecimal;

/**
 * What one request did: one event per request the gateway answered, keyed by the request id. Ids, never secrets.
 *
 * @param createdAt    when the request arrived, epoch milliseconds
 * @param fallbackDepth how many deployments failed before the one that served
 * @param latencyMs    to the reply's end (a stream's end for streams)
 * @param ttftMs       for streams, to the first content; null otherwise
 * @param outcome      {@code completed}, {@code failed} or {@code cancelled} (the client left a stream)
 * @param credits      the settled cost, for a request of a metered project; null otherwise
 * @param creditLease  the balance slice ({@link CreditStore}) the request was admitted on: the ledger charges the
 *                     cost to it when it stores the event. Journaled, not a column of the ledger.
 * @param upstreamMs   from the call to the upstream to its reply (a stream's head); null when none was called
 */
public record UsageEvent(String requestId, long createdAt, String sessionId, String tokenId, String teamId,
                         String projectId, String surface, String modelRequested, String modelUsed, String provider,
                         int fallbackDepth, int promptTokens, int completionTokens, int cachedTokens, int status,
                         String errorCode, Double latencyMs, Double ttftMs, String outcome, BigDecimal credits,
                         String creditLease, Double upstreamMs) {

    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    /** An event without an upstream time. */
    public UsageEvent(String requestId, long createdAt, String sessionId, String tokenId, String teamId, String projectId,
                      String surface, String modelRequested, String modelUsed, String provider, int fallbackDepth,
                      int promptTokens, int completionTokens, int cachedTokens, int status, String errorCode,
                      Double latencyMs, Double ttftMs, String outcome, BigDecimal credits, String creditLease) {
        this(requestId, createdAt, sessionId, tokenId, teamId, projectId, surface, modelRequested, modelUsed, provider,
                fallbackDepth, promptTokens, completionTokens, cachedTokens, status, errorCode, latencyMs, ttftMs, outcome,
                credits, creditLease, null);
    }

    /** An event charged to no slice. */
    public UsageEvent(String requestId, long createdAt, String sessionId, String tokenId, String teamId, String projectId,
                      String surface, String modelRequested, String modelUsed, String provider, int fallbackDepth,
                      int promptTokens, int completionTokens, int cachedTokens, int status, String errorCode,
                      Double latencyMs, Double ttftMs, String outcome, BigDecimal credits) {
        this(requestId, createdAt, sessionId, tokenId, teamId, projectId, surface, modelRequested, modelUsed, provider,
                fallbackDepth, promptTokens, completionTokens, cachedTokens, status, errorCode, latencyMs, ttftMs, outcome,
                credits, null, null);
    }
}
