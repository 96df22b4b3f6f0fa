package org.cameltaas.gateway.tenancy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.gateway.auth.TokenStore;
import org.cameltaas.gateway.limits.Limits;
import org.cameltaas.tenancy.CreditStore;
import org.cameltaas.tenancy.ProjectCache;
import org.cameltaas.tenancy.Token;
import org.cameltaas.tenancy.TokenCache;

/**
 * The master key and {@code TAAS_TOKENS_FILE} first, then the tokens issued through the admin API, from tenancy's
 * in-memory cache: no database read per request. A database token's principal carries its team and project ids.
 */
public final class TenancyTokenStore implements TokenStore {

    private final TokenStore file;
    private final TokenCache cache;
    private final ProjectCache projects;
    /** One principal per token version, so a request does not build one (the cache swaps the Token on a change). */
    private final Map<String, Cached> principals = new ConcurrentHashMap<>();

    private record Cached(Token token, CreditStore.ProjectSettings project, Principal principal) {
    }

    public TenancyTokenStore(TokenStore file, TokenCache cache) {
        this(file, cache, null);
    }

    /** With {@code projects}: a token's limits left unset are its project's defaults. */
    public TenancyTokenStore(TokenStore file, TokenCache cache, ProjectCache projects) {
        this.file = file;
        this.cache = cache;
        this.projects = projects;
    }

    @Override
    public Optional<Principal> authenticate(String presentedToken) {
        Optional<Principal> fromFile = file.authenticate(presentedToken);
        if (fromFile.isPresent()) {
            return fromFile;
        }
        return cache.authenticate(presentedToken).map(this::principal);
    }

    private Principal principal(Token token) {
        Cached cached = principals.get(token.id());
        CreditStore.ProjectSettings project = projects != null ? projects.get(token.projectId()) : null;
        if (cached == null || cached.token() != token || cached.project() != project) {
            Limits defaults = project == null ? Limits.NONE
                    : new Limits(project.defaultRpm(), project.defaultTpm(), project.defaultMaxConcurrent());
            Limits limits = new Limits(token.rpm(), token.tpm(), token.maxConcurrent()).orElse(defaults);
            cached = new Cached(token, project, new Principal(token.id(), token.teamId(), token.projectId(),
                    Set.copyOf(token.models()), token.admin(), limits));
            principals.put(token.id(), cached);
        }
        return cached.principal();
    }
}
