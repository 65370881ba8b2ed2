package io.mehery.gateway.conversation;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.ContactCard;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.api.model.MessageType;
import io.mehery.gateway.api.model.SendReceipt;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.delivery.CallbackPlanner;
import io.mehery.gateway.delivery.InboundEvent;
import io.mehery.gateway.provider.OutboundDispatch;
import io.mehery.gateway.provider.ProviderCalls;
import io.mehery.gateway.provider.ProviderLimits;
import io.mehery.gateway.provider.TemplateTexts;
import io.mehery.gateway.security.Channels;
import io.mehery.gateway.store.ContactRecord;
import io.mehery.gateway.store.ContactStore;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.IdempotentRequests;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStatus;
import io.mehery.gateway.store.MessageStore;
import io.mehery.gateway.store.Outbox;
import io.mehery.gateway.tap.TapData;
import io.mehery.gateway.tap.Taps;

/**
 * Accepts a message/send request: checks it against its type and channel, then, in one transaction of the group
 * commit, honours the contact's consent, stores it (masked if asked) as {@code accepted} and puts the real content
 * in the outbox for the channel's outbound route; a user the gateway did not know becomes a contact the client
 * learns of by contact/info, as it would had the user written first. Consent changes, and every send on a channel
 * without transport (EMPTY), are stored as {@code recorded} and leave nothing in the outbox.
 */
@Component("outboundMessages")
public class OutboundMessages {

