package io.mehery.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** Everything under {@code mehery.*}: tenants, channels and the policies the flows read. */
@ConfigurationProperties("mehery")
public record MeheryProperties(
        @DefaultValue("./data") Path dataDir,
        Map<String, Tenant> tenants,
        Map<String, Channel> channels,
        @DefaultValue Sessions sessions,
        @DefaultValue Webhooks webhooks,
        @DefaultValue Http http,
        @DefaultValue Delivery delivery,
        @DefaultValue Store store,
        @DefaultValue Admin admin,
        @DefaultValue Operations operations,
        @DefaultValue Webchat webchat,
        Map<String, String> templates,
        Map<String, Tap> taps,
        Path tapFolder,
        Map<String, Mapping> mappings,
        @DefaultValue Console console,
        @DefaultValue Tags tags) {

    public MeheryProperties {
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
        channels = channels == null ? Map.of() : Map.copyOf(channels);
        templates = templates == null ? Map.of() : Map.copyOf(templates);
        taps = taps == null ? Map.of() : Map.copyOf(taps);
        mappings = mappings == null ? Map.of() : Map.copyOf(mappings);
    }

    /** The folder file taps write under (a tap's {@code file:} URI names a folder inside it); {@code data-dir/taps}. */
    @Override
    public Path tapFolder() {
        return tapFolder != null ? tapFolder : dataDir.resolve("taps");
    }

    /**
     * A reshaping of what goes out for some tenants and channels (none: all): {@code appliesTo} callback (of the
     * {@code callbacks} named, none: all) or provider-request, by the JSLT template {@code jslt}.
     */
    public record Mapping(String appliesTo, List<String> tenants, List<String> channels, List<String> callbacks,
            String jslt) {

        public Mapping {
            tenants = tenants == null ? List.of() : List.copyOf(tenants);
            channels = channels == null ? List.of() : List.copyOf(channels);
            callbacks = callbacks == null ? List.of() : List.copyOf(callbacks);
        }
    }

    /**
     * A copy of events to any Camel endpoint: {@code events} (inbound-message, outbound-message, status-change,
     * callback-attempt, dead-letter; none: all), of {@code tenants} and {@code channels} (none: all), sent to
     * {@code uri} from a queue of its own.
     */
    public record Tap(List<String> events, List<String> tenants, List<String> channels, String uri) {

        public Tap {
            events = events == null ? List.of() : List.copyOf(events);
            tenants = tenants == null ? List.of() : List.copyOf(tenants);
            channels = channels == null ? List.of() : List.copyOf(channels);
        }
    }

    /** {@code tags}: whether the tenant's inbound messages are tagged (mehery.tags); on unless set false. */
    public record Tenant(String apiKey, String verifyToken, String signingSecret, Boolean tags) {
        @Override
        public String toString() {
            return "Tenant[secrets hidden]";
        }

        public boolean tagged() {
            return tags == null || tags;
        }
    }

    /**
     * The tags of every inbound text ({@code enabled}): its languages among {@code languages} (ISO 639-1), its
     * sentiment, the places it names, the people and organisations it names (from {@code entitiesUri}, a Camel
     * endpoint called with the text within {@code entitiesTimeout}, when set), and the {@code categories} whose rules
     * match (for every tenant), and those of the tenant's own {@code tenantCategories.<tenantId>}: each rule a
     * keyword or phrase, a {@code /regular expression/}, {@code lang:xx} or {@code sentiment:positive|neutral|negative}.
     */
    public record Tags(
            @DefaultValue("true") boolean enabled,
            @DefaultValue({"en", "fr", "de", "es", "it", "pt", "nl", "tr", "ru", "ar", "hi", "id", "pl", "sv"})
            List<String> languages,
            String entitiesUri,
            @DefaultValue("500ms") Duration entitiesTimeout,
            Map<String, List<String>> categories,
            Map<String, Map<String, List<String>>> tenantCategories) {

        public Tags {
            languages = List.copyOf(languages);
            categories = categories == null ? Map.of() : Map.copyOf(categories);
            tenantCategories = tenantCategories == null ? Map.of() : Map.copyOf(tenantCategories);
        }
    }

    /** One configured channel; which of the provider keys matter depends on {@link #type()}. */
    public record Channel(
            String tenant,
            ChannelType type,
            String lane,
            String baseUrl,
            String accessToken,
            String appSecret,
            String verifyToken,
            String phoneNumberId,
            String botToken,
            String secretToken,
            String accountSid,
            String authToken,
            String from,
            String messagingServiceSid,
            String publicUrl,
            String smtpUrl,
            String imapUrl,
            @DefaultValue("en_US") String templateLanguage,
            List<String> allowedOrigins,
            String identitySecret,
            String consumerKey,
            String consumerSecret,
            String accessTokenSecret,
            String provider,
            String appKey,
            String projectId,
            Path serviceAccountFile,
            String teamId,
            String keyId,
            Path privateKeyFile,
            String topic,
            String maxRate) {

        public Channel {
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        }

        /**
         * The provider calls the channel may make, all instances together: {@code max-rate} ({@code 80/s},
         * {@code 600/m}; {@code none} for no bound), else its type's default.
         */
        public Optional<ProviderRate> providerRate() {
            String rate = maxRate != null ? maxRate : type == null ? null : type.defaultMaxRate();
            return rate == null || rate.equals(ProviderRate.NONE) ? Optional.empty()
                    : Optional.of(ProviderRate.parse(rate));
        }

        @Override
        public String toString() {
            return "Channel[tenant=" + tenant + ", type=" + type + ", lane=" + lane + ", secrets hidden]";
        }
    }

    /**
     * The operator's key ({@code x-api-key}, never a tenant's): health details, the admin config API; with
     * {@code metricsNeedKey}, {@code /actuator/prometheus} (which names tenants, channels, mailboxes and taps) too.
     */
    public record Admin(String apiKey, @DefaultValue("false") boolean metricsNeedKey) {
        @Override
        public String toString() {
            return "Admin[secrets hidden]";
        }
    }

    /**
     * The console at {@code /console}: a session opened by signing in lasts {@code sessionTtl}; every instance records
     * its figures (accepts, sends, callbacks, lag, backlogs) every {@code sampleEvery} for the overview's charts.
     */
    public record Console(@DefaultValue("8h") Duration sessionTtl, @DefaultValue("5s") Duration sampleEvery) {

        public Console {
            if (sessionTtl.isNegative() || sessionTtl.isZero() || sampleEvery.toMillis() < 100) {
                throw new IllegalArgumentException("mehery.console.session-ttl must be positive and"
                        + " mehery.console.sample-every at least 100ms");
            }
        }
    }

    /**
     * Where the operator hears of what the gateway gave up on or changed by itself (a dead letter, a webhook disabled
     * by 410 Gone or failing, a recovery finished): Standard Webhooks callbacks to {@code webhook}, none if unset.
     */
    public record Operations(OperationsWebhook webhook) {
    }

    /** The operator's webhook: {@code url}, and the {@code whsec_} secret its callbacks are signed with. */
    public record OperationsWebhook(String url, String signingSecret) {
        @Override
        public String toString() {
            return "OperationsWebhook[" + url + ", secret hidden]";
        }
    }

    /**
     * The website channels' chat widget: a visitor token lasts {@code tokenTtl} (renewed at each visit); a visitor
     * sends at most {@code messagesPerMinute} messages and files, each file no larger than {@code maxUpload} and of
     * one of {@code uploadTypes}; a widget whose WebSocket is blocked asks for news every {@code pollInterval}.
     */
    public record Webchat(
            @DefaultValue("30d") Duration tokenTtl,
            @DefaultValue("5MB") DataSize maxUpload,
            @DefaultValue({"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"})
            List<String> uploadTypes,
            @DefaultValue("30") int messagesPerMinute,
            @DefaultValue("3s") Duration pollInterval,
            @DefaultValue("8") int maxConcurrentUploads,
            @DefaultValue("20") int visitorsPerMinutePerAddress,
            @DefaultValue("120") int messagesPerMinutePerAddress) {

        public Webchat {
            uploadTypes = List.copyOf(uploadTypes);
            if (messagesPerMinute < 1 || maxConcurrentUploads < 1 || visitorsPerMinutePerAddress < 1
                    || messagesPerMinutePerAddress < 1) {
                throw new IllegalArgumentException("mehery.webchat.messages-per-minute, max-concurrent-uploads,"
                        + " visitors-per-minute-per-address and messages-per-minute-per-address must be at least 1");
            }
        }
    }

    public record Sessions(@DefaultValue("24h") Duration idleTimeout) {
    }

    public record Webhooks(@DefaultValue("false") boolean allowPrivateTargets) {
    }

    /**
     * The HTTP edge. {@code publicUrl}: where clients reach the gateway, for the media links in callbacks. A body
     * must arrive whole within {@code bodyTimeout}; at most {@code maxUnauthenticated} requests read a body before
     * anything proves who sent it (provider webhooks, checked by their signature once read), the rest are refused
     * at once. A source that fails authentication {@code authFailureLimit} times within {@code authFailureWindow}
     * is answered 429 for the rest of that window.
     */
    public record Http(@DefaultValue("1MB") DataSize maxBody, @DefaultValue("http://localhost:8080") String publicUrl,
            @DefaultValue("25MB") DataSize maxMedia,
            @DefaultValue("10s") Duration bodyTimeout,
            @DefaultValue("32") int maxUnauthenticated,
            @DefaultValue("20") int authFailureLimit,
            @DefaultValue("1m") Duration authFailureWindow) {

        public Http {
            if (maxUnauthenticated < 1 || authFailureLimit < 1) {
                throw new IllegalArgumentException(
                        "mehery.http.max-unauthenticated and auth-failure-limit must be at least 1");
            }
        }
    }

    /**
     * Callbacks to the client webhooks: {@code retrySchedule} holds the wait before each attempt (its length is the
     * number of attempts before a dead letter), stretched by up to {@code jitter} so retries of many events spread.
     * A callback due for longer than {@code recoverAfter} that nothing has claimed is sent on again (its order went
     * missing); callbacks without an order and attempts whose claimer died are looked for every
     * {@code stallCheckEvery}. Up to {@code concurrencyPerTenant} callbacks of a tenant are under way at once, none holding a thread
     * while its webhook answers; {@code consumersPerTenant} threads take the tenant's orders and claim their attempts.
     */
    public record Delivery(
            @DefaultValue("0s,5s,5m,30m,2h,5h,10h,10h") List<Duration> retrySchedule,
            @DefaultValue("15s") Duration timeout,
            @DefaultValue("0.1") double jitter,
            @DefaultValue("64") int concurrencyPerTenant,
            @DefaultValue Breaker breaker,
            @DefaultValue("2m") Duration recoverAfter,
            @DefaultValue("4") int consumersPerTenant,
            @DefaultValue("15s") Duration stallCheckEvery,
            @DefaultValue Recovery recovery) {

        public Delivery {
            if (retrySchedule.isEmpty()) {
                throw new IllegalArgumentException("mehery.delivery.retry-schedule needs at least one attempt");
            }
            if (concurrencyPerTenant < 1 || consumersPerTenant < 1) {
                throw new IllegalArgumentException(
                        "mehery.delivery.concurrency-per-tenant and consumers-per-tenant must be at least 1");
            }
            retrySchedule = List.copyOf(retrySchedule);
        }
    }

    /**
     * The durable write path: {@code maxBatch} writes at most share one transaction, and a write that finds the
     * committer idle goes at once unless {@code maxWait} lets it wait for company. The outbox relay moves up to
     * {@code relayBatch} rows to the broker in one JMS transaction, woken by each commit and at least every
     * {@code relayPollInterval} (rows left by an instance that stopped, or that found the broker down).
     */
    public record Store(
            @DefaultValue("256") int maxBatch,
            @DefaultValue("0ms") Duration maxWait,
            @DefaultValue("500") int relayBatch,
            @DefaultValue("1s") Duration relayPollInterval) {

        public Store {
            if (maxBatch < 1 || relayBatch < 1) {
                throw new IllegalArgumentException("mehery.store.max-batch and relay-batch must be at least 1");
            }
        }
    }

    /**
     * A recovery of a time range sends its callbacks on a batch at a time, every {@code every}, and only while fewer
     * than {@code inFlight} of the tenant's callbacks are due or under way: live callbacks go first.
     */
    public record Recovery(
            @DefaultValue("100") int inFlight,
            @DefaultValue("200ms") Duration every) {

        public Recovery {
            if (inFlight < 1) {
                throw new IllegalArgumentException("mehery.delivery.recovery.in-flight must be at least 1");
            }
        }
    }

    /** When a tenant's webhook fails this often it is left alone for {@code openFor}, then probed. */
    public record Breaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("5") int minimumCalls,
            @DefaultValue("20") int window,
            @DefaultValue("30s") Duration openFor) {
    }
}
