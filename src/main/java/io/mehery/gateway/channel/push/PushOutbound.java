package io.mehery.gateway.channel.push;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.api.model.Template;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.provider.OutboundDispatch;
import io.mehery.gateway.provider.ProviderCalls;
import io.mehery.gateway.provider.ProviderLimits;
import io.mehery.gateway.provider.TemplateTexts;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MessageStore;
import io.mehery.gateway.store.PushDeviceStore;

/**
 * message/send on a push channel: a notification to every device the user ({@code to.phone}, the app's user id)
 * registered, through the channel's provider. Title: the template's {@code data.title}, else the channel's
 * {@code lane} (the app's name); body: the text, the rendered template or the image's caption; the Mehery message id
 * in the data. A device whose token the provider no longer knows is forgotten. The message is sent when one device
 * took it (what the others said is in its logs); when none did, trouble that may pass sends it again later through
 * the outbound queue, anything else fails it, as does a user with no device left.
 */
@Component("pushOutbound")
public class PushOutbound implements ProviderLimits {

    private static final Logger LOG = LoggerFactory.getLogger(PushOutbound.class);

    private final LiveConfiguration live;
    private final PushDeviceStore devices;
    private final Map<String, PushSender> senders;
    private final TemplateTexts templates;
    private final ProviderCalls providerCalls;
    private final MessageStore messages;
    private final GroupCommit commits;
    private final Clock clock;

    PushOutbound(LiveConfiguration live, PushDeviceStore devices, List<PushSender> senders,
            TemplateTexts templates, ProviderCalls providerCalls, MessageStore messages, GroupCommit commits,
            Clock clock) {
        this.live = live;
        this.devices = devices;
        this.senders = senders.stream().collect(Collectors.toMap(PushSender::provider, Function.identity()));
        this.templates = templates;
        this.providerCalls = providerCalls;
        this.messages = messages;
        this.commits = commits;
        this.clock = clock;
    }

    @Override
    public Set<ChannelType> channelTypes() {
        return Set.of(ChannelType.PUSH);
    }

    @Override
    public void refuseWhatIsNotCarried(MessageSendRequest request) {
        ProviderLimits.refuseFilename(request, "A push notification");
    }

    public void send(@Body OutboundDispatch dispatch,
            @ExchangeProperty(RouteProperties.DELIVERY_COUNT) Integer deliveryCount) {
        Channel channel = live.channels().get(dispatch.channelId());
        String user = dispatch.message().to().phone().trim();
        PushNotification notification = notificationOf(channel, dispatch);
        PushSender sender = senders.get(channel.provider());
        String sentId = null;
        List<String> retry = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (PushDeviceStore.Device device : devices.ofUser(dispatch.channelId(), user)) {
            PushSender.Delivery delivery = sender.send(channel, device.token(), notification);
            String onDevice = device.platform() + " device " + shortened(device.token()) + ": " + delivery.reason();
            switch (delivery.outcome()) {
                case SENT -> sentId = sentId != null ? sentId : delivery.providerId();
                case UNREGISTERED -> {
                    LOG.info("A {} device of user {} on channel {} is no longer registered; it is forgotten",
                            device.platform(), user, dispatch.channelId());
                    devices.remove(dispatch.channelId(), device.token());
                    refused.add(onDevice);
                }
                case RETRY -> retry.add(onDevice);
                case FAILED -> refused.add(onDevice);
            }
        }
        if (sentId != null) {
            providerCalls.sent(dispatch, sentId, clock.millis());
            if (!retry.isEmpty() || !refused.isEmpty()) {
                String missed = "Not delivered to every device: " + String.join("; ", retry) + String.join("; ", refused);
                commits.run(() -> messages.note(dispatch.messageId(), missed));
            }
        } else if (!retry.isEmpty()) {
            providerCalls.failed(dispatch, deliveryCount, String.join("; ", retry), true);
        } else {
            providerCalls.failed(dispatch, deliveryCount, refused.isEmpty()
                    ? "No device of user '" + user + "' is registered on this channel"
                    : String.join("; ", refused), false);
        }
    }

    private PushNotification notificationOf(Channel channel, OutboundDispatch dispatch) {
        MessageSendRequest request = dispatch.message();
        String title = channel.lane();
        return switch (request.type()) {
            case TEXT -> new PushNotification(dispatch.messageId(), title, request.text().body(), null, null);
            case TEMPLATE -> {
                Template template = request.template();
                Object given = template.data() == null ? null : template.data().get("title");
                yield new PushNotification(dispatch.messageId(), given instanceof String text ? text : title,
                        templates.render(template), null, template.buttons());
            }
            case IMAGE -> new PushNotification(dispatch.messageId(), title, request.media().caption(),
                    request.media().link(), null);
            default -> throw new IllegalArgumentException("A push notification does not carry "
                    + request.type().json());
        };
    }

    /** Enough of a device token to tell devices apart in a log, not enough to use it. */
    private static String shortened(String token) {
        return token.length() <= 8 ? token : "…" + token.substring(token.length() - 6);
    }
}
