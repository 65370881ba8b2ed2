package io.mehery.gateway.channel.sms;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.conversation.Accepted;
import io.mehery.gateway.conversation.InboundMessages;
import io.mehery.gateway.conversation.MeheryMessage;
import io.mehery.gateway.conversation.ProviderReceipts;
import io.mehery.gateway.media.MediaFetcher;
import io.mehery.gateway.media.ProviderFile;
import io.mehery.gateway.media.ProviderFiles;
import io.mehery.gateway.security.Channels;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MessageStatus;
import io.mehery.gateway.web.HttpEdgeFilter;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A Twilio number's webhook, for incoming SMS/MMS and for the status callbacks of what the gateway sent (it sets
 * the channel's {@code public-url} as each send's StatusCallback). Both come signed as form posts.
 */
@Component("twilioInbound")
public class TwilioInbound implements MediaFetcher {

    private final Channels channels;
    private final ProviderFiles files;
    private final InboundMessages inbound;
    private final GroupCommit commits;
    private final ProviderReceipts receipts;
    private final Clock clock;

    public TwilioInbound(Channels channels, InboundMessages inbound, ProviderReceipts receipts, GroupCommit commits,
            Clock clock, ProviderFiles files) {
        this.files = files;
        this.commits = commits;
        this.channels = channels;
        this.inbound = inbound;
        this.receipts = receipts;
        this.clock = clock;
    }

    /**
     * The verify step: the X-Twilio-Signature over the channel's public URL and the form as it arrived (the HTTP
     * layer has parsed it already; the signature covers the original); 401 otherwise.
     */
    public void verify(@Header("channelId") String channelId, @Header("X-Twilio-Signature") String signature,
            @Header(Exchange.HTTP_SERVLET_REQUEST) HttpServletRequest request) {
        Channel channel = channels.ofType(channelId, ChannelType.SMS);
        TwilioSignatures.verify(channel.authToken(), channel.publicUrl(), parse(request), signature);
    }

    /** The parse step: the form's parameters, decoded from the raw body. */
    public Map<String, String> parse(@Header(Exchange.HTTP_SERVLET_REQUEST) HttpServletRequest request) {
        byte[] raw = request == null ? null : (byte[]) request.getAttribute(HttpEdgeFilter.RAW_BODY);
        return decode(raw == null ? "" : new String(raw, StandardCharsets.UTF_8));
    }

    /** The store step: a status callback moves its message; an inbound SMS or MMS is stored with its callbacks. */
    public Accepted store(@Header("channelId") String channelId, @Body Map<String, String> parameters) {
        Channel channel = channels.ofType(channelId, ChannelType.SMS);
        String sid = parameters.get("MessageSid");
        ApiException.require(sid != null, "MessageSid");
        String status = parameters.get("MessageStatus");
        if (status != null && !"received".equals(status)) {
            String error = parameters.get("ErrorCode");
            receiptOf(status).ifPresent(reached -> receipts.apply(channel.tenant(), channelId, sid, reached,
                    clock.millis(), error == null ? null : "Twilio error " + error));
            return Accepted.of(Map.of("receipt", sid));
        }
        String from = parameters.get("From");
        ApiException.require(from != null, "From");
        String body = parameters.getOrDefault("Body", "");
        if (!parameters.containsKey("MediaUrl0")) {
            return inbound.receive(channelId, channel, from, null, sid, MeheryMessage.text(body));
        }
        // an MMS of several files: one message per file (in one write: all or none), the first known by the SID,
        // its caption the text
        return commits.write(() -> {
            Accepted first = null;
            for (int i = 0; parameters.containsKey("MediaUrl" + i); i++) {
                String mime = parameters.getOrDefault("MediaContentType" + i, "application/octet-stream");
                String caption = i == 0 && !body.isEmpty() ? body : null;
                Accepted accepted = inbound.receive(channelId, channel, from, null, i == 0 ? sid : sid + "#" + (i + 1),
                        MeheryMessage.media(MeheryMessage.mediaTypeOf(mime), new Media(caption, null, sid + "/" + i,
                                parameters.get("MediaUrl" + i), mime, null)));
                first = first == null ? accepted : first;
            }
            return first;
        });
    }

    /** Twilio's statuses in the gateway's terms: undelivered is a failure; queued and sending say it was sent. */
    private static Optional<MessageStatus> receiptOf(String status) {
        return switch (status) {
            case "undelivered", "failed" -> Optional.of(MessageStatus.FAILED);
            case "queued", "accepted", "sending", "scheduled" -> Optional.of(MessageStatus.SENT);
            default -> MessageStatus.named(status);
        };
    }

    static Map<String, String> decode(String form) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return parameters;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            parameters.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    @Override
    public Set<ChannelType> channelTypes() {
        return Set.of(ChannelType.SMS);
    }

    /** An MMS file: its MediaUrl with the account's basic auth (Twilio redirects it to its storage). */
    @Override
    public ProviderFile fetch(Channel channel, String messageId, JsonNode part) {
        return files.get(channel, part.path("link").asText(),
                ProviderFiles.always(TwilioOutbound.accountAuthorization(channel)));
    }
}