    private static final Pattern E164 = Pattern.compile("\\+?[1-9][0-9]{6,14}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /** How long a dispatch behind an earlier message of its contact waits before it looks again. */
    private static final Duration BEHIND_EARLIER = Duration.ofMillis(500);

    private final Channels channels;
    private final Conversations conversations;
    private final ContactStore contacts;
    private final MessageStore messages;
    private final GroupCommit commits;
    private final Outbox outbox;
    private final Taps taps;
    private final String outboundQueue;
    /** Longer than a provider call can take: a call begun longer ago than this ended with its process. */
    private final Duration dispatchLease;
    private final CamelContext camel;
    private final ObjectMapper json;
    private final Clock clock;
    private final IdempotentRequests idempotent;
    private final TemplateTexts templates;
    private final CallbackPlanner callbacks;

    private final Map<ChannelType, ProviderLimits> providerLimits;

    public OutboundMessages(Channels channels, Conversations conversations, ContactStore contacts,
            MessageStore messages, GroupCommit commits, Outbox outbox,
            @Value("${mehery.queues.outbound}") String outboundQueue,
            @Value("${mehery.providers.timeout:20s}") Duration providerTimeout, CamelContext camel, ObjectMapper json,
            Clock clock, TemplateTexts templates, CallbackPlanner callbacks, List<ProviderLimits> providerLimits,
            Taps taps, IdempotentRequests idempotent) {
        this.idempotent = idempotent;
        this.channels = channels;
        this.taps = taps;
        this.providerLimits = new EnumMap<>(ChannelType.class);
        providerLimits.forEach(limits -> limits.channelTypes().forEach(type -> this.providerLimits.put(type, limits)));
        this.conversations = conversations;
        this.contacts = contacts;
        this.messages = messages;
        this.commits = commits;
        this.outbox = outbox;
        this.outboundQueue = outboundQueue;
        this.dispatchLease = providerTimeout.multipliedBy(3).plusSeconds(5);
        this.camel = camel;
        this.json = json;
        this.clock = clock;
        this.templates = templates;
        this.callbacks = callbacks;
    }

    /** Accepts a message to send, once per {@code Idempotency-Key} when the caller gives one. */
    public Accepted accept(@ExchangeProperty(RouteProperties.TENANT) String tenantId,
            @Header(IdempotentRequests.HEADER) String idempotencyKey, @Body MessageSendRequest request) {
        return idempotent.once(tenantId, idempotencyKey, "message/send", request, Accepted.class,
                () -> acceptOnce(tenantId, request));
    }

    private Accepted acceptOnce(String tenantId, MessageSendRequest request) {
        Channel channel = channels.owned(tenantId, request.channelId(), "channelId");
        String address = addressOf(request, channel);
        MessageType type = request.type();
        checkContent(request, channel, type);

        JsonNode content = contentOf(request);
        boolean masked = request.masked();
        String text = textOf(request);
        boolean leaves = !type.isConsent() && channel.type().hasTransport();
        MessageStatus status = leaves ? MessageStatus.ACCEPTED : MessageStatus.RECORDED;
        var draft = new Conversations.Draft(MessageRecord.Direction.OUTBOUND, type.json(), status.name(),
                masked ? Masking.mask(text) : text,
                content == null ? null : (masked ? Masking.mask(content) : content).toString(), masked, null,
                MessageRecord.Context.NONE);
        String name = request.to() == null ? null : request.to().name();
        return commits.write(() -> {
            Conversations.Appended appended = conversations.append(request.channelId(), channel, address, name,
                    draft, contact -> refuseIfOptedOut(contact, type));
            MessageRecord message = appended.message();
            if (appended.contactCreated()) {
                callbacks.plan(new InboundEvent(message.id(), InboundEvent.CONTACT_CREATED, tenantId,
                        request.channelId(), message.id(), message.sessionId(), message.contactId(), true, false, null,
                        message.createdAt()));
            }
            if (type.isConsent()) {
                contacts.recordConsent(appended.contact().id(),
                        type == MessageType.OPTIN ? ContactRecord.Consent.OPTIN : ContactRecord.Consent.OPTOUT,
                        clock.millis());
            } else if (leaves) {
                outbox.add(outboundQueue, new OutboundDispatch(message.id(), tenantId, request.channelId(),
                        channel.type(), message.sessionId(), message.contactId(), request), null, message.contactId());
            }
            taps.publish(Taps.OUTBOUND_MESSAGE, tenantId, request.channelId(), () -> TapData.of(
                    "messageId", message.id(), "sessionId", message.sessionId(), "contactId", message.contactId(),
                    "to", address, "type", type.json(), "status", status.json(), "masked", masked,
                    "text", masked ? null : text));
            return Accepted.of(new SendReceipt(message.id(), message.sessionId()));
        });
    }

    /**
     * When a dispatch waits behind an earlier message to the same contact that has not reached its provider yet,
     * the time to look again: a contact gets messages in the order they were accepted, and a retry holds back the
     * later messages of its contact only. Null when the dispatch goes now.
     */
    public Long waitsBehindEarlier(@Body OutboundDispatch dispatch) {
        return messages.hasEarlierUnsent(dispatch.messageId()) ? clock.millis() + BEHIND_EARLIER.toMillis() : null;
    }

    /**
     * Whether this dispatch makes the message's provider call, marked as begun before it is made: each accepted send
     * reaches its provider once, or is failed. A copy of a dispatch (the outbox relay hands work on at least once)
     * finds its message sent, failed or in a call already and is dropped, or, while that call may still be running,
     * thrown back to the queue to look again later. A message whose call began and never ended (the gateway was
     * killed during it) is failed: whether the provider took it is unknown, and it is not sent twice.
     */
    public boolean startDispatch(@Body OutboundDispatch dispatch) {
        String id = dispatch.messageId();
        long now = clock.millis();
        return commits.write(() -> {
            if (messages.startDispatch(id, now)) {
                return true;
            }
            Optional<Long> since = messages.dispatchingSince(id);
            if (since.isEmpty()) {
                return false;
            }
            if (now - since.get() < dispatchLease.toMillis()) {
                throw new ProviderCalls.ProviderUnavailableException("message " + id
                        + " is in a provider call begun " + (now - since.get()) + " ms ago; looking again later");
            }
            messages.fail(id, "The gateway stopped during the provider call: whether the provider took the message"
                    + " is unknown, so it was not sent again", now);
            return false;
        });
    }

    private static void refuseIfOptedOut(ContactRecord contact, MessageType type) {
        if (contact.optedOut() && type != MessageType.OPTIN) {
            throw ApiException.conflict("CONTACT_OPTED_OUT", "to",
                    "The contact opted out of this channel; send an optin message once they opt back in");
        }
    }

    private String addressOf(MessageSendRequest request, Channel channel) {
        var to = request.to();
        if (channel.type().addressesByEmail()) {
            String email = to == null ? null : to.email();
            if (email == null || !EMAIL.matcher(email).matches()) {
                throw ApiException.badRequest(email == null ? "MISSING_FIELD" : "INVALID_FIELD", "to.email",
                        "An " + channel.type() + " channel needs to.email, an e-mail address");
            }
            return email.toLowerCase(Locale.ROOT);
        }
        String phone = to == null ? null : to.phone();
        if (phone == null || phone.isBlank()) {
            throw ApiException.badRequest("MISSING_FIELD", "to.phone",
                    "A " + channel.type() + " channel needs to.phone, the user's address on the channel");
        }
        boolean numbered = switch (channel.type()) {
            case WHATSAPP, SMS -> true;
            default -> false;
        };
        if (numbered && !E164.matcher(phone).matches()) {
            throw ApiException.badRequest("INVALID_FIELD", "to.phone",
                    "A " + channel.type() + " address is an E.164 number such as +15550101");
        }
        // one user, one contact: inbound numbers arrive with the plus, so sends get it too
        return numbered && !phone.trim().startsWith("+") ? "+" + phone.trim() : phone.trim();
    }

    private void checkContent(MessageSendRequest request, Channel channel, MessageType type) {
        String part = type.json();
        switch (type) {
            case SYSTEM -> throw ApiException.badRequest("INVALID_FIELD", "type",
                    "system messages are written by the gateway and cannot be sent");
            case TEXT -> ApiException.require(request.text() != null && request.text().body() != null, part + ".body");
            case LOCATION -> ApiException.require(request.location() != null, part);
            case CONTACTS -> ApiException.require(request.contacts() != null && !request.contacts().isEmpty(), part);
            case TEMPLATE -> {
                ApiException.require(request.template() != null && request.template().id() != null, part + ".id");
                if (!channel.type().hasOwnTemplates() && channel.type().hasTransport()) {
                    templates.textOf(request.template().id()); // refused at accept, not in the channel's route
                }
            }
            case OPTIN, OPTOUT -> {
                return;
            }
            default -> {
                Media media = request.media();
                ApiException.require(media != null && media.link() != null, part + ".link");
                checkLink(media.link(), part + ".link");
            }
        }
        if (!channel.type().carries(type)) {
            throw ApiException.badRequest("UNSUPPORTED_TYPE", "type",
                    "A " + channel.type() + " channel cannot carry a " + type.json() + " message");
        }
        ProviderLimits limits = providerLimits.get(channel.type());
        if (limits != null) {
            limits.refuseWhatIsNotCarried(request);
        }
        if (channel.type().hasTransport() && camel.getRoute(OutboundDispatch.routeIdFor(channel.type())) == null) {
            throw ApiException.badRequest("UNSUPPORTED_CHANNEL", "channelId",
                    "This gateway has no outbound route for " + channel.type() + " channels");
        }
    }

    private static void checkLink(String link, String field) {
        try {
            URI uri = URI.create(link);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException(link);
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_FIELD", field, "'" + field + "' must be an absolute http(s) URL");
        }
    }

    private JsonNode contentOf(MessageSendRequest request) {
        Object part = switch (request.type()) {
            case TEXT -> request.text();
            case LOCATION -> request.location();
            case CONTACTS -> request.contacts();
            case TEMPLATE -> request.template();
            case OPTIN, OPTOUT, SYSTEM -> null;
            default -> request.media();
        };
        return part == null ? null : json.valueToTree(part);
    }

    static String textOf(MessageSendRequest request) {
        return switch (request.type()) {
            case TEXT -> request.text().body();
            case LOCATION -> LocationTexts.of(request.location());
            case CONTACTS -> request.contacts().stream().map(ContactCard::name)
                    .map(ContactCard.Name::formattedName).collect(Collectors.joining(", "));
            case OPTIN, OPTOUT, SYSTEM, TEMPLATE -> null;
            default -> request.media().caption();
        };
    }
}
