package io.mehery.gateway.channel.twitter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.conversation.Accepted;
import io.mehery.gateway.conversation.InboundMessages;
import io.mehery.gateway.conversation.ProviderReceipts;
import io.mehery.gateway.media.MediaFetcher;
import io.mehery.gateway.media.ProviderFile;
import io.mehery.gateway.media.ProviderFiles;
import io.mehery.gateway.security.Channels;
import io.mehery.gateway.security.Hmac;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStore;

/**
 * X's Account Activity webhook for the account of the channel ({@code lane}, its user id). X proves itself with
 * {@code x-twitter-webhooks-signature}, {@code sha256=} and the base64 HMAC-SHA256 of the body under the consumer
 * secret, and checks the gateway with the CRC (GET with {@code crc_token}). Direct messages to the account are
 * stored, known by their event id; the account's own (its replies, sent through the gateway or not) are not users'
 * messages and are skipped; a user's read receipt marks what the account sent up to the message it names read.
 */
@Component("twitterInbound")
public class TwitterInbound implements MediaFetcher {

    static final String SIGNATURE_HEADER = "x-twitter-webhooks-signature";
    private static final String SIGNATURE_PREFIX = "sha256=";
    private static final Pattern CRC_TOKEN = Pattern.compile("[A-Za-z0-9_+/=-]{8,128}");

    private final Channels channels;
    private final InboundMessages inbound;
    private final ProviderReceipts receipts;
    private final MessageStore messages;
    private final GroupCommit commits;
    private final ProviderFiles files;

    public TwitterInbound(Channels channels, InboundMessages inbound, ProviderReceipts receipts,
            MessageStore messages, GroupCommit commits, ProviderFiles files) {
        this.channels = channels;
        this.inbound = inbound;
        this.receipts = receipts;
        this.messages = messages;
        this.commits = commits;
        this.files = files;
    }

    /**
     * The CRC: {@code {"response_token": "sha256=" + base64(HMAC-SHA256(consumer secret, crc_token))}}. That answer
     * is the signature of a POST whose body is the token, so only a token of X's own form is answered: a short run
     * of base64 or UUID characters, which no event body (a JSON object) can be.
     */
    public Map<String, String> crc(@Header("channelId") String channelId, @Header("crc_token") String crcToken) {
        Channel channel = channels.ofType(channelId, ChannelType.TWITTER);
        if (crcToken == null || !CRC_TOKEN.matcher(crcToken).matches()) {
            throw ApiException.badRequest("INVALID_CRC_TOKEN", "crc_token", "crc_token is X's challenge: 8 to 128"
                    + " letters, digits, '-', '_', '+', '/' or '='");
        }
        return Map.of("response_token", SIGNATURE_PREFIX + Base64.getEncoder().encodeToString(
                Hmac.sha256(channel.consumerSecret(), crcToken)));
    }

    /** The verify step: the signature over the raw body, compared in constant time; 401 otherwise. */
    public void verify(@Header("channelId") String channelId, @Header(SIGNATURE_HEADER) String signature,
            @Body byte[] rawBody) {
        Channel channel = channels.ofType(channelId, ChannelType.TWITTER);
        byte[] expected = (SIGNATURE_PREFIX + Base64.getEncoder().encodeToString(Hmac.sha256(
                channel.consumerSecret().getBytes(StandardCharsets.UTF_8), rawBody == null ? new byte[0] : rawBody)))
                .getBytes(StandardCharsets.US_ASCII);
        if (signature == null || !MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, List.of(Problem.of("INVALID_SIGNATURE", SIGNATURE_HEADER,
                    "The event does not carry X's signature of its body under this channel's consumer secret")));
        }
    }

    /** The store step: the event's direct messages and read receipts, in one write. */
    public Accepted store(@Header("channelId") String channelId, @Body JsonNode event) {
        Channel channel = channels.ofType(channelId, ChannelType.TWITTER);
        return commits.write(() -> {
            int stored = 0;
            int skipped = 0;
            for (JsonNode dm : event.path("direct_message_events")) {
                JsonNode create = dm.path("message_create");
                String sender = create.path("sender_id").asText();
                if (!"message_create".equals(dm.path("type").asText()) || sender.isEmpty()
                        || sender.equals(channel.lane())) {
                    skipped++;
                    continue;
                }
                String id = dm.path("id").asText();
                ApiException.require(!id.isEmpty(), "direct_message_events.id");
                inbound.receive(channelId, channel, sender, event.at("/users/" + sender + "/name").asText(null), id,
                        TwitterMessages.of(create.path("message_data")));
                stored++;
            }
            int read = 0;
            for (JsonNode receipt : event.path("direct_message_mark_read_events")) {
                String reader = receipt.path("sender_id").asText();
                if (!reader.isEmpty() && !reader.equals(channel.lane())) {
                    long watermark = messages.findByExternalId(channel.tenant(), channelId,
                            MessageRecord.Direction.OUTBOUND, receipt.path("last_read_event_id").asText())
                            .map(MessageRecord::createdAt).orElse(receipt.path("created_timestamp").asLong());
                    receipts.readUpTo(channel.tenant(), channelId, reader, watermark);
                    read++;
                }
            }
            return Accepted.of(Map.of("messages", stored, "skipped", skipped, "reads", read));
        });
    }

    @Override
    public Set<ChannelType> channelTypes() {
        return Set.of(ChannelType.TWITTER);
    }

    /** A DM's media: its URL needs the account's OAuth 1.0a signature. */
    @Override
    public ProviderFile fetch(Channel channel, String messageId, JsonNode part) {
        return files.get(channel, part.path("link").asText(),
                url -> TwitterOutbound.oauthOf(channel).authorization("GET", url));
    }
}
