package io.mehery.gateway.channel.telegram;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

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
import io.mehery.gateway.conversation.MeheryMessage;
import io.mehery.gateway.media.MediaFetcher;
import io.mehery.gateway.media.ProviderFile;
import io.mehery.gateway.media.ProviderFiles;
import io.mehery.gateway.security.Channels;

/**
 * A Telegram bot's webhook: the secret token set with {@code setWebhook} proves the update came from Telegram
 * (checked here: camel-telegram checks it itself only from 4.18.6). The user's address is the chat id. A message
 * Telegram sends again is known by its id; an edit (which keeps the message id) by its {@code update_id}.
 */
@Component("telegramInbound")
public class TelegramInbound implements MediaFetcher {

    private final Channels channels;
    private final ProviderFiles files;
    private final InboundMessages inbound;

    public TelegramInbound(Channels channels, InboundMessages inbound, ProviderFiles files) {
        this.files = files;
        this.channels = channels;
        this.inbound = inbound;
    }

    /** The verify step: the update carries the channel's secret token (compared in constant time); 401 otherwise. */
    public void verify(@Header("channelId") String channelId,
            @Header("X-Telegram-Bot-Api-Secret-Token") String secretToken) {
        Channel channel = channels.ofType(channelId, ChannelType.TELEGRAM);
        if (channel.secretToken() == null || secretToken == null || !MessageDigest.isEqual(
                channel.secretToken().getBytes(StandardCharsets.UTF_8), secretToken.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, List.of(Problem.of("INVALID_SECRET_TOKEN", "X-Telegram-Bot-Api-Secret-Token",
                    "The update does not carry this channel's secret token")));
        }
    }

    /** The store step: a message, an edit or a button press, stored with its callbacks. */
    public Accepted store(@Header("channelId") String channelId, @Body JsonNode update) {
        Channel channel = channels.ofType(channelId, ChannelType.TELEGRAM);
        JsonNode query = update.path("callback_query");
        if (!query.isMissingNode()) {
            // a button under one of the bot's messages: the choice, in reply to that message
            String data = query.path("data").asText();
            JsonNode under = query.path("message");
            String chat = under.at("/chat/id").asText(query.at("/from/id").asText());
            return inbound.receive(channelId, channel, chat, nameOf(query.path("from")),
                    "callback:" + query.path("id").asText(), MeheryMessage.text(data).withAction(data)
                            .replyingTo(under.isMissingNode() ? null : TelegramMessages.idOf(under))
                            .modifiedFrom(query));
        }
        JsonNode edited = update.path("edited_message");
        JsonNode message = edited.isMissingNode() ? update.path("message") : edited;
        if (message.isMissingNode()) {
            return Accepted.of(java.util.Map.of("ignored", "update-" + update.path("update_id").asText()));
        }
        String chat = message.at("/chat/id").asText();
        ApiException.require(!chat.isEmpty(), "message.chat.id");
        String name = nameOf(message.path("from"));
        if (!edited.isMissingNode()) {
            return inbound.edit(channelId, channel, chat, name, TelegramMessages.idOf(message),
                    "update-" + update.path("update_id").asText(), TelegramMessages.of(message).modifiedFrom(update));
        }
        return inbound.receive(channelId, channel, chat, name, TelegramMessages.idOf(message),
                TelegramMessages.of(message));
    }

    private static String nameOf(JsonNode from) {
        String name = (from.path("first_name").asText("") + " " + from.path("last_name").asText("")).trim();
        return name.isEmpty() ? from.path("username").asText(null) : name;
    }

    @Override
    public Set<ChannelType> channelTypes() {
        return Set.of(ChannelType.TELEGRAM);
    }

    /** A Telegram file: getFile gives the file's path, downloaded from the bot's file URL. */
    @Override
    public ProviderFile fetch(Channel channel, String messageId, JsonNode part) {
        JsonNode file = files.getJson(channel, TelegramOutbound.botApi(channel) + "/getFile?file_id="
                + part.path("id").asText(), ProviderFiles.always(null));
        return files.get(channel, channel.baseUrl() + "/file/bot" + channel.botToken() + "/"
                + file.at("/result/file_path").asText(), ProviderFiles.always(null));
    }
}
