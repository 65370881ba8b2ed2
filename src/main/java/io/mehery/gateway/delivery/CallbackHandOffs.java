package io.mehery.gateway.delivery;

import java.util.Optional;
import java.util.concurrent.ExecutorService;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.ExchangeBuilder;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.logging.TraceIds;
import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.GroupCommit;

/**
 * A contact's first callback goes from the write that accepted its event straight to the attempt, without a trip
 * through the outbox and the broker: that write stores it claimed by an order of its own, and once it committed the
 * attempt is made here, in a place among the tenant's deliveries under way taken before the write. The store keeps
 * the promise, not this hand-off: a callback whose hand-off never ran (the process stopped or died) holds a claim
 * that {@code recover-stalled-callbacks} takes over once its lease runs out, as it does for an attempt whose caller
 * died. When the tenant's places are taken, or queue consumers wait for one, the callback gets an order on the
 * tenant's queue as before, so that the broker holds a backlog, not the heap.
 */
@Component("callbackHandOffs")
public class CallbackHandOffs implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackHandOffs.class);
    private static final String ATTEMPTS = "direct:make-handed-over-callback";
    /** The threads that claim nothing and wait on nothing: each starts a handed-over attempt, then moves on. */
    private static final int THREADS = 4;

    private final WebhookCalls calls;
    private final GroupCommit commits;
    private final CamelContext camel;
    private final ExecutorService starts;
    private volatile AsyncProducer attempts;

    public CallbackHandOffs(WebhookCalls calls, GroupCommit commits, CamelContext camel) {
        this.calls = calls;
        this.commits = commits;
        this.camel = camel;
        this.starts = camel.getExecutorServiceManager().newFixedThreadPool(this, "callback-hand-offs", THREADS);
    }

    /**
     * Inside the write that plans the callback: takes a place for it, if the tenant has one free, and answers the
     * order its first attempt is to be claimed for as it is stored; its attempt is made once the write committed.
     * Empty: the callback needs an order on the tenant's queue.
     */
    Optional<DeliveryOrder> handOver(DeliveryRecord first, long now) {
        Optional<WebhookCalls.Place> place = calls.tryEnter(first.tenantId());
        if (place.isEmpty()) {
            return Optional.empty();
        }
        DeliveryOrder order = DeliveryOrder.of(first.id(), first.tenantId(), 1, false, now);
        String carried = TraceIds.carried();
        commits.afterCommit(() -> starts.execute(() -> start(order, place.get(), carried)), place.get()::release);
        return Optional.of(order);
    }

    /** The place is given back once the attempts the order led to are all made. */
    private void start(DeliveryOrder order, WebhookCalls.Place place, String carriedTrace) {
        try {
            Exchange exchange = ExchangeBuilder.anExchange(camel).withBody(order)
                    .withProperty(RouteProperties.DELIVERY_PLACE, place).withHeader(TraceIds.CAMEL_HEADER, carriedTrace)
                    .build();
            attempts().process(exchange, doneSync -> place.release());
        } catch (Exception e) {
            place.release();
            LOG.warn("Callback {} could not be made at once ({}); its claim is taken over when its lease runs out",
                    order.deliveryId(), e.toString());
        }
    }

    private AsyncProducer attempts() throws Exception {
        AsyncProducer producer = attempts;
        if (producer == null) {
            synchronized (this) {
                if (attempts == null) {
                    AsyncProducer created = camel.getEndpoint(ATTEMPTS).createAsyncProducer();
                    ServiceHelper.startService(created);
                    attempts = created;
                }
                producer = attempts;
            }
        }
        return producer;
    }

    @Override
    public void destroy() {
        ServiceHelper.stopService(attempts);
        camel.getExecutorServiceManager().shutdown(starts);
    }
}
