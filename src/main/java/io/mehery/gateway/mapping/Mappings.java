package io.mehery.gateway.mapping;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jslt.JsltConstants;
import org.springframework.stereotype.Component;

import com.schibsted.spt.data.jslt.JsltException;
import com.schibsted.spt.data.jslt.Parser;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Mapping;
import io.mehery.gateway.provider.OutboundDispatch;

/**
 * Per-tenant, per-channel reshaping of what the gateway sends out, declared in {@code mehery.mappings.<name>} as a
 * JSLT template and run by Camel's JSLT component: a callback's payload before it is signed and stored (its retries
 * send the same), or a provider request once the channel has made it. JSLT because it is made for exactly this,
 * JSON in and JSON out with the input's shape written as a template, and because it runs on the Jackson the
 * gateway already uses; jq filters and JSONata queries read less plainly as "the output looks like this". Mappings
 * that apply run one after the other, in name order.
 */
@Component("mappings")
public class Mappings {

    public static final String CALLBACK = "callback";
    public static final String PROVIDER_REQUEST = "provider-request";
    private static final String ENGINE = "jslt:mehery-mapping?allowTemplateFromHeader=true";

    private final LiveConfiguration live;
    private final ProducerTemplate camel;

    public Mappings(LiveConfiguration live, ProducerTemplate camel) {
        this.live = live;
        this.camel = camel;
    }

    /**
     * A callback's payload as the tenant's mappings of callbacks reshape it.
     *
     * @param channelId the channel of the callback's message, asked only when a mapping names channels
     * @param callback the callback's path: message/receive, contact/info, action/event
     */
    public String callback(String tenantId, Supplier<String> channelId, String callback, String payload) {
        String mapped = payload;
        for (Map.Entry<String, Mapping> entry : applying(CALLBACK, tenantId)) {
            Mapping mapping = entry.getValue();
            if ((mapping.callbacks().isEmpty() || mapping.callbacks().contains(callback))
                    && (mapping.channels().isEmpty() || mapping.channels().contains(channelId.get()))) {
                mapped = run(mapping, mapped);
            }
        }
        return mapped;
    }

    /**
     * The step after a channel's request mapping: the provider request, reshaped by the mappings of its tenant and
     * channel; only a JSON request (WhatsApp, Telegram, Messenger, Instagram, X) is reshaped.
     */
    public void providerRequest(@ExchangeProperty(RouteProperties.DISPATCH) OutboundDispatch dispatch,
            Exchange exchange) {
        for (Map.Entry<String, Mapping> entry : applying(PROVIDER_REQUEST, dispatch.tenantId())) {
            Mapping mapping = entry.getValue();
            if (dispatch.channelType().providerTakesJson() && (mapping.channels().isEmpty()
                    || mapping.channels().contains(dispatch.channelId()))) {
                exchange.getMessage().setBody(run(mapping, exchange.getMessage().getBody(String.class)));
            }
        }
    }

    /** Why a template does not compile, with its line; empty when it does. */
    public static String problemOf(String jslt) {
        try {
            Parser.compileString(jslt);
            return "";
        } catch (JsltException invalid) {
            return invalid.getMessage();
        }
    }

    private List<Map.Entry<String, Mapping>> applying(String appliesTo, String tenantId) {
        return live.current().mappings().entrySet().stream()
                .filter(entry -> entry.getValue().appliesTo().equals(appliesTo))
                .filter(entry -> entry.getValue().tenants().isEmpty() || entry.getValue().tenants().contains(tenantId))
                .sorted(Map.Entry.comparingByKey()).toList();
    }

    private String run(Mapping mapping, String json) {
        return camel.requestBodyAndHeader(ENGINE, json, JsltConstants.HEADER_JSLT_STRING, mapping.jslt(),
                String.class);
    }
}
