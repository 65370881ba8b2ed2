package io.mehery.gateway.delivery;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.logging.TraceIds;
import io.mehery.gateway.logging.TraceSpans;
import io.mehery.gateway.security.WebhookTargets;

/**
 * The signed POSTs to the client webhooks, made without a thread each: an asynchronous HTTP client holds every call
 * in flight on one I/O thread, and the route goes on (records the outcome, makes the contact's next callback) on a
 * small pool once the answer is in. Each tenant has at most {@code mehery.delivery.concurrency-per-tenant} deliveries
 * under way, counted from the order's arrival to the end of the attempts it led to: a slow webhook fills its own
 * tenant's bound and no other's.
 *
 * <p>Like the {@code webhook:} client of the taps, it connects only to addresses the SSRF guard let through, follows
 * no redirect and never retries on its own; an attempt that takes longer than {@code mehery.delivery.timeout},
 * connecting included, is cancelled and recorded as a timeout.
 */
@Component("webhookCalls")
public class WebhookCalls extends AsyncProcessorSupport implements DisposableBean {

    /** Threads that record outcomes and make the next callbacks: their work is short, and waits on the store. */
    private static final int ANSWER_THREADS = 32;

    private final CloseableHttpAsyncClient client;
    private final ExecutorService answers;
    private final ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "webhook-deadlines");
        thread.setDaemon(true);
        return thread;
    });
    private final long timeoutMillis;
    private final int perTenant;
    private final Map<String, Semaphore> underWay = new ConcurrentHashMap<>();
    private final TraceSpans spans;

    public WebhookCalls(MeheryProperties properties, CamelContext camel, TraceSpans spans) {
        this.spans = spans;
        MeheryProperties.Delivery delivery = properties.delivery();
        this.perTenant = delivery.concurrencyPerTenant();
        this.timeoutMillis = delivery.timeout().toMillis();
        Timeout timeout = Timeout.ofMilliseconds(timeoutMillis);
        // the tenants' places bound the calls; a host that several tenants' webhooks share must not bound them again
        int connections = perTenant * Math.max(1, properties.tenants().size());
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDnsResolver(WebhookTargets.resolver(properties.webhooks().allowPrivateTargets()))
                        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                        .setMaxConnPerRoute(connections)
                        .setMaxConnTotal(connections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                                .setSocketTimeout(timeout).build())
                        .build())
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
                .setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(false)
                        .setResponseTimeout(timeout).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
        this.client.start();
        this.answers = camel.getExecutorServiceManager().newFixedThreadPool(this, "webhook-answers", ANSWER_THREADS);
        // an attempt answered in time takes its deadline away with it, so that only the calls in flight keep one
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    /**
     * Waits for a place among the tenant's deliveries under way, for the order in this exchange: called by the
     * tenant's queue consumers, which so stop taking orders while the bound is reached. The place is given back when
     * the exchange ends, unless it was handed over to the attempt the order made ({@link #handOver}).
     */
    public void enter(@Body DeliveryOrder order, Exchange exchange) throws InterruptedException {
        Semaphore places = placesOf(order.tenantId());
        places.acquire();
        Place place = new Place(places);
        exchange.setProperty(RouteProperties.DELIVERY_PLACE, place);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                if (!place.handedOver) {
                    place.release();
                }
            }
        });
    }

    /**
     * A place for a callback handed over without an order, when one is free and no queue consumer waits for one: a
     * hand-off never goes before an order that came through the queue (a retry, or an accept that found the places
     * taken).
     */
    public Optional<Place> tryEnter(String tenantId) {
        Semaphore places = placesOf(tenantId);
        return !places.hasQueuedThreads() && places.tryAcquire() ? Optional.of(new Place(places)) : Optional.empty();
    }

    private Semaphore placesOf(String tenantId) {
        return underWay.computeIfAbsent(tenantId, tenant -> new Semaphore(perTenant));
    }

    /** The order's place goes with its attempt, made apart from the consumer: it is given back when that ends. */
    public void handOver(@ExchangeProperty(RouteProperties.DELIVERY_PLACE) Place place) {
        place.handedOver = true;
    }

    /** In the exchange that makes the attempts: the place it was handed is given back when it ends. */
    public void hold(@ExchangeProperty(RouteProperties.DELIVERY_PLACE) Place place, Exchange exchange) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                place.release();
            }
        });
    }

    /** One delivery's place among its tenant's under way; given back once. */
    public static final class Place {

        private final Semaphore places;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile boolean handedOver;

        Place(Semaphore places) {
            this.places = places;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                places.release();
            }
        }
    }

    /** Deliveries of the tenant under way now (for the metrics and tests). */
    public int underWay(String tenantId) {
        Semaphore places = underWay.get(tenantId);
        return places == null ? 0 : perTenant - places.availablePermits();
    }

    /**
     * Makes the attempt in the exchange's {@link RouteProperties#CALLBACK_ATTEMPT} property; once answered, the
     * exchange has the status code, the Retry-After header and the answer's body, or the failure as its exception.
     */
    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CallbackAttempt attempt = exchange.getProperty(RouteProperties.CALLBACK_ATTEMPT, CallbackAttempt.class);
        String carried = exchange.getMessage().getHeader(Exchange.BREADCRUMB_ID, String.class);
        TraceSpans.Call span = spans.call("callback " + attempt.kind().code(), carried, Map.of("mehery.tenant",
                attempt.tenantId(), "mehery.webhook_id", attempt.deliveryId(), "mehery.attempt",
                String.valueOf(attempt.attempt()), "http.request.method", "POST", "server.address", host(attempt)));
        CompletableFuture<ScheduledFuture<?>> deadline = new CompletableFuture<>();
        Future<SimpleHttpResponse> call;
        try {
            call = client.execute(request(attempt, TraceIds.traceIdOf(carried), span.traceparent()),
                    new FutureCallback<>() {
                        @Override
                        public void completed(SimpleHttpResponse response) {
                            span.end(response.getCode(), null);
                            answered(exchange, callback, deadline, () -> {
                                var message = exchange.getMessage();
                                message.setHeader(Exchange.HTTP_RESPONSE_CODE, response.getCode());
                                var retryAfter = response.getFirstHeader("Retry-After");
                                message.setHeader("Retry-After", retryAfter == null ? null : retryAfter.getValue());
                                message.setBody(response.getBodyText());
                            });
                        }

                        @Override
                        public void failed(Exception failure) {
                            span.end(null, failure);
                            answered(exchange, callback, deadline, () -> exchange.setException(failure));
                        }

                        @Override
                        public void cancelled() {
                            TimeoutException timeout = new TimeoutException("no answer within " + timeoutMillis
                                    + " ms");
                            span.end(null, timeout);
                            answered(exchange, callback, deadline, () -> exchange.setException(timeout));
                        }
                    });
        } catch (RuntimeException refused) {
            span.end(null, refused);
            exchange.setException(refused);
            callback.done(true);
            return true;
        }
        deadline.complete(deadlines.schedule(() -> call.cancel(true), timeoutMillis, TimeUnit.MILLISECONDS));
        return false;
    }

    /** The webhook's host alone: a span names where the call went, never the URL's path or query (tokens). */
    private static String host(CallbackAttempt attempt) {
        try {
            String host = URI.create(attempt.url()).getHost();
            return host == null ? "" : host;
        } catch (IllegalArgumentException notAUri) {
            return "";
        }
    }

    private static SimpleHttpRequest request(CallbackAttempt attempt, String traceId, String traceparent) {
        SimpleRequestBuilder request = SimpleRequestBuilder.post(attempt.url());
        attempt.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase(Exchange.CONTENT_TYPE)) {
                request.setHeader(name, value);
            }
        });
        // the trace id of the request that brought the event in, under the name the client sees on our answers and
        // as W3C Trace Context (this call's span in that trace)
        if (traceId != null) {
            request.setHeader(TraceIds.HEADER, traceId);
        }
        if (traceparent != null) {
            request.setHeader(TraceIds.TRACEPARENT, traceparent);
        }
        return request.setBody(attempt.payload(), ContentType.APPLICATION_JSON).build();
    }

    /** The route goes on off the I/O thread, which must never wait on the store. */
    private void answered(Exchange exchange, AsyncCallback callback, CompletableFuture<ScheduledFuture<?>> deadline,
            Runnable outcome) {
        deadline.thenAccept(timer -> timer.cancel(false));
        Runnable goOn = () -> {
            outcome.run();
            callback.done(false);
        };
        try {
            answers.execute(goOn);
        } catch (RejectedExecutionException stopping) {
            goOn.run();
        }
    }

    @Override
    public void destroy() throws IOException {
        client.close(CloseMode.GRACEFUL);
        deadlines.shutdownNow();
    }
}
