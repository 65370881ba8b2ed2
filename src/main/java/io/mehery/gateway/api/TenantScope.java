package io.mehery.gateway.api;

import java.util.Collection;
import java.util.List;

/**
 * Whose data an operation acts on: a tenant's key acts on that tenant's alone (naming another is refused with 403);
 * the operator's key (no authenticated tenant) on the tenant it names in {@code tenant}, or, for a search, on every
 * one.
 */
public final class TenantScope {

    private TenantScope() {
    }

    /** The tenants a search reads: the caller's own, or the one the operator named, or all of {@code every}. */
    public static List<String> searched(String caller, String asked, Collection<String> every) {
        if (caller != null || asked != null) {
            return List.of(actedOn(caller, asked));
        }
        return List.copyOf(every);
    }

    /** The one tenant a change acts on: the caller's own, or the one the operator named. */
    public static String actedOn(String caller, String asked) {
        if (caller == null) {
            if (asked == null) {
                throw ApiException.badRequest("TENANT_REQUIRED", "tenant",
                        "The operator's key names the tenant it acts on (tenant=...)");
            }
            return asked;
        }
        if (asked != null && !asked.equals(caller)) {
            throw new ApiException(403, List.of(Problem.of("TENANT_NOT_YOURS", "tenant",
                    "A tenant's key acts on that tenant's data alone")));
        }
        return caller;
    }
}
