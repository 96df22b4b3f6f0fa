package org.cameltaas.tenancy;

/**
 * Who calls the admin API: the master key (and admin tokens of TAAS_TOKENS_FILE) see everything; a token with the
 * admin role sees its own team only, and cannot create teams.
 */
public record AdminScope(String teamId) {

    public static final AdminScope GLOBAL = new AdminScope(null);

    public boolean global() {
        return teamId == null;
    }

    /** Whether an object of {@code team} is visible; others answer 404 as if they did not exist. */
    public boolean sees(String team) {
        return teamId == null || teamId.equals(team);
    }
}
