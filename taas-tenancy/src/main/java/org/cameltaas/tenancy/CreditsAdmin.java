package org.cameltaas.tenancy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The admin API's credits and limits calls, which {@link AdminApi} delegates to: {@code PATCH /projects/{id}}
 * (default limits), {@code PATCH /tokens/{id}} (a token's own limits) and {@code POST /projects/{id}/credits}
 * (top-ups and corrections), and the fields they add to projects and tokens.
 */
final class CreditsAdmin {

    static final Set<String> PROJECT_FIELDS = Set.of("default_rpm", "default_tpm", "default_max_concurrent", "balance", "reserved");
    static final Set<String> TOKEN_FIELDS = Set.of("rpm", "tpm", "max_concurrent");
    static final Set<String> CREDITS_FIELDS = Set.of("amount", "note");
    /** Largest top-up or limit accepted: far above any real one, well inside NUMERIC(20, 6) and int. */
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");
    private static final int MAX_LIMIT = 1_000_000_000;

    private final CreditStore store;
    private final ProjectCache projects;

    CreditsAdmin(CreditStore store, ProjectCache projects) {
        this.store = store;
        this.projects = projects;
    }

    void patchProject(Project project, ObjectNode body) {
        for (String readOnly : Set.of("balance", "reserved")) {
            if (body.has(readOnly)) {
                throw TenancyException.invalid(readOnly, readOnly + " is read-only: change a balance with POST /admin/v1/projects/"
                        + project.id() + "/credits");
            }
        }
        Map<String, Integer> values = limits(body, "default_rpm", "default_tpm", "default_max_concurrent");
        if (!values.isEmpty()) {
            store.setProjectDefaults(project.id(), values);
            projects.refresh();
        }
    }

    void patchToken(Token token, ObjectNode body, TokenCache cache) {
        Map<String, Integer> values = limits(body, "rpm", "tpm", "max_concurrent");
        if (!values.isEmpty()) {
            store.setTokenLimits(token.id(), values);
            cache.refresh();
        }
    }

    ObjectNode topUp(Project project, ObjectNode body) {
        JsonNode amountNode = body.get("amount");
        if (amountNode == null || amountNode.isNull()) {
            throw new TenancyException(422, "missing_required_parameter", "amount", "amount is required");
        }
        if (!amountNode.isNumber()) {
            throw TenancyException.invalid("amount", "amount must be a number of credits (negative: a correction)");
        }
        BigDecimal amount = amountNode.decimalValue();
        if (amount.signum() == 0 || amount.abs().compareTo(MAX_AMOUNT) > 0 || amount.stripTrailingZeros().scale() > 6) {
            throw TenancyException.invalid("amount", "amount must be non-zero, at most " + MAX_AMOUNT.toPlainString()
                    + " in size, with at most 6 decimals");
        }
        JsonNode noteNode = body.get("note");
        String note = null;
        if (noteNode != null && !noteNode.isNull()) {
            if (!noteNode.isTextual() || noteNode.asText().length() > 500) {
                throw TenancyException.invalid("note", "note must be a string of at most 500 characters");
            }
            note = noteNode.asText();
        }
        BigDecimal balance = store.topUp(project.id(), amount, note);
        projects.refresh();
        ObjectNode answer = UsageJson.MAPPER.createObjectNode();
        answer.put("object", "project.credits");
        answer.put("project_id", project.id());
        answer.put("balance", plain(balance));
        return answer;
    }

    /** The fields a project gains. */
    static void describe(ObjectNode n, Project project) {
        putInt(n, "default_rpm", project.defaultRpm());
        putInt(n, "default_tpm", project.defaultTpm());
        putInt(n, "default_max_concurrent", project.defaultMaxConcurrent());
        if (project.balance() == null) {
            n.putNull("balance");
        } else {
            n.put("balance", plain(project.balance()));
        }
        n.put("reserved", plain(project.reserved() == null ? BigDecimal.ZERO : project.reserved()));
    }

    /** The fields a token gains. */
    static void describe(ObjectNode n, Token token) {
        putInt(n, "rpm", token.rpm());
        putInt(n, "tpm", token.tpm());
        putInt(n, "max_concurrent", token.maxConcurrent());
    }

    /** A credit amount as JSON shows it: no trailing zeros, never in exponent form. */
    static BigDecimal plain(BigDecimal value) {
        return new BigDecimal(value.stripTrailingZeros().toPlainString());
    }

    private static Map<String, Integer> limits(ObjectNode body, String... fields) {
        Map<String, Integer> values = CreditStore.ordered();
        for (String field : fields) {
            if (!body.has(field)) {
                continue;
            }
            JsonNode value = body.get(field);
            if (value.isNull()) {
                values.put(field, null);
            } else if (value.isIntegralNumber() && value.canConvertToInt() && value.asInt() >= 1 && value.asInt() <= MAX_LIMIT) {
                values.put(field, value.asInt());
            } else {
                throw TenancyException.invalid(field, field + " must be an integer from 1 to " + MAX_LIMIT
                        + ", or null for " + (field.startsWith("default_") ? "no limit" : "the project's default"));
            }
        }
        return values;
    }

    private static void putInt(ObjectNode n, String field, Integer value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }
}
