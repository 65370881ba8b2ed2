package io.mehery.gateway.channel.messenger;

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
 * The store step of a Facebook Page's or Instagram account's Messenger Platform webhook (the handshake and the
 * signature are Meta's, in MetaWebhooks): batches of {@code entry[].messaging[]} events. The user's address is the
 * page-scoped id (PSID/IGSID). The page's own messages come back as echoes and are not inbound; delivery and read
 * events are receipts.
 */
@Component("messengerInbound")
public class MessengerInbound implements MediaFetcher {

    private final Channels channels;
    private final ProviderFiles files;
    private final InboundMessages inbound;
    private final ProviderReceipts receipts;
    private final GroupCommit commits;

    public MessengerInbound(Channels channels, InboundMessages inbound, ProviderReceipts receipts,
            GroupCommit commits, ProviderFiles files) {
        this.files = files;
        this.channels = channels;
        this.inbound = inbound;
        this.receipts = receipts;
        this.commits = commits;
    }

    /** The batch's messages and receipts, stored in one write of the group commit: all, or none. */
    public Accepted store(@Header("channelType") ChannelType type, @Header("channelId") String channelId,
            @Body JsonNode batch) {
        Channel channel = channels.ofType(channelId, type);
        return commits.write(() -> store(channelId, channel, batch));
    }

    private Accepted store(String channelId, Channel channel, JsonNode batch) {
        int messages = 0;
        int receiptCount = 0;
        for (JsonNode entry : batch.path("entry")) {
            for (JsonNode event : entry.path("messaging")) {
                String user = event.at("/sender/id").asText();
                ApiException.require(!user.isEmpty(), "entry.messaging.sender.id");
                if (event.has("delivery")) {
                    for (JsonNode mid : event.at("/delivery/mids")) {
                        receipts.apply(channel.tenant(), channelId, mid.asText(), MessageStatus.DELIVERED,
                                event.path("timestamp").asLong(), null);
                    }
                    receiptCount++;
                } else if (event.has("read")) {
                    long watermark = event.at("/read/watermark").asLong(event.path("timestamp").asLong());
                    receipts.readUpTo(channel.tenant(), channelId, user, watermark);
                    receiptCount++;
                } else if (event.has("message_edit")) {
                    JsonNode edit = event.path("message_edit");
                    inbound.edit(channelId, channel, user, null, edit.path("mid").asText(),
                            "edit-" + edit.path("num_edit").asText(), MessengerMessages.edited(event));
                    messages++;
                } else if (!event.at("/message/is_echo").asBoolean(false)) {
                    for (MessengerMessages.Part part : MessengerMessages.of(event)) {
                        inbound.receive(channelId, channel, user, null, part.messageIdExt(), part.message());
                        messages++;
                    }
                }
            }
        }
        return Accepted.of(Map.of("messages", messages, "receipts", receiptCount));
    }

    @Override
    public Set<ChannelType> channelTypes() {
        return Set.of(ChannelType.FACEBOOK, ChannelType.INSTAGRAM);
    }

    /** A Messenger or Instagram attachment: its CDN URL, which carries its own signature. */
    @Override
    public ProviderFile fetch(Channel channel, String messageId, JsonNode part) {
        return files.get(channel, part.path("link").asText(), ProviderFiles.always(null));
    }
}
