package io.mehery.gateway.media;

import java.util.Set;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.store.MediaFileStore;

/**
 * Files that came with their message and that the gateway keeps itself, having no provider to fetch them from
 * later: e-mail attachments and the files a website visitor uploads.
 */
@Component
public class KeptFiles implements MediaFetcher {

    private final MediaFileStore files;

    public KeptFiles(MediaFileStore files) {
        this.files = files;
    }

    @Override
    public Set<ChannelType> channelTypes() {
        return Set.of(ChannelType.EMAIL, ChannelType.WEBSITE);
    }

    @Override
    public ProviderFile fetch(Channel channel, String messageId, JsonNode part) {
        return new ProviderFile(files.find(messageId).orElseThrow(() -> ProviderFiles.unavailable(
                "The file is no longer kept")), part.path("mime_type").asText("application/octet-stream"));
    }
}
