package io.mehery.gateway.channel.whatsapp;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.conversation.Accepted;
import io.mehery.gateway.conversation.InboundMessages;
import io.mehery.gateway.conversation.ProviderReceipts;
import io.mehery.gateway.media.MediaFetcher;
import io.mehery.gateway.media.ProviderFile;
import io.mehery.gateway.media.ProviderFiles;
import io.mehery.gateway.security.Channels;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MessageStatus;

/**
 * The store step of a WhatsApp Cloud API channel's webhook (the handshake and the signature are Meta's, in
 * MetaWebhooks): each notification holds entries of changes with messages (stored, with their callbacks) and
 * statuses (receipts of what the gateway sent).
 */
@Component("whatsAppInbound")
public class WhatsAppInbound implements MediaFetcher {

    private final Channels channels;
    private final ProviderFiles files;
    private final InboundMessages inbound;
    private final ProviderReceipts receipts;
    private final GroupCommit commits;
    private final Clock clock;

    public WhatsAppInbound(Channels channels, InboundMessages inbound, ProviderReceipts receipts, GroupCommit commits,
            Clock clock, ProviderFiles files) {
        this.files = files;
        this.channels = channels;
        this.inbound = inbound;
        this.receipts = receipts;
        this.commits = commits;
        this.clock = clock;
    }

    /** The notification's messages and receipts, stored in one write of the group commit: all, or none. */
    public Accepted store(@Header("channelId") String channelId, @Body JsonNode notification) {
        Channel channel = channels.ofType(channelId, ChannelType.WHATSAPP);
        return commits.write(() -> store(channelId, channel, notification));
    }

    private Accepted store(String channelId, Channel channel, JsonNode notification) {
        int messages = 0;
        int statuses = 0;
        for (JsonNode entry : notification.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                Map<String, String> names = new HashMap<>();
                for (JsonNode contact : value.path("contacts")) {
                    names.put(contact.path("wa_id").asText(), contact.at("/profile/name").asText(null));
                }
                for (JsonNode message : value.path("messages")) {
                    receive(channelId, channel, message, names);
                    messages++;
                }
                for (JsonNode status : value.path("statuses")) {
                    receipt(channelId, channel, status);
                    statuses++;
                }
            }
        }
        return Accepted.of(Map.of("messages", messages, "statuses", statuses));
    }

    private void receive(String channelId, Channel channel, JsonNode message, Map<String, String> names) {
        String from = message.path("from").asText();
        ApiException.require(!from.isEmpty(), "entry.changes.value.messages.from");
        String user = from.startsWith("+") ? from : "+" + from;
        String id = message.path("id").asText(null);
        if ("edit".equals(message.path("type").asText())) {
            inbound.edit(channelId, channel, user, names.get(from), message.at("/edit/original_message_id").asText(),
                    id, WhatsAppMessages.edited(message));
        } else {
            inbound.receive(channelId, channel, user, names.get(from), id, WhatsAppMessages.of(message));
        }
    }

    private void receipt(String channelId, Channel channel, JsonNode status) {
        long at = status.hasNonNull("timestamp") ? status.path("timestamp").asLong() * 1000 : clock.millis();
        MessageStatus.named(status.path("status").asText()).ifPresent(reached -> receipts.apply(channel.tenant(),
                channelId, status.path("id").asText(), reached, at, failure(status.path("errors"))));
    }

    private static String failure(JsonNode errors) {
        if (!errors.isArray() || errors.isEmpty()) {
            return null;
        }
        JsonNode error = errors.get(0);
        String details = error.at("/error_data/details").asText(error.path("message").asText(""));
        return "WhatsApp " + error.path("code").asText() + " " + error.path("title").asText()
                + (details.isEmpty() ? "" : ": " + details);
    }

    @Override
    public Set<ChannelType> channelTypes() {
        return Set.of(ChannelType.WHATSAPP);
    }

    /** A WhatsApp file: the Graph API gives the media id's short-lived URL, fetched with the same access token. */
    @Override
    public ProviderFile fetch(Channel channel, String messageId, JsonNode part) {
        String bearer = "Bearer " + channel.accessToken();
        JsonNode located = files.getJson(channel, channel.baseUrl() + "/" + part.path("id").asText(),
                ProviderFiles.always(bearer));
        return files.get(channel, located.path("url").asText(), ProviderFiles.always(bearer));
    }
}
