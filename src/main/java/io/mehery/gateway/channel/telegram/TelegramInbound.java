package io.mehery.gateway.channel.telegram;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.api.model.Text;
import io.mehery.gateway.channel.ProviderRequests;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.conversation.Accepted;
import io.mehery.gateway.conversation.InboundMessages;
import io.mehery.gateway.security.Channels;

/**
 * A Telegram bot's webhook: the secret token set with {@code setWebhook} proves the update came from Telegram
 * (checked here: camel-telegram checks it itself only from 4.18.6). The user's address is the chat id. Updates are
 * deduplicated on {@code update_id}, since an edited message reuses its message id.
 */
@Component("telegramInbound")
public class TelegramInbound {

    private final Channels channels;
    private final InboundMessages inbound;
    private final ObjectMapper json;

    public TelegramInbound(Channels channels, InboundMessages inbound, ObjectMapper json) {
        this.channels = channels;
        this.inbound = inbound;
        this.json = json;
    }

    public Accepted receive(@Header("channelId") String channelId,
            @Header("X-Telegram-Bot-Api-Secret-Token") String secretToken, @Body byte[] body) {
        Channel channel = channels.ofType(channelId, ChannelType.TELEGRAM);
        if (channel.secretToken() == null || secretToken == null || !MessageDigest.isEqual(
                channel.secretToken().getBytes(StandardCharsets.UTF_8), secretToken.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, List.of(Problem.of("INVALID_SECRET_TOKEN", "X-Telegram-Bot-Api-Secret-Token",
                    "The update does not carry this channel's secret token")));
        }
        JsonNode update = ProviderRequests.parse(json, body);
        String updateId = "update-" + update.path("update_id").asText();
        JsonNode query = update.path("callback_query");
        if (!query.isMissingNode()) {
            String data = query.path("data").asText();
            String chat = query.at("/message/chat/id").asText(query.at("/from/id").asText());
            return inbound.receive(channelId, channel, chat, nameOf(query.path("from")), "text", new Text(data, null),
                    data, updateId, data);
        }
        JsonNode message = update.has("message") ? update.path("message") : update.path("edited_message");
        if (message.isMissingNode()) {
            return Accepted.of(java.util.Map.of("ignored", updateId));
        }
        String chat = message.at("/chat/id").asText();
        ApiException.require(!chat.isEmpty(), "message.chat.id");
        TelegramMessages mehery = TelegramMessages.of(message);
        return inbound.receive(channelId, channel, chat, nameOf(message.path("from")), mehery.type(), mehery.part(),
                mehery.text(), updateId, null);
    }

    private static String nameOf(JsonNode from) {
        String name = (from.path("first_name").asText("") + " " + from.path("last_name").asText("")).trim();
        return name.isEmpty() ? from.path("username").asText(null) : name;
    }

}
