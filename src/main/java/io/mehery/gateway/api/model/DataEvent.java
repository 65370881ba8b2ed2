package io.mehery.gateway.api.model;

import java.util.List;

public record DataEvent(String eventName, String id, List<EventLink> links) {

    public record EventLink(String linkName, String linkType, String linkValue) {
    }
}
