package io.mehery.gateway.channel.whatsapp;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.channel.meta.MetaWebhooks;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.conversation.MeheryMessage;
import io.mehery.gateway.delivery.CallbackPayloads;
import io.mehery.gateway.delivery.WebhookSignatures;
import io.mehery.gateway.media.MediaLinks;
import io.mehery.gateway.provider.ProviderJson;
import io.mehery.gateway.store.ContactRecord;
import io.mehery.gateway.store.ContactStore;
import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStore;
import io.mehery.gateway.store.StatusChanges;
import io.mehery.gateway.tags.MessageTags;

/**
 * The CPU an inbound WhatsApp message costs outside the store and the broker: the signature check, the provider
 * JSON read into the Mehery model, the message/receive callback written as the client gets it, and its
 * Standard Webhooks signature.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WhatsAppToCallbackBenchmark {

    private static final String SECRET = "bench-app-secret";
    private static final String CALLBACK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String NOTIFICATION = """
            {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
            "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111",
            "phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Kerry Fisher"},"wa_id":"16315551181"}],
            "messages":[{"from":"16315551181","id":"wamid.HBgLMTYzMTU1NTExODEVAgASGBQzQTRBNjVDRkZFRDg2","timestamp":
            "1732441234","type":"text","text":{"body":"Hello, I ordered a pair of running shoes last week (order
             #100231) and the tracking page still says the parcel is waiting at the depot. Could you check whether
             it has shipped and when I can expect it? I will be away on Friday, so please leave it with my
             neighbour at number 12 or hold it at the pickup point on Station Road. Thanks a lot!"}}]},
            "field":"messages"}]}]}""".replace("\n", "");

    private final ObjectMapper json = new ObjectMapper();
    private byte[] body;
    private String signature;
    private MeheryProperties.Channel channel;
    private CallbackPayloads payloads;
    private MessageRecord stored;

    @Setup
    public void setUp() throws Exception {
        body = NOTIFICATION.getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        channel = new MeheryProperties.Channel("bench", ChannelType.WHATSAPP, "+15550001111", null, null, SECRET,
                null, "106540352242922", null, null, null, null, null, null, null, null, null, "en_US", null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
        ContactRecord contact = new ContactRecord("c1", "bench", "wa", "PHONE", "+16315551181", "+15550001111",
                "Kerry Fisher", null, null, null, null, null, "Kerry Fisher");
        MeheryProperties properties = mock(MeheryProperties.class);
        when(properties.http())
                .thenReturn(new MeheryProperties.Http(null, "http://localhost:8080", null, null, 1, 1, null));
        // the text is tagged as it is rendered: languages, sentiment, places, names (no entities service)
        when(properties.tags()).thenReturn(new MeheryProperties.Tags(true, List.of("en", "fr", "de", "es", "it",
                "pt", "nl", "tr", "ru", "ar", "hi", "id", "pl", "sv"), null, Duration.ofMillis(500), Map.of(), Map.of()));
        when(properties.tenants()).thenReturn(Map.of("bench", new MeheryProperties.Tenant("k", "v", null, null)));
        LiveConfiguration live = new LiveConfiguration(properties,
                new StaticListableBeanFactory().getBeanProvider(LiveConfiguration.Listener.class));
        payloads = new CallbackPayloads(new ContactStore(null, null) {
            @Override
            public Optional<ContactRecord> find(String id) {
                return Optional.of(contact);
            }
        }, new MessageStore(null, StatusChanges.NONE) {
            @Override
            public Optional<MessageRecord> find(String id) {
                return Optional.of(stored);
            }
        }, json, new MediaLinks(properties, live, List.of(new WhatsAppInbound(null, null, null, null, null, null))),
                new MessageTags(live, null, json));
    }

    @Benchmark
    public String providerJsonToCallbackJson() throws Exception {
        MetaWebhooks.verifySignature(channel, body, signature);
        JsonNode message = new ProviderJson(json).parse(body).at("/entry/0/changes/0/value/messages/0");
        MeheryMessage mehery = WhatsAppMessages.of(message);
        stored = new MessageRecord("m1", "bench", "wa", "s1", "c1", MessageRecord.Direction.INBOUND, mehery.type(),
                "RECEIVED", mehery.text(), json.writeValueAsString(mehery.part()), false,
                message.path("id").asText(), "+16315551181", 1732441234000L, null, null, MessageRecord.Context.NONE);
        return payloads.render(new DeliveryRecord("d1", "bench", "message.receive", "m1", "m1", "c1", "s1", null,
                null, null, DeliveryRecord.Status.PENDING, 0, 0, null, null, null, null, 0, 0, null, null));
    }

    @Benchmark
    public void signatureCheck() {
        MetaWebhooks.verifySignature(channel, body, signature);
    }

    @Benchmark
    public String callbackSignature() {
        return WebhookSignatures.sign(CALLBACK_SECRET, "d1", 1732441234L, NOTIFICATION);
    }
}
