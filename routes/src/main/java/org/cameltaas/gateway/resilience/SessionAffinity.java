package org.cameltaas.gateway.resilience;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Which deployment a session last used, per model. In process by default; a shared store (Redis) slots in behind
 * the same two methods when several replicas must agree.
 */
public interface SessionAffinity {

    Optional<String> deploymentOf(String session, String model);

    void remember(String session, String model, String deployment);

    /** In-process, bounded, forgetting sessions idle for the given time. */
    static SessionAffinity inProcess(long maxSessions, Duration idle) {
        Cache<String, String> cache = Caffeine.newBuilder().maximumSize(maxSessions).expireAfterAccess(idle).build();
        return new SessionAffinity() {
            @Override
            public Optional<String> deploymentOf(String session, String model) {
                return Optional.ofNullable(cache.getIfPresent(model + '\u0000' + session));
            }

            @Override
            public void remember(String session, String model, String deployment) {
                cache.put(model + '\u0000' + session, deployment);
            }
        };
    }
}
