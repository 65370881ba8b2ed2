package io.mehery.gateway.channel.messenger;

import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.channel.ProviderRequests;
import io.mehery.gateway.channel.meta.MetaWebhooks;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.conversation.Accepted;
import io.mehery.gateway.conversation.InboundMessages;
import io.mehery.gateway.conversation.ProviderReceipts;
import io.mehery.gateway.security.Channels;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MessageStatus;

/**
 * The Messenger Platform webhook of a Facebook Page or Instagram account: Meta's handshake, then signed batches of
 * {@code entry[].messaging[]} events. The user's address is the page-scoped id (PSID/IGSID). The page's own
 * messages come back as echoes and are not inbound; delivery and read events are receipts.
 */
@Component("messengerInbound")
public class MessengerInbound {

    private final Channels channels;
    private final InboundMessages inbound;
    private final ProviderReceipts receipts;
    private final GroupCommit commits;
    private final ObjectMapper json;

    public MessengerInbound(Channels channels, InboundMessages inbound, ProviderReceipts receipts,
            GroupCommit commits, ObjectMapper json) {
        this.channels = channels;
        this.inbound = inbound;
        this.receipts = receipts;
        this.commits = commits;
        this.json = json;
    }

    public String verify(@Header("channelType") ChannelType type, @Header("channelId") String channelId,
            @Header("hub.mode") String mode, @Header("hub.verify_token") String verifyToken,
            @Header("hub.challenge") String challenge) {
        return MetaWebhooks.challenge(channels.ofType(channelId, type), mode, verifyToken, challenge);
    }

    public Accepted receive(@Header("channelType") ChannelType type, @Header("channelId") String channelId,
            @Header("X-Hub-Signature-256") String signature, @Body byte[] rawBody) {
        Channel channel = channels.ofType(channelId, type);
        MetaWebhooks.verifySignature(channel, rawBody, signature);
        JsonNode batch = ProviderRequests.parse(json, rawBody);
        return commits.write(() -> store(channelId, channel, batch));
    }

    /** The batch's messages and receipts in one write of the group commit: all of them, or (on a failure) none. */
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

}
