package io.mehery.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * This instance among the cluster's: {@code mehery.cluster.instance-id}, or its host name and HTTP port (a pod's
 * name in Kubernetes), known once the server listens. It names the instance in the configuration versions it runs
 * and in its health, and tells its own broadcasts from the others'.
 */
@Component
public class ClusterInstance {

    private final String configured;
    private volatile String id;

    public ClusterInstance(@Value("${mehery.cluster.instance-id:}") String configured) {
        this.configured = configured;
        this.id = configured.isBlank() ? host() : configured;
    }

    @EventListener
    public void listening(WebServerInitializedEvent started) {
        if (configured.isBlank()) {
            id = host() + ":" + started.getWebServer().getPort();
        }
    }

    public String id() {
        return id;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException unnamed) {
            return "localhost";
        }
    }
}
