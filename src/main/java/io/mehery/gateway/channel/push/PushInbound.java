package io.mehery.gateway.channel.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.api.model.Template;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.conversation.Accepted;
import io.mehery.gateway.conversation.InboundMessages;
import io.mehery.gateway.conversation.MeheryMessage;
import io.mehery.gateway.conversation.ProviderReceipts;
import io.mehery.gateway.provider.TemplateTexts;
import io.mehery.gateway.security.Channels;
import io.mehery.gateway.security.Hmac;
import io.mehery.gateway.store.ContactStore;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStatus;
import io.mehery.gateway.store.MessageStore;
import io.mehery.gateway.store.PushDeviceStore;

/**
 * What the business's app tells a push channel, with the channel's {@code app-key} in {@code x-app-key}: the
 * devices its users are signed in on (POST .../devices), and what they did with a notification (POST .../events):
 * an open marks the message read; a tap on one of its buttons is the user's message with that action (then
 * action/event), known by the message and the action so that the app may report it twice. The app key ships in every
 * copy of the app, so it proves only which app calls: each body also carries {@code userHash}, the hex HMAC-SHA256 of
 * its {@code userId} under the channel's {@code identity-secret}, which the business's server gives its signed-in
 * user; without it nobody could be kept from registering a device for another user and reading their notifications.
 */
@Component("pushInbound")
public class PushInbound {

    static final String APP_KEY_HEADER = "x-app-key";
    private static final Set<String> PLATFORMS = Set.of("android", "ios", "web");

    private final Channels channels;
    private final PushDeviceStore devices;
    private final MessageStore messages;
    private final ContactStore contacts;
    private final ProviderReceipts receipts;
    private final InboundMessages inbound;
    private final Clock clock;
    private final TemplateTexts templates;

    public PushInbound(Channels channels, PushDeviceStore devices, MessageStore messages, ContactStore contacts,
            ProviderReceipts receipts, InboundMessages inbound, Clock clock, TemplateTexts templates) {
        this.channels = channels;
        this.devices = devices;
        this.messages = messages;
        this.contacts = contacts;
        this.receipts = receipts;
        this.inbound = inbound;
        this.clock = clock;
        this.templates = templates;
    }

    /** The verify step: the app's key of the channel, compared in constant time; 401 otherwise. */
    public void verify(@Header("channelId") String channelId, @Header(APP_KEY_HEADER) String appKey) {
        Channel channel = channels.ofType(channelId, ChannelType.PUSH);
        if (appKey == null || !MessageDigest.isEqual(channel.appKey().getBytes(StandardCharsets.UTF_8),
                appKey.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, List.of(Problem.of("INVALID_APP_KEY", APP_KEY_HEADER,
                    "The request needs the app key of this push channel")));
        }
    }

    /** {@code {"token", "platform": android | ios | web, "userId", "userHash"}}: the device now reaches that user. */
    public Map<String, Object> register(@Header("channelId") String channelId, @Body JsonNode device) {
        String token = text(device, "token", 1024);
        String userId = provenUser(channelId, device);
        String platform = text(device, "platform", 20);
        if (!PLATFORMS.contains(platform)) {
            throw ApiException.badRequest("INVALID_FIELD", "platform", "platform is android, ios or web");
        }
        devices.register(channelId, token, userId, platform, clock.millis());
        return Map.of("userId", userId, "platform", platform, "registered", true);
    }

    /**
     * The store step of an app event: {@code {"type": "opened" | "action", "messageId", "userId"}}, an action with
     * its {@code actionCode} (and the button's {@code title}).
     */
    public Accepted store(@Header("channelId") String channelId, @Body JsonNode event) {
        Channel channel = channels.ofType(channelId, ChannelType.PUSH);
        String type = text(event, "type", 20);
        String userId = provenUser(channelId, event);
        String messageId = text(event, "messageId", 36);
        MessageRecord notified = messages.find(messageId)
                .filter(m -> m.direction() == MessageRecord.Direction.OUTBOUND && m.channelId().equals(channelId))
                .filter(m -> contacts.find(m.contactId()).map(c -> c.csid().equals(userId)).orElse(false))
                .orElseThrow(() -> ApiException.notFound("MESSAGE_NOT_FOUND", "messageId", "No notification '"
                        + messageId + "' was sent to this user on this channel"));
        switch (type) {
            case "opened" -> {
                boolean applied = notified.messageIdExt() != null && receipts.apply(channel.tenant(), channelId,
                        notified.messageIdExt(), MessageStatus.READ, clock.millis(), null);
                return Accepted.of(Map.of("read", applied));
            }
            case "action" -> {
                String code = text(event, "actionCode", 150);
                Template.Button offered = templates.buttonsOffered(notified).stream().filter(b -> b.actionCode().equals(code))
                        .findFirst().orElseThrow(() -> ApiException.badRequest("UNKNOWN_ACTION", "actionCode",
                                "The notification offered no button with this actionCode"));
                return inbound.receive(channelId, channel, userId, null, "action:" + messageId + ":" + code,
                        MeheryMessage.text(offered.text()).withAction(code).replyingTo(notified.messageIdExt()));
            }
            default -> throw ApiException.badRequest("INVALID_FIELD", "type", "type is opened or action");
        }
    }

    /** The body's {@code userId}, when its {@code userHash} proves it; 401 otherwise. */
    private String provenUser(String channelId, JsonNode body) {
        String userId = text(body, "userId", 320);
        JsonNode userHash = body.get("userHash");
        if (!Hmac.provesUser(channels.ofType(channelId, ChannelType.PUSH).identitySecret(), userId,
                userHash == null || !userHash.isTextual() ? null : userHash.asText())) {
            throw new ApiException(401, List.of(Problem.of("IDENTITY_NOT_VERIFIED", "userHash", "userHash is not the"
                    + " HMAC-SHA256 of userId under this channel's identity secret (computed by the business's"
                    + " server for its signed-in user)")));
        }
        return userId;
    }

    private static String text(JsonNode body, String field, int maxLength) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank() || value.asText().length() > maxLength) {
            throw ApiException.badRequest("INVALID_FIELD", field, field + " is required: 1 to " + maxLength
                    + " characters");
        }
        return value.asText();
    }
}
