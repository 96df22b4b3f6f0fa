package org.cameltaas.gateway.auth;

import java.util.Optional;

/**
 * Where tokens live, stored only as SHA-256 hashes. The embedded default reads a file; a shared database slots in
 * behind the same interface for several replicas.
 */
public interface TokenStore {

    /** The principal of a presented token, if it is known. */
    Optional<Principal> authenticate(String presentedToken);
}
