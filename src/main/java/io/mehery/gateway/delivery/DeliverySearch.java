package io.mehery.gateway.delivery;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.TenantScope;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.store.DeliveryQuery;
import io.mehery.gateway.store.DeliveryRecord.Status;
import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.DeliveryStore;

/**
 * Delivery search ({@code GET /api/v1/admin/deliveries}): the callbacks that match every filter given, newest first,
 * each with its attempts, a page at a time. A tenant's key searches its own; the operator's key every configured
 * tenant's, or one ({@code tenant}). The page's {@code meta.nextCursor}, given back as {@code cursor}, continues
 * after its last delivery; callbacks planned meanwhile never shift a page (they are newer than the first).
 */
@Component("deliverySearch")
public class DeliverySearch {

    static final int DEFAULT_PAGE = 50;
    private static final Map<String, Integer> STATUS_CLASSES = Map.of("2xx", 2, "3xx", 3, "4xx", 4, "5xx", 5,
            "none", 0);

    private final DeliveryStore deliveries;
    private final DeliveryViews views;
    private final LiveConfiguration live;

    public DeliverySearch(DeliveryStore deliveries, DeliveryViews views, LiveConfiguration live) {
        this.deliveries = deliveries;
        this.views = views;
        this.live = live;
    }

    public List<DeliveryView> search(Exchange exchange, @ExchangeProperty(RouteProperties.TENANT) String caller,
            @Header("tenant") String tenant, @Header("status") String status, @Header("kind") String kind,
            @Header("from") String createdFrom, @Header("to") String createdTo,
            @Header("attemptedFrom") String attemptedFrom, @Header("attemptedTo") String attemptedTo,
            @Header("messageId") String messageId, @Header("contactId") String contactId,
            @Header("webhookId") String webhookId, @Header("statusClass") String statusClass,
            @Header("cursor") String cursor, @Header("limit") Integer limit) {
        int pageSize = limit == null ? DEFAULT_PAGE : limit;
        String wanted = status == null ? null : status.toUpperCase(Locale.ROOT);
        boolean held = DeliveryViews.HELD.equals(wanted);
        Cursor after = Cursor.of(cursor);
        DeliveryQuery query = new DeliveryQuery(null, held ? Status.WAITING.name() : wanted, kind,
                instant(createdFrom, "from"), instant(createdTo, "to"),
                instant(attemptedFrom, "attemptedFrom"), instant(attemptedTo, "attemptedTo"), messageId, contactId,
                webhookId,
                statusClass == null ? null : STATUS_CLASSES.get(statusClass), after.seq(), after.createdAt(),
                pageSize + 1);
        List<DeliveryRecord> found = new ArrayList<>();
        for (String searched : TenantScope.searched(caller, tenant, live.tenants().keySet())) {
            // a paused tenant's waiting callbacks are held: found by HELD, not by WAITING
            if (Status.WAITING.name().equals(query.status()) && views.paused(searched) != held) {
                continue;
            }
            found.addAll(deliveries.search(query.forTenant(searched)));
        }
        Comparator<DeliveryRecord> newestFirst = query.byCreation()
                ? Comparator.comparingLong(DeliveryRecord::createdAt).thenComparingLong(DeliveryRecord::seq)
                : Comparator.comparingLong(DeliveryRecord::seq);
        found.sort(newestFirst.reversed());
        List<DeliveryRecord> page = found.subList(0, Math.min(pageSize, found.size()));
        if (found.size() > pageSize) {
            exchange.setProperty(RouteProperties.META, Map.of("nextCursor", Cursor.after(page.get(page.size() - 1))));
        }
        return views.of(page);
    }

    /** One delivery by its webhook-id, of the caller's tenant (or, for the operator, of any configured one). */
    public DeliveryView one(@ExchangeProperty(RouteProperties.TENANT) String caller, @Header("tenant") String tenant,
            @Header("id") String id) {
        return TenantScope.searched(caller, tenant, live.tenants().keySet()).stream()
                .flatMap(searched -> deliveries.find(searched, id).stream()).findFirst().map(views::of)
                .orElseThrow(() -> ApiException.notFound("DELIVERY_NOT_FOUND", "id", "No delivery '" + id + "'"));
    }

    /** An ISO-8601 time with its offset, as epoch millis; none for none. */
    static Long instant(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("INVALID_TIME", field,
                    "Not an ISO-8601 time with its offset (2026-12-03T10:15:30Z)");
        }
    }

    /**
     * Where a page continues: after the delivery that ended the previous one (its seq, and when it was planned, for a
     * search read in that order). Opaque to the caller; a cursor of the earlier form ({@code seq:} alone) still
     * works.
     */
    private record Cursor(Long seq, Long createdAt) {

        static String after(DeliveryRecord last) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(("at:" + last.createdAt() + ":" + last.seq())
                    .getBytes(StandardCharsets.US_ASCII));
        }

        static Cursor of(String cursor) {
            if (cursor == null) {
                return new Cursor(null, null);
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII)
                        .split(":", -1);
                if (parts.length == 3 && parts[0].equals("at")) {
                    return new Cursor(Long.parseLong(parts[2]), Long.parseLong(parts[1]));
                }
                if (parts.length == 2 && parts[0].equals("seq")) {
                    return new Cursor(Long.parseLong(parts[1]), null);
                }
            } catch (IllegalArgumentException notOurs) {
                // answered below, as any cursor this gateway did not give
            }
            throw ApiException.badRequest("INVALID_CURSOR", "cursor", "Not a cursor of this search: give back"
                    + " meta.nextCursor of the previous page");
        }
    }
}
