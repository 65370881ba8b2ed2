package io.mehery.gateway.config;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.config.MeheryProperties.Tenant;

/**
 * The part of the configuration that changes on a running gateway (tenants, channels, templates): read from here at
 * the moment of use, never kept. A change replaces the whole of it at once, so a request sees either the old
 * configuration or the new one, never half of each; then each {@link Listener} (the per-tenant delivery routes, the
 * mailbox pollers, the tenants' key digests) brings what it runs in line.
 */
@Component
public class LiveConfiguration {

    /** Something that runs per tenant or per channel and follows a change. */
    public interface Listener {
        void changed(MeheryProperties previous, MeheryProperties next);
    }

    private final AtomicReference<MeheryProperties> current;
    private final ObjectProvider<Listener> listeners;

    public LiveConfiguration(MeheryProperties startup, ObjectProvider<Listener> listeners) {
        this.current = new AtomicReference<>(startup);
        this.listeners = listeners;
    }

    public MeheryProperties current() {
        return current.get();
    }

    public Map<String, Channel> channels() {
        return current.get().channels();
    }

    public Map<String, Tenant> tenants() {
        return current.get().tenants();
    }

    public Map<String, String> templates() {
        return current.get().templates();
    }

    /**
     * Puts the next configuration in place, then lets every listener follow; one change at a time. Called by the
     * live-change machinery alone (package live), once a change passed its rules and checks.
     */
    public synchronized void replace(MeheryProperties next) {
        MeheryProperties previous = current.getAndSet(next);
        List<Listener> following = listeners.orderedStream().toList();
        following.forEach(listener -> listener.changed(previous, next));
    }
}
